/** `trackbridge plan --workflow` with a Linear team as the API answers it: every move is one step. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startLinearSimulator } from "../../src/simulators/linear/index.js";
import { TEAM_BY_KEY } from "../../src/trackers/linear/queries.js";
import { openedPayload } from "./helpers/plan-payload.js";
import { runInProcess } from "./helpers/run-in-process.js";

let dir: string;
const file = (name: string) => join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "trackbridge-plan-linear-"));
  const sim = await startLinearSimulator({ token: "lin_api_t" });
  try {
    sim.createIssue("ENG-12");
    const response = await fetch(`${sim.url}/graphql`, {
      method: "POST",
      headers: { authorization: "lin_api_t", "content-type": "application/json" },
      body: JSON.stringify({ query: TEAM_BY_KEY, variables: { key: "ENG" } }),
    });
    await writeFile(file("team.json"), JSON.stringify(await response.json()));
  } finally {
    await sim.close();
  }
  const payload = openedPayload({ branch: "feature/ENG-12-login", body: "" });
  await writeFile(file("opened.json"), JSON.stringify(payload));
  await writeFile(
    file("config.yml"),
    "keys:\n  projects: [ENG]\nstatuses:\n  opened: Ready for test\n",
  );
});
afterAll(() => rm(dir, { recursive: true, force: true }));

it("routes a move through a Linear team in one step, from where new issues start or --from", async () => {
  const base = ["plan", "--event", "pull_request", "--payload", file("opened.json")];
  const args = [...base, "--config", file("config.yml"), "--workflow", file("team.json")];
  const result = await runInProcess(args);
  expect(result.stderr).toBe("");
  expect(JSON.parse(result.stdout).routes).toEqual([
    { key: "ENG-12", route: "Open → Ready for test" },
  ]);
  const fromBacklog = await runInProcess([...args, "--from", "Backlog"]);
  expect(JSON.parse(fromBacklog.stdout).routes).toEqual([
    { key: "ENG-12", route: "Backlog → Ready for test" },
  ]);
});
