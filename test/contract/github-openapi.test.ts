/**
 * The contract that test/setup/github-contract.ts holds the GitHub simulator to: GitHub's
 * OpenAPI descriptions, for REST calls and for webhook payloads.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { takeContractViolations } from "../../src/simulators/github/contract.js";
import {
  type GitHubSimulator,
  startGitHubSimulator,
  userJson,
} from "../../src/simulators/github/index.js";
import { pullRequestPayload, reviewPayload } from "../../src/simulators/scenario/payloads.js";
import { loadGitHubContract } from "./github-openapi.js";

const contract = loadGitHubContract();

describe("REST calls", () => {
  it.each([
    ["GET", "/app", undefined],
    ["GET", "/repos/acme/web/contents/.github%2Ftrackbridge.yml", undefined],
    ["GET", "/repos/acme/web/contents/.github/trackbridge.yml", undefined],
    ["POST", "/app/installations/7/access_tokens", undefined],
    ["POST", "/repos/acme/web/check-runs", { name: "trackbridge", head_sha: "a".repeat(40) }],
    [
      "PATCH",
      "/repos/acme/web/check-runs/5",
      { status: "completed", conclusion: "success", output: { title: "t", summary: "s" } },
    ],
  ])("%s %s is documented", (method, path, body) => {
    expect(contract.request(method, path, body)).toEqual([]);
  });

  it.each([
    ["GET", "/repos/acme/web/check-runs", undefined, "no such operation"],
    ["PUT", "/app", undefined, "no such operation"],
    ["GET", "/repos/acme/web/pulls/5/everything", undefined, "no such operation"],
    [
      "POST",
      "/repos/acme/web/check-runs",
      { name: "x", head_sha: "a", colour: "red" },
      "checks/create: body.colour is not a field of this shape",
    ],
    ["POST", "/repos/acme/web/check-runs", { name: "x" }, "body.head_sha is required but missing"],
    [
      "POST",
      "/repos/acme/web/issues/5/comments",
      { body: 5 },
      "body.body is number, expected string",
    ],
  ])("%s %s %j is refused", (method, path, body, problem) => {
    expect(contract.request(method, path, body)).toEqual([expect.stringContaining(problem)]);
  });
});

describe("the simulator over HTTP", () => {
  let sim: GitHubSimulator;
  beforeAll(async () => {
    sim = await startGitHubSimulator({ appId: 1 });
  });
  afterAll(() => sim.close());

  it("reports each undocumented call it receives, answered or not", async () => {
    await fetch(`${sim.url}/api/v3/repos/acme/web/teleport`, { method: "POST", body: "{}" });
    await fetch(`${sim.url}/app`);
    expect(takeContractViolations()).toEqual([
      "POST /repos/acme/web/teleport: no such operation in GitHub's REST API description",
    ]);
  });
});

describe("webhook payloads", () => {
  let sim: GitHubSimulator;
  beforeAll(async () => {
    sim = await startGitHubSimulator({ appId: 1 });
  });
  afterAll(() => sim.close());

  function opened() {
    const repository = sim.addRepo({
      owner: "acme",
      name: `web${Math.random()}`,
      installationId: 3,
    });
    const pr = sim.addPullRequest("acme", repository.name, {
      title: "PROJ-1",
      head: { ref: "feature/PROJ-1", sha: "c".repeat(40) },
    });
    const common = { repository, installationId: 3, sender: userJson("alice") };
    return { pr, common, payload: pullRequestPayload("opened", pr, common) };
  }

  it("the scenario builders make what GitHub documents", () => {
    const { pr, common, payload } = opened();
    expect(contract.webhook("pull_request", payload)).toEqual([]);
    const review = reviewPayload("approved", pr, common, "2024-05-01T10:00:00Z");
    expect(contract.webhook("pull_request_review", review)).toEqual([]);
  });

  it("finds a missing required field, an unknown field and an undocumented action", () => {
    const { payload } = opened();
    const { sender, ...withoutSender } = payload;
    expect(contract.webhook("pull_request", withoutSender)).toEqual([
      "payload.sender is required but missing",
    ]);
    expect(contract.webhook("pull_request", { ...payload, colour: "red" })).toEqual([
      expect.stringContaining("payload.colour is not a field of this shape"),
    ]);
    expect(contract.webhook("pull_request", { ...payload, action: "teleported" })).toEqual([
      "no pull_request.teleported webhook in GitHub's webhooks description",
    ]);
    // A review's pull_request is GitHub's shorter shape: no merge state.
    expect(
      contract.webhook("pull_request_review", { ...payload, action: "submitted", review: {} }),
    ).toEqual(
      expect.arrayContaining([
        expect.stringContaining("payload.pull_request.merged is not a field"),
      ]),
    );
  });
});
