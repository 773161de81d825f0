import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { WebhookDefinition } from "@octokit/webhooks-examples";
import examplesModule from "@octokit/webhooks-examples";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Plan } from "../../src/core/types.js";
import { runBin } from "./helpers/run-bin.js";
import { runInProcess } from "./helpers/run-in-process.js";

// CommonJS JSON typed as an ES default export: at run time the default import is the array.
const examples = examplesModule as unknown as WebhookDefinition[];

/** A real `pull_request` payload from @octokit/webhooks-examples with our branch and title. */
function pullRequestPayload(action: string, branch: string, title: string): unknown {
  const definition = examples.find((candidate) => candidate.name === "pull_request");
  const found = definition?.examples.find(
    (candidate) => (candidate as { action?: string }).action === action,
  );
  if (!found) throw new Error(`no pull_request.${action} example`);
  const payload = structuredClone(found) as unknown as {
    pull_request: { head: { ref: string }; title: string; body: string | null };
  };
  payload.pull_request.head.ref = branch;
  payload.pull_request.title = title;
  payload.pull_request.body = "Refs OPS-5. UTF-8 is not a key.";
  return payload;
}

let dir: string;
const file = (name: string) => join(dir, name);
type Runner = (args: string[]) => Promise<{ code: number | null; stdout: string; stderr: string }>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "trackbridge-plan-"));
  const write = (name: string, text: string) => writeFile(file(name), text);
  await Promise.all([
    write(
      "opened.json",
      JSON.stringify(pullRequestPayload("opened", "feature/proj-12-login", "Login")),
    ),
    write("labeled.json", JSON.stringify(pullRequestPayload("labeled", "no-key", "Login"))),
    write("assigned.json", JSON.stringify(pullRequestPayload("assigned", "proj-12", "Login"))),
    write(
      "other-direction.yml",
      "keys:\n  projects: [PROJ]\nstatuses:\n  opened: inProgress\ncreate: { queue: PROJ, label: bug, when: no_key }\nassignee: { from: author }\n",
    ),
    write(
      "edited.json",
      JSON.stringify({
        ...(pullRequestPayload("labeled", "no-key", "Login") as object),
        action: "edited",
        changes: { title: { from: "PROJ-9: Login" } },
      }),
    ),
    write("config.yml", "keys:\n  projects: [PROJ, OPS]\nstatuses:\n  opened: inProgress\n"),
    write(
      "numbered.json",
      JSON.stringify(pullRequestPayload("opened", "feature/rm-12-login", "Login (#34) RM#13")),
    ),
    write("redmine.yml", "keys:\n  redmine_keywords: true\nstatuses:\n  opened: In progress\n"),
    write("empty.yml", ""),
    write("invalid.yml", "statuses:\n  approved: 42\n"),
    write("broken.yml", "statuses: [unclosed\n"),
    write("not-json.json", "{ nope"),
  ]);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("trackbridge plan", () => {
  // The plan for opened.json under config.yml, in process and through the real bin alike.
  const openedPlan = {
    keys: [
      { key: "PROJ-12", role: "moving", source: "branch" },
      { key: "OPS-5", role: "reference", source: "body" },
    ],
    actions: [
      { kind: "move", key: "PROJ-12", target: "inProgress", trigger: "opened" },
      { kind: "link", key: "PROJ-12" },
      { kind: "link", key: "OPS-5" },
    ],
  };

  it.each<[string, Runner, string, string, string[], object]>([
    [
      "prints the plan for a saved payload and config",
      runInProcess,
      "opened.json",
      "config.yml",
      [],
      openedPlan,
    ],
    [
      "plans as a numbered tracker with --key-prefix: RM-12, RM#13, never the bare #34",
      runInProcess,
      "numbered.json",
      "redmine.yml",
      ["--key-prefix", "RM"],
      { keys: [{ key: "RM-12" }, { key: "RM-13" }] },
    ],
    ["works through the real bin", runBin, "opened.json", "config.yml", [], openedPlan],
  ])("%s", async (_name, run, payload, config, extra, expected) => {
    const args = ["plan", "--event", "pull_request", "--payload", file(payload)];
    const result = await run([...args, "--config", file(config), ...extra]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    // toMatchObject holds arrays to their length, so every key and action is accounted for.
    expect(JSON.parse(result.stdout) as Plan).toMatchObject(expected);
  });

  it.each<[string, string | undefined]>([
    ["no --config means all defaults", undefined],
    ["an empty config file means all defaults", "empty.yml"],
  ])("%s", async (_name, config) => {
    const args = ["plan", "--event", "pull_request", "--payload", file("opened.json")];
    const result = await runInProcess(config ? [...args, "--config", file(config)] : args);
    expect(result.code).toBe(0);
    const plan = JSON.parse(result.stdout) as Plan;
    expect(plan.keys.map((found) => found.key)).toEqual(["PROJ-12", "OPS-5"]);
    expect(plan.actions.every((action) => action.kind === "link")).toBe(true);
    expect(plan.skipped).toEqual([{ key: "PROJ-12", reason: 'no status configured for "opened"' }]);
  });

  it.each<[string, string, string, string | undefined, RegExp, string[]?]>([
    [
      "an invalid config names the file and field",
      "pull_request",
      "opened.json",
      "invalid.yml",
      /invalid\.yml is invalid:[\s\S]*statuses\.approved/,
    ],
    [
      "a config that is not YAML",
      "pull_request",
      "opened.json",
      "broken.yml",
      /broken\.yml is not valid YAML/,
    ],
    [
      "a missing config file",
      "pull_request",
      "opened.json",
      "missing.yml",
      /cannot read the config file .*missing\.yml \(ENOENT\)/,
    ],
    [
      "a missing payload file",
      "pull_request",
      "missing.json",
      undefined,
      /cannot read the payload file .*missing\.json \(ENOENT\)/,
    ],
    [
      "a payload that is not JSON",
      "pull_request",
      "not-json.json",
      undefined,
      /not-json\.json is not JSON/,
    ],
    [
      "an event that is not about pull requests",
      "issues",
      "opened.json",
      undefined,
      /event "issues" is not a pull request event/,
    ],
    [
      "an action that moves nothing",
      "pull_request",
      "assigned.json",
      undefined,
      /pull_request\.assigned does not move issues/,
    ],
    [
      "Redmine keywords on a connection that is not Redmine",
      "pull_request",
      "numbered.json",
      "redmine.yml",
      /keys\.redmine_keywords: connection "request-tracker" is not a Redmine connection/,
      ["--key-prefix", "RT", "--tracker", "request-tracker"],
    ],
  ])("exits 1 for %s", async (_name, event, payload, config, stderr, extra = []) => {
    const args = ["plan", "--event", event, "--payload", file(payload)];
    const result = await runInProcess([
      ...(config ? [...args, "--config", file(config)] : args),
      ...extra,
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^trackbridge: /);
    expect(result.stderr).toMatch(stderr);
  });

  it.each([
    [
      "opened with a key: no create, the author assigned",
      "opened.json",
      ["move PROJ-12", "assign PROJ-12", "link PROJ-12"],
    ],
    ["the config's label on a PR without a key: a create", "labeled.json", ["create PROJ (new)"]],
    ["a key edited out of the title: an unlink", "edited.json", ["unlink PROJ-9"]],
  ])("shows the other direction: %s", async (_name, payload, actions) => {
    const args = ["plan", "--event", "pull_request", "--payload", file(payload)];
    const result = await runInProcess([...args, "--config", file("other-direction.yml")]);
    expect(result.stderr).toBe("");
    const plan = JSON.parse(result.stdout) as Plan;
    expect(plan.actions.map((action) => `${action.kind} ${action.key}`)).toEqual(actions);
  });
});

describe("trackbridge plan --workflow", () => {
  it("prints the route each move would take through a strict workflow", async () => {
    const { startYandexSimulator } = await import("../../src/simulators/yandex/index.js");
    const { strictYandexWorkflow } = await import("../../src/simulators/shared/workflow.js");
    const sim = await startYandexSimulator({ token: "t" });
    try {
      sim.setWorkflow(strictYandexWorkflow(), "PROJ");
      const response = await fetch(`${sim.url}/v2/workflows/wf-PROJ`, {
        headers: { authorization: "OAuth t" },
      });
      await writeFile(file("workflow.json"), JSON.stringify(await response.json()));
    } finally {
      await sim.close();
    }
    await writeFile(
      file("strict.yml"),
      "keys:\n  projects: [PROJ, OPS]\nstatuses:\n  opened: readyForTest\n",
    );
    const base = ["plan", "--event", "pull_request", "--payload", file("opened.json")];
    const result = await runInProcess([
      ...base,
      "--config",
      file("strict.yml"),
      "--workflow",
      file("workflow.json"),
    ]);
    expect(result.stderr).toBe("");
    const printed = JSON.parse(result.stdout) as Plan & { routes: unknown };
    expect(printed.routes).toEqual([
      { key: "PROJ-12", route: "Open → In review → Ready for test" },
    ]);
    const fromTesting = await runInProcess([
      ...base,
      "--config",
      file("strict.yml"),
      "--workflow",
      file("workflow.json"),
      "--from",
      "inProgress",
    ]);
    expect(JSON.parse(fromTesting.stdout).routes).toEqual([
      { key: "PROJ-12", route: "In progress → In review → Ready for test" },
    ]);
    const bad = await runInProcess([...base, "--workflow", file("config.yml")]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("is not JSON");
  });
});
