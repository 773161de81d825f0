/**
 * The Action with `tracker: github-projects`, in-process against the GitHub Projects simulator
 * over real HTTP: the key from GitHub's issue branch (12-login-form), `#12` / `acme/web#12` in
 * `issue-key`, the bench URL into the project's text field, `status` into its Status field,
 * the runner's GitHub when `url` is left out, and what a missing project or a refused token say.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { run } from "../../src/action/run.js";
import { readRunnerEnv } from "../../src/action/runner-env.js";
import {
  type GitHubProjectsSimulator,
  startGitHubProjectsSimulator,
} from "../../src/simulators/github-projects/index.js";
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

async function action(inputs: Record<string, string>, runner: Record<string, string> = {}) {
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

  it("a branch that is no issue branch: the step warns and names GitHub's branch naming", async () => {
    const recorded = await action({}, { GITHUB_REF_NAME: "main" });
    expect(recorded.failed).toEqual([]);
    expect(recorded.warnings.join("\n")).toContain(
      "12-login, as GitHub names a branch made from issue #12",
    );
  });
});
