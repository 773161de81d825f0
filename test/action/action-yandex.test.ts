/**
 * The bundled Action against the Yandex Tracker simulator over HTTP: keys from the branch,
 * explicit keys, no key, unknown keys, dry run, status moves and comments.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  type ActionEvent,
  type ActionRun,
  type ActionRunner,
  prepareActionRunner,
} from "../../src/simulators/runner/run-action.js";
import {
  defaultYandexWorkflow,
  strictYandexWorkflow,
} from "../../src/simulators/shared/workflow.js";
import { startYandexSimulator, type YandexSimulator } from "../../src/simulators/yandex/index.js";
import { TRACKER_TYPES } from "../../src/trackers/kinds.js";
import { example, pullRequestPayload } from "./helpers/payloads.js";
import { tokenExposure } from "./helpers/token-exposure.js";

const TOKEN = "y0_yandex-oauth-token-4f9a";
const BENCH = "https://pr-7.bench.example.test";

let sim: YandexSimulator;
let runner: ActionRunner;
const runs: ActionRun[] = [];

beforeAll(async () => {
  sim = await startYandexSimulator({ token: TOKEN, orgId: "7654321" });
  runner = await prepareActionRunner();
});
afterAll(async () => {
  await sim.close();
  await runner.cleanup();
});
afterEach(() => {
  sim.reset();
  // Every run, passing or failing: the token shows up only in the ::add-mask:: command.
  for (const run of runs.splice(0)) expect(tokenExposure(run, TOKEN)).toEqual([]);
});

function inputs(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    tracker: "yandex",
    url: sim.url,
    token: TOKEN,
    "org-id": "7654321",
    field: "benchLink",
    value: BENCH,
    ...overrides,
  };
}

const pushTo = (branch: string): ActionEvent => ({
  name: "push",
  payload: example("push"),
  env: { GITHUB_REF_NAME: branch },
});

const pullRequest = (branch: string, title = "Login page"): ActionEvent => ({
  name: "pull_request",
  payload: pullRequestPayload(branch, title),
  env: { GITHUB_HEAD_REF: branch, GITHUB_REF_NAME: "7/merge" },
});

async function action(with_: Record<string, string>, event: ActionEvent): Promise<ActionRun> {
  const run = await runner.run(with_, event);
  runs.push(run);
  return run;
}

describe("the Action on Yandex Tracker", () => {
  it("writes the URL into the issue named by the PR's branch", async () => {
    sim.createIssue("PROJ-123");
    const run = await action(inputs(), pullRequest("feature/PROJ-123-login"));

    expect(run.code).toBe(0);
    expect(sim.getIssue("PROJ-123").fields.benchLink).toBe(BENCH);
    expect(run.outputs).toEqual({ "issue-keys": "PROJ-123", updated: "1" });
    expect(run.summary).toContain("| Issue | Field | Value | Result |");
    expect(run.summary).toContain(`| PROJ-123 | benchLink | ${BENCH} | ✅ set |`);
    expect(run.stdout.split("\n")[0]).toBe(`::add-mask::${TOKEN}`);
    expect(run.warnings).toEqual([]);
    expect(run.errors).toEqual([]);
  });

  it("reads a lower-case key from the branch and another from the PR title", async () => {
    sim.createIssue("PROJ-5");
    sim.createIssue("OPS-9");
    const run = await action(inputs(), pullRequest("feature/proj-5-login", "OPS-9: login page"));

    expect(run.code).toBe(0);
    expect(run.outputs).toEqual({ "issue-keys": "PROJ-5,OPS-9", updated: "2" });
    expect(sim.getIssue("PROJ-5").fields.benchLink).toBe(BENCH);
    expect(sim.getIssue("OPS-9").fields.benchLink).toBe(BENCH);
  });

  it("takes the branch from the deployment's ref on deployment events", async () => {
    sim.createIssue("PROJ-44");
    const payload = example("deployment");
    (payload.deployment as { ref: string }).ref = "bugfix/PROJ-44-crash";
    const run = await action(inputs(), {
      name: "deployment",
      payload,
      env: { GITHUB_REF_NAME: "main" },
    });

    expect(run.code).toBe(0);
    expect(sim.getIssue("PROJ-44").fields.benchLink).toBe(BENCH);
  });

  it("applies the projects allow-list to keys found in the branch", async () => {
    sim.createIssue("PROJ-1");
    sim.createIssue("OPS-2");
    const run = await action(inputs({ projects: "PROJ" }), pushTo("OPS-2-and-PROJ-1"));

    expect(run.outputs["issue-keys"]).toBe("PROJ-1");
    expect(sim.getIssue("OPS-2").fields.benchLink).toBeUndefined();
  });

  it("uses issue-key instead of discovery when given", async () => {
    sim.createIssue("PROJ-1");
    sim.createIssue("PROJ-2");
    sim.createIssue("PROJ-9");
    const run = await action(
      inputs({ "issue-key": "PROJ-1, proj-2" }),
      pushTo("feature/PROJ-9-other"),
    );

    expect(run.code).toBe(0);
    expect(run.outputs).toEqual({ "issue-keys": "PROJ-1,PROJ-2", updated: "2" });
    expect(sim.getIssue("PROJ-2").fields.benchLink).toBe(BENCH);
    expect(sim.getIssue("PROJ-9").fields.benchLink).toBeUndefined();
  });

  it("warns and passes when no key is found", async () => {
    const run = await action(inputs(), pushTo("main"));

    expect(run.code).toBe(0);
    expect(run.warnings).toEqual([
      'No issue key found in branch "main" (GITHUB_REF_NAME). Name the branch after the issue (e.g. feature/PROJ-123-login) or pass the key with the issue-key input.',
    ]);
    expect(run.outputs).toEqual({ "issue-keys": "", updated: "0" });
    expect(run.summary).toContain('No issue key found in branch "main"');
    expect(sim.requests).toEqual([]);
  });

  it("fails when no key is found and fail-on-missing-key is set", async () => {
    const run = await action(inputs({ "fail-on-missing-key": "true" }), pushTo("main"));

    expect(run.code).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toContain('No issue key found in branch "main"');
    expect(run.warnings).toEqual([]);
  });

  it("fails naming the key and the tracker when the issue does not exist", async () => {
    sim.createIssue("PROJ-1");
    const run = await action(inputs({ "issue-key": "PROJ-404,PROJ-1" }), pushTo("main"));

    expect(run.code).toBe(1);
    expect(run.errors).toEqual([
      expect.stringMatching(
        /^issue PROJ-404 not found in Yandex Tracker at 127\.0\.0\.1:\d+: check the key/,
      ),
    ]);
    // The other issue is still updated, and the outputs say what happened.
    expect(sim.getIssue("PROJ-1").fields.benchLink).toBe(BENCH);
    expect(run.outputs).toEqual({ "issue-keys": "PROJ-404,PROJ-1", updated: "1" });
    expect(run.summary).toMatch(/\| PROJ-404 \| benchLink \| .* \| ❌ issue PROJ-404 not found/);
  });

  it("says so with Tracker's own message when the field cannot be set", async () => {
    sim.createIssue("PROJ-1");
    const run = await action(inputs({ field: "benchUrl" }), pushTo("PROJ-1-x"));

    expect(run.code).toBe(1);
    expect(run.errors).toEqual([
      expect.stringMatching(
        /^Yandex Tracker at 127\.0\.0\.1:\d+ refused to set benchUrl on PROJ-1 \(400\): .*benchUrl: Field not found$/,
      ),
    ]);
    expect(run.outputs).toEqual({ "issue-keys": "PROJ-1", updated: "0" });
  });

  it("writes nothing in a dry run, and needs no token", async () => {
    sim.createIssue("PROJ-123");
    const run = await action(
      inputs({ "dry-run": "true", token: "", status: "readyForTest", comment: "Bench: {value}" }),
      pullRequest("feature/PROJ-123-login"),
    );

    expect(run.code).toBe(0);
    expect(sim.requests).toEqual([]);
    expect(sim.getIssue("PROJ-123").fields.benchLink).toBeUndefined();
    expect(run.outputs).toEqual({ "issue-keys": "PROJ-123", updated: "0" });
    expect(run.summary).toContain("**Dry run**");
    expect(run.summary).toContain(`| PROJ-123 | benchLink | ${BENCH} | 📝 would set benchLink |`);
    expect(run.summary).toContain(
      "| PROJ-123 | status | readyForTest | 📝 would move to readyForTest |",
    );
  });

  it("moves the issue to the status, and is a no-op when it is already there", async () => {
    sim.createIssue("PROJ-7");
    const first = await action(inputs({ status: "Ready for test" }), pushTo("PROJ-7-x"));

    expect(first.code).toBe(0);
    expect(sim.getIssue("PROJ-7").status.key).toBe("readyForTest");
    expect(first.summary).toContain(
      "| PROJ-7 | status | Ready for test | ✅ moved Open → Ready for test |",
    );

    sim.resetRequests();
    const again = await action(inputs({ status: "readyForTest" }), pushTo("PROJ-7-x"));
    expect(again.code).toBe(0);
    expect(again.summary).toContain("✅ already in Ready for test");
    expect(sim.requests.filter((request) => request.path.endsWith("/_execute"))).toEqual([]);
  });

  it("fails listing the transitions that exist when the status cannot be reached", async () => {
    sim.createIssue("PROJ-8", { status: "inReview" });
    const deadEnd = defaultYandexWorkflow();
    deadEnd.transitions = deadEnd.transitions.filter((t) => t.to !== "readyForTest");
    sim.setWorkflow(deadEnd);
    const run = await action(inputs({ status: "Ready for test" }), pushTo("PROJ-8-x"));

    expect(run.code).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(
      /^cannot move PROJ-8: no route to Ready for test from In review in the workflow of PROJ \(Task\) \(available: Back to open → Open, .*\): add `routes: /,
    );
    // The field was set first, so the bench link is there even though the move failed.
    expect(sim.getIssue("PROJ-8").fields.benchLink).toBe(BENCH);
  });

  it("routes the move through a strict workflow, with the App's rules", async () => {
    sim.setWorkflow(strictYandexWorkflow());
    sim.createIssue("PROJ-9");
    sim.createIssue("PROJ-10", { status: "testing" });
    const routed = await action(inputs({ status: "Ready for test" }), pushTo("PROJ-9-x"));
    expect(routed.code).toBe(0);
    expect(routed.summary).toContain("✅ moved Open → In review → Ready for test");
    const further = await action(inputs({ status: "Ready for test" }), pushTo("PROJ-10-x"));
    expect(further.summary).toContain("left in Testing (further along than Ready for test)");
    expect(sim.getIssue("PROJ-10").status.key).toBe("testing");
  });

  it("leaves a comment from the template once per text", async () => {
    sim.createIssue("PROJ-3");
    const template = "Bench for {key} ({branch}@{sha}) by {actor}: {value} — {run_url}";
    const event = pushTo("feature/PROJ-3-search");
    const first = await action(inputs({ comment: template }), event);
    const again = await action(inputs({ comment: template }), event);

    expect(first.code).toBe(0);
    expect(again.code).toBe(0);
    const comments = sim.getIssue("PROJ-3").comments;
    expect(comments).toHaveLength(1);
    expect(comments[0]?.text).toMatch(
      /^Bench for PROJ-3 \(feature\/PROJ-3-search@0123456789abcdef0123456789abcdef01234567\) by octocat: https:\/\/pr-7\.bench\.example\.test — https:\/\/github\.com\/acme\/web\/actions\/runs\/4242\n\nvia trackbridge · [0-9a-f]{16}$/,
    );
    expect(again.summary).toContain("✅ comment already posted");
  });

  it("fails before calling the tracker when an input is invalid", async () => {
    const run = await action(inputs({ tracker: "jra" }), pushTo("PROJ-1"));

    expect(run.code).toBe(1);
    expect(run.errors).toEqual([
      `input "tracker" must be one of ${TRACKER_TYPES.join(", ")} (got "jra")`,
    ]);
    expect(sim.requests).toEqual([]);
  });
});
