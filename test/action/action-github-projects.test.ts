/**
 * The Action with `tracker: github-projects`, in-process against the GitHub Projects simulator
 * over real HTTP: the key from GitHub's issue branch (12-login-form), `#12` / `acme/web#12` in
 * `issue-key`, the bench URL into the project's text field, `status` into its Status field,
 * the runner's GitHub when `url` is left out, and what a missing project or a refused token say.
 * A branch's number counts only when that issue is on the project: `2024-release` is no #2024.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { run } from "../../src/action/run.js";
import { readRunnerEnv } from "../../src/action/runner-env.js";
import {
  type GitHubProjectsSimulator,
  startGitHubProjectsSimulator,
} from "../../src/simulators/github-projects/index.js";
import { pullRequestPayload } from "./helpers/payloads.js";
import { inProcessDeps, type Recorded } from "./helpers/run-deps.js";

const TOKEN = "ghs_actionProjectsToken0123456789abcdef";
const BENCH = "https://pr-12.bench.example.test";

let sim: GitHubProjectsSimulator;
const seen: Recorded[] = [];

beforeAll(async () => {
  sim = await startGitHubProjectsSimulator({ token: TOKEN });
});
afterAll(() => sim.close());
afterEach(() => {
  sim.reset();
  for (const recorded of seen.splice(0)) {
    // The token is masked before anything runs, and nothing the step wrote carries it.
    expect(recorded.secrets.length).toBe(1);
    const everything = JSON.stringify({ ...recorded, secrets: [] });
    for (const secret of recorded.secrets) expect(everything).not.toContain(secret);
  }
});

async function action(
  inputs: Record<string, string>,
  runner: Record<string, string> = {},
  payload: unknown = {},
) {
  const { runDeps, recorded } = inProcessDeps(
    {
      tracker: "github-projects",
      url: sim.url,
      token: TOKEN,
      project: "acme/1",
      field: "Bench link",
      value: BENCH,
      ...inputs,
    },
    {
      env: readRunnerEnv({
        GITHUB_EVENT_NAME: "push",
        GITHUB_REF_NAME: "12-login-form",
        GITHUB_REPOSITORY: "acme/web",
        ...runner,
      }),
      readFile: async () => JSON.stringify(payload),
    },
  );
  await run(runDeps);
  seen.push(recorded);
  return recorded;
}

describe("the Action on a GitHub project", () => {
  it("takes #12 from GitHub's issue branch, writes the bench URL and moves its Status", async () => {
    sim.defineField("Bench link", "TEXT");
    sim.createIssue("acme/web#12", { status: "Todo" });
    const recorded = await action({ status: "In Progress" });
    expect(recorded.failed).toEqual([]);
    expect(recorded.outputs).toEqual({ "issue-keys": "acme/web#12", updated: "1" });
    expect(sim.getIssue("acme/web#12")).toMatchObject({
      status: "In Progress",
      fields: { "Bench link": BENCH },
    });
    expect(recorded.summaries.join("\n")).toContain("acme/web#12");
  });

  it("issue-key takes #7 (this repository's) and acme/api#3; an issue not on the project is added", async () => {
    sim.defineField("Bench link", "TEXT");
    sim.createIssue("acme/web#7", { status: "Todo" });
    sim.createIssue("acme/api#3", { onProject: false });
    const recorded = await action({ "issue-key": "#7, Acme/API#3", status: "Done" });
    expect(recorded.failed).toEqual([]);
    expect(recorded.outputs["issue-keys"]).toBe("acme/web#7,acme/api#3");
    for (const key of ["acme/web#7", "acme/api#3"]) {
      expect(sim.getIssue(key)).toMatchObject({
        onProject: true,
        status: "Done",
        fields: { "Bench link": BENCH },
      });
    }
  });

  it("without url, talks to the GitHub the workflow runs on (GITHUB_SERVER_URL)", async () => {
    sim.defineField("Bench link", "TEXT");
    sim.createIssue("acme/web#12");
    const recorded = await action({ url: "" }, { GITHUB_SERVER_URL: sim.url });
    expect(recorded.failed).toEqual([]);
    expect(sim.getIssue("acme/web#12").fields["Bench link"]).toBe(BENCH);
    // GitHub Enterprise Server's GraphQL path, next to its web address.
    expect(sim.requests.map((r) => r.path)).toContain("/api/graphql");
  });

  it("says what is missing or wrong: the project, a PROJ-style key, the token", async () => {
    expect((await action({ project: "" })).failed.join("\n")).toContain(
      'input "project" is required for tracker github-projects: an organization project, as acme/3',
    );
    expect((await action({ "issue-key": "PROJ-1" })).failed.join("\n")).toContain(
      'input "issue-key" must be GitHub issues such as #12 or acme/web#12, separated by commas (got "PROJ-1")',
    );
    sim.defineField("Bench link", "TEXT");
    sim.createIssue("acme/web#12");
    const refused = await action({ token: "ghs_notTheToken" });
    expect(refused.failed.join("\n")).toContain("Projects: Read and write");
    expect(refused.failed.join("\n")).not.toContain("ghs_notTheToken");
  });

  it("2024-release is no issue #2024 when that issue is not on the project: nothing is written", async () => {
    sim.defineField("Bench link", "TEXT");
    sim.createIssue("acme/web#2024", { onProject: false });
    const recorded = await action({ status: "In Progress" }, { GITHUB_REF_NAME: "2024-release" });
    expect(recorded.failed).toEqual([]);
    expect(recorded.warnings).toEqual([
      'No issue found: branch "2024-release" reads as issue acme/web#2024, which is not an item of project acme/1. Name the branch after an issue of the project (e.g. 12-login, as GitHub names a branch made from issue #12) or pass the key with the issue-key input.',
    ]);
    expect(recorded.outputs).toEqual({ "issue-keys": "", updated: "0" });
    // Not added to the project, no field set: only the issue was read.
    expect(sim.getIssue("acme/web#2024")).toMatchObject({ onProject: false, fields: {} });
    expect(recorded.summaries.join("\n")).toContain("not an item of project acme/1");
  });

  it("a branch's number that names no issue at all: the same, and fail-on-missing-key fails", async () => {
    const warned = await action({}, { GITHUB_REF_NAME: "2024-release" });
    expect(warned.failed).toEqual([]);
    expect(warned.warnings.join("\n")).toContain(
      'branch "2024-release" reads as issue acme/web#2024, which does not exist or this token cannot read it.',
    );
    const failed = await action(
      { "fail-on-missing-key": "true" },
      { GITHUB_REF_NAME: "2024-release" },
    );
    expect(failed.failed.join("\n")).toMatch(
      /^No issue found: .*acme\/web#2024, which does not exist or this token cannot read it\. /,
    );
  });

  it("a project the connection cannot find fails the step; it is not an issue that is missing", async () => {
    const recorded = await action({ project: "acme/9" }, { GITHUB_REF_NAME: "12-login-form" });
    expect(recorded.warnings).toEqual([]);
    expect(recorded.failed.join("\n")).toContain("project acme #9");
  });

  it("the PR title names the issue on purpose: it is written and added to the project", async () => {
    sim.defineField("Bench link", "TEXT");
    sim.createIssue("acme/web#12", { onProject: false });
    const recorded = await action(
      {},
      {
        GITHUB_EVENT_NAME: "pull_request",
        GITHUB_EVENT_PATH: "/event.json",
        GITHUB_HEAD_REF: "12-login-form",
      },
      pullRequestPayload("12-login-form", "Login form, closes #12"),
    );
    expect(recorded.failed).toEqual([]);
    expect(sim.getIssue("acme/web#12")).toMatchObject({
      onProject: true,
      fields: { "Bench link": BENCH },
    });
  });

  it("a dry run calls nothing and says a run will check the branch's issue", async () => {
    const recorded = await action({ "dry-run": "true" }, { GITHUB_REF_NAME: "2024-release" });
    expect(recorded.failed).toEqual([]);
    expect(recorded.infos).toContain(
      'acme/web#2024 is read from branch "2024-release" alone: a run updates it only if it is an item of project acme/1',
    );
    expect(sim.requests).toEqual([]);
  });

  it("a branch that is no issue branch: the step warns and names GitHub's branch naming", async () => {
    const recorded = await action({}, { GITHUB_REF_NAME: "main" });
    expect(recorded.failed).toEqual([]);
    expect(recorded.warnings.join("\n")).toContain(
      "12-login, as GitHub names a branch made from issue #12",
    );
  });
});
