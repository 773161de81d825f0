/**
 * On Linear, the file `trackbridge init --connection linear --queue PROJ` writes is used as
 * written: it names the team's states by their names (a state's key is a UUID), and the real
 * App moves an issue through them as the PR is opened, approved and merged.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestbed, type Testbed } from "../../src/simulators/scenario/testbed.js";
import { runInit } from "../cli/helpers/init.js";
import { merge, openPr, prEvent, review, status } from "./world.js";

let bed: Testbed;
beforeAll(async () => {
  bed = await startTestbed({ tracker: "linear", repoConfig: null });
});
afterAll(async () => bed.close());

it("init writes a config naming Linear's states, and the App moves the issue by it", async () => {
  bed.tracker.createIssue("PROJ-1");
  const cwd = mkdtempSync(path.join(tmpdir(), "linear-init-"));
  const init = await runInit(bed.env, cwd, [
    "--connection",
    "linear",
    "--queue",
    "PROJ",
    "--print",
  ]);
  rmSync(cwd, { recursive: true });
  expect(init.code).toBe(0);
  expect(init.stdout).toContain("connection: linear");
  // The settings name states; the UUIDs are only listed in the comments, beside each name.
  const settings = init.stdout.split("\n").filter((line) => !line.trim().startsWith("#"));
  expect(settings.join("\n")).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
  expect(init.stdout).toContain("  opened: In review");
  bed.github.setFile(bed.owner, bed.repo, ".github/trackbridge.yml", init.stdout);

  const pr = openPr(bed, { number: 1, branch: "feature/PROJ-1-login", title: "Login" });
  await prEvent(bed, "opened", pr);
  expect(status(bed, "PROJ-1")).toBe("In review");
  await review(bed, "approved", pr);
  expect(status(bed, "PROJ-1")).toBe("Ready for test");
  await merge(bed, 1);
  expect(status(bed, "PROJ-1")).toBe("Closed");
});
