import examples from "@octokit/webhooks-examples";
import { describe, expect, it } from "vitest";
import { normalizePullRequestEvent } from "../../src/handlers/normalize-event.js";
import { normalizeDeploymentStatus } from "../../src/handlers/normalize-ref-event.js";

// biome-ignore lint/suspicious/noExplicitAny: tests edit GitHub's example payloads freely.
type Payload = Record<string, any>;
const all = examples as unknown as Array<{ name: string; examples: Payload[] }>;
const example = (name: string, action: string): Payload =>
  structuredClone(all.find((e) => e.name === name)!.examples.find((p) => p.action === action)!);

function pr(action: string, patch: Payload = {}): Payload {
  const payload = example("pull_request", action === "edited" ? "opened" : action);
  payload.action = action;
  Object.assign(payload.pull_request, patch);
  return payload;
}

describe("normalizing pull request events", () => {
  it.each([
    ["opened", {}, "opened"],
    ["opened", { draft: true }, "draft"],
    ["reopened", {}, "opened"],
    ["ready_for_review", {}, "ready"],
    ["converted_to_draft", {}, "draft"],
    ["closed", { merged: true, merged_at: "2026-01-01T00:00:00Z", state: "closed" }, "merged"],
    ["closed", { merged: false, state: "closed" }, "closed"],
    ["edited", {}, null],
  ])("pull_request.%s %o → %s", (action, patch, trigger) => {
    const result = normalizePullRequestEvent("pull_request", pr(action, patch));
    expect(result.ok && result.event.trigger).toBe(trigger);
  });

  it.each([
    ["approved", "approved"],
    ["APPROVED", "approved"],
    ["changes_requested", "changes_requested"],
  ])("review %s → %s", (state, trigger) => {
    const payload = example("pull_request_review", "submitted");
    payload.review.state = state;
    const result = normalizePullRequestEvent("pull_request_review", payload);
    expect(result.ok && result.event.trigger).toBe(trigger);
    expect(result.ok && result.event.at).toBe(payload.review.submitted_at);
  });

  it.each([
    ["pull_request", pr("assigned"), /pull_request.assigned does not move issues/],
    [
      "pull_request_review",
      example("pull_request_review", "submitted"),
      /\(commented\) does not move issues/,
    ],
    [
      "pull_request",
      { action: "opened", pull_request: { number: "seven" } },
      /malformed pull_request payload/,
    ],
    ["pull_request", null, /malformed/],
    ["push", {}, /not a pull request event/],
  ])("%s that moves nothing says why", (name, payload, reason) => {
    const result = normalizePullRequestEvent(name, payload);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
  });

  it("carries branch, head, merged state and the bot flag", () => {
    const payload = pr("closed", {
      merged: true,
      merged_at: "2026-02-02T00:00:00Z",
      state: "closed",
    });
    payload.sender = { login: "github-merge-queue[bot]", type: "Bot" };
    const result = normalizePullRequestEvent("pull_request", payload);
    if (!result.ok) throw new Error(result.reason);
    expect(result.event).toMatchObject({
      trigger: "merged",
      currentState: "merged",
      at: "2026-02-02T00:00:00Z",
      actor: { login: "github-merge-queue[bot]", isBot: true },
      pr: {
        branch: payload.pull_request.head.ref,
        headSha: payload.pull_request.head.sha,
        merged: true,
      },
    });
  });
});

describe("normalizing deployment_status", () => {
  it.each([
    ["success", "https://bench.example.com", true],
    ["success", "", false],
    ["failure", "https://bench.example.com", false],
    ["in_progress", "https://bench.example.com", false],
  ])("%s with environment_url %j → acts: %s", (state, url, ok) => {
    const payload = example("deployment_status", "created");
    payload.deployment_status.state = state;
    payload.deployment_status.environment_url = url;
    // The deploy log's link is never taken for the bench URL.
    payload.deployment_status.target_url = "https://github.com/o/r/actions/runs/1";
    const result = normalizeDeploymentStatus(payload, "PROJ-1 deploy");
    expect(result.ok).toBe(ok);
    if (result.ok)
      expect(result.event).toMatchObject({
        url,
        ref: payload.deployment.ref,
        headCommitMessage: "PROJ-1 deploy",
      });
  });
});
