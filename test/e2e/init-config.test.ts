/**
 * The file `trackbridge init` writes, used as written: the real App reads it from the
 * repository and moves an issue through a Russian-named, strict Yandex Tracker workflow
 * (Открыт leads only to В работе) as the PR is opened, approved and merged.
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestbed, type Testbed } from "../../src/simulators/scenario/testbed.js";
import { RUSSIAN_WORKFLOW, runInit } from "../cli/helpers/init.js";
import { merge, openPr, prEvent, review, status } from "./world.js";

let bed: Testbed;
beforeAll(async () => {
  bed = await startTestbed({ repoConfig: null });
  bed.tracker.setWorkflow(RUSSIAN_WORKFLOW, "PROJ");
});
afterAll(async () => bed.close());

it("the App moves the issue to each status init guessed", async () => {
  // A directory of its own: a --print that wrote a file must not write into the repository.
  const cwd = mkdtempSync(path.join(tmpdir(), "init-config-"));
  const init = await runInit(bed.env, cwd, ["--queue", "PROJ", "--print"]);
  expect(init.code).toBe(0);
  expect(readdirSync(cwd)).toEqual([]);
  rmSync(cwd, { recursive: true });
  bed.github.setFile(bed.owner, bed.repo, ".github/trackbridge.yml", init.stdout);

  bed.tracker.createIssue("PROJ-1");
  const pr = openPr(bed, { number: 1, branch: "feature/PROJ-1-login", title: "Login" });
  await prEvent(bed, "opened", pr);
  expect(status(bed, "PROJ-1")).toBe("Ревью");
  await review(bed, "approved", pr);
  expect(status(bed, "PROJ-1")).toBe("Можно тестировать");
  await merge(bed, 1);
  expect(status(bed, "PROJ-1")).toBe("Решен");
});
