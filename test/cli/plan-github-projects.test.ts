/**
 * `trackbridge plan --tracker github-projects --workflow` with a project as GitHub's GraphQL
 * answers it: keys are the PR's GitHub issues (#12 is the payload's repository's), and every
 * move is one write of the Status field.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startGitHubProjectsSimulator } from "../../src/simulators/github-projects/index.js";
import { PROJECT_QUERY } from "../../src/trackers/github-projects/queries.js";
import { openedPayload } from "./helpers/plan-payload.js";
import { runInProcess } from "./helpers/run-in-process.js";

let dir: string;
const file = (name: string) => join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "trackbridge-plan-ghp-"));
  const sim = await startGitHubProjectsSimulator({ token: "ghs_plan" });
  try {
    const response = await fetch(`${sim.url}/graphql`, {
      method: "POST",
      headers: { authorization: "bearer ghs_plan", "content-type": "application/json" },
      body: JSON.stringify({ query: PROJECT_QUERY, variables: { org: "acme", project: 1 } }),
    });
    await writeFile(file("project.json"), JSON.stringify(await response.json()));
  } finally {
    await sim.close();
  }
  const payload = openedPayload({ branch: "login", body: "Closes #12, refs acme/api#4. UTF-8" });
  await writeFile(file("opened.json"), JSON.stringify(payload));
  await writeFile(file("config.yml"), "statuses:\n  opened: In Progress\n");
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const base = () => ["plan", "--event", "pull_request", "--payload", file("opened.json")];

it("plans the PR's GitHub issues and routes each move in one write of the Status field", async () => {
  const args = [
    ...base(),
    "--config",
    file("config.yml"),
    "--tracker",
    "github-projects",
    "--workflow",
    file("project.json"),
  ];
  const result = await runInProcess(args);
  expect(result.stderr).toBe("");
  const plan = JSON.parse(result.stdout);
  expect(plan.actions).toContainEqual(
    expect.objectContaining({ kind: "move", key: "acme/web#12", target: "In Progress" }),
  );
  expect(plan.routes).toEqual([{ key: "acme/web#12", route: "No Status → In Progress" }]);
  const fromDone = await runInProcess([...args, "--from", "Done"]);
  expect(JSON.parse(fromDone.stdout).routes).toEqual([
    { key: "acme/web#12", route: "Done → In Progress" },
  ]);
});

it("without --tracker github-projects, #12 is no key", async () => {
  const result = await runInProcess([...base(), "--config", file("config.yml")]);
  expect(result.stderr).toBe("");
  expect(JSON.parse(result.stdout).actions).toEqual([]);
});
