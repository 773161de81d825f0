import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { takeContractViolations } from "../../src/simulators/github/contract.js";
import { type GitHubSimulator, startGitHubSimulator } from "../../src/simulators/github/index.js";
import { APP_ID, appKeyPair, probotOctokit } from "./github-fixtures.js";

const { privateKey, publicKey } = appKeyPair();
const SHA = "b".repeat(40);
let sim: GitHubSimulator;

beforeAll(async () => {
  sim = await startGitHubSimulator({ appId: APP_ID, publicKey });
  sim.addRepo({ owner: "acme", name: "web", installationId: 3 });
  sim.addPullRequest("acme", "web", {
    number: 5,
    title: "WEB-5",
    head: { ref: "feature/WEB-5", sha: SHA },
  });
});
afterAll(() => sim.close());
beforeEach(() => sim.resetRequests());

const octokit = () => probotOctokit({ baseUrl: sim.url, privateKey, installationId: 3 });
const repo = { owner: "acme", repo: "web" };

describe("check runs", () => {
  it("creates, updates and lists a check run, keeping its history", async () => {
    const created = await octokit().rest.checks.create({
      ...repo,
      name: "trackbridge",
      head_sha: SHA,
      status: "in_progress",
      output: { title: "Moving WEB-5", summary: "…" },
    });
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({ status: "in_progress", conclusion: null });
    expect(created.data.pull_requests.map((p) => p.number)).toEqual([5]);

    await octokit().rest.checks.update({
      ...repo,
      check_run_id: created.data.id,
      conclusion: "success",
      output: { title: "WEB-5 moved", summary: "In progress → Review", text: "details" },
    });

    const listed = await octokit().rest.checks.listForRef({
      ...repo,
      ref: SHA,
      check_name: "trackbridge",
    });
    expect(listed.data.total_count).toBe(1);
    expect(listed.data.check_runs[0]).toMatchObject({
      id: created.data.id,
      status: "completed",
      conclusion: "success",
      output: { title: "WEB-5 moved", summary: "In progress → Review", text: "details" },
    });

    const [run] = sim.checkRuns("acme", "web");
    expect(run).toMatchObject({ name: "trackbridge", head_sha: SHA, status: "completed" });
    expect(run?.history.map((h) => [h.action, h.status, h.conclusion, h.output.title])).toEqual([
      ["created", "in_progress", null, "Moving WEB-5"],
      ["updated", "completed", "success", "WEB-5 moved"],
    ]);
  });

  it("lists only the newest run per name unless filter=all, and resolves a branch name", async () => {
    const client = octokit();
    for (const title of ["first", "second"]) {
      await client.rest.checks.create({
        ...repo,
        name: "again",
        head_sha: SHA,
        conclusion: "neutral",
        output: { title, summary: "s" },
      });
    }
    const latest = await client.rest.checks.listForRef({ ...repo, ref: SHA, check_name: "again" });
    expect(latest.data.check_runs.map((r) => r.output.title)).toEqual(["second"]);
    const all = await client.rest.checks.listForRef({
      ...repo,
      ref: "feature/WEB-5",
      check_name: "again",
      filter: "all",
    });
    expect(all.data.check_runs.map((r) => r.output.title)).toEqual(["second", "first"]);
  });

  // The last column is what GitHub's OpenAPI description says of the body (the contract check
  // in test/setup); the rest GitHub checks beyond what the description can express.
  it.each([
    ["no head_sha", { name: "x", head_sha: "" }, []],
    [
      "an output without summary",
      { name: "x", head_sha: SHA, output: { title: "t" } },
      ["body.output.summary is required but missing"],
    ],
    ["completed without conclusion", { name: "x", head_sha: SHA, status: "completed" }, []],
    [
      "an unknown conclusion",
      { name: "x", head_sha: SHA, conclusion: "great" },
      ['body.conclusion is "great", not one of'],
    ],
    [
      "a summary over 65535 characters",
      { name: "x", head_sha: SHA, output: { title: "t", summary: "s".repeat(65_536) } },
      ["body.output.summary has 65536 characters, more than 65535"],
    ],
  ])("refuses %s with 422, as GitHub does", async (_why, body, undocumented) => {
    const before = sim.checkRuns("acme", "web").length;
    await expect(
      // An untyped route: these bodies are ones the typed one would (rightly) refuse.
      octokit().request("POST /repos/acme/web/check-runs", body),
    ).rejects.toMatchObject({ status: 422 });
    expect(sim.checkRuns("acme", "web")).toHaveLength(before);
    expect(takeContractViolations()).toEqual(undocumented.map((s) => expect.stringContaining(s)));
  });

  it("leaves a run untouched when an update is refused", async () => {
    const client = octokit();
    const { data } = await client.rest.checks.create({ ...repo, name: "keep", head_sha: SHA });
    await expect(
      client.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", {
        ...repo,
        check_run_id: data.id,
        status: "completed",
      }),
    ).rejects.toMatchObject({ status: 422 });
    expect(takeContractViolations()).toEqual([
      expect.stringContaining("checks/update: body.conclusion is required but missing"),
    ]);
    const run = sim.checkRuns("acme", "web").find((r) => r.id === data.id);
    expect(run).toMatchObject({ status: "queued", conclusion: null });
    expect(run?.history).toHaveLength(1);
  });
});

describe("routes nobody implemented", () => {
  it("answer GitHub's 404 and are marked in the request log", async () => {
    const client = octokit();
    await expect(
      client.rest.pulls.listReviewComments({ ...repo, pull_number: 5 }),
    ).rejects.toMatchObject({
      status: 404,
      response: { data: { message: "Not Found", documentation_url: expect.any(String) } },
    });
    expect(sim.unhandledRequests()).toEqual([
      expect.objectContaining({
        method: "GET",
        path: "/repos/acme/web/pulls/5/comments",
        status: 404,
      }),
    ]);
    // A 404 from an implemented route is GitHub's answer, not a gap in the simulator.
    await expect(client.rest.pulls.get({ ...repo, pull_number: 404 })).rejects.toMatchObject({
      status: 404,
    });
    expect(sim.unhandledRequests()).toHaveLength(1);
  });
});
