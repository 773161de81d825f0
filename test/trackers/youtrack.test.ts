import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { PlannedAction } from "../../src/core/types.js";
import { strictJiraWorkflow } from "../../src/simulators/shared/workflow.js";
import {
  startYouTrackSimulator,
  type YouTrackSimulator,
} from "../../src/simulators/youtrack/index.js";
import { applyAction } from "../../src/trackers/apply-action.js";
import { createTracker } from "../../src/trackers/create-tracker.js";
import { TrackerError } from "../../src/trackers/errors.js";
import type { Tracker } from "../../src/trackers/port.js";
import { readTrackerWebhook } from "../../src/trackers/webhook.js";

const TOKEN = "perm:cm9ib3Q=.NDItMQ==.s3cr3tT0k3nV4lu3";
const HOOK_SECRET = "youtrack-webhook-token-1234567890";

const move = (key: string, target: string, via?: string[]): PlannedAction => ({
  kind: "move",
  key,
  target,
  trigger: "merged",
  protect: [],
  ...(via ? { via } : {}),
});

async function failure(promise: Promise<unknown>): Promise<TrackerError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TrackerError);
  expect(String(error)).not.toContain(TOKEN);
  return error as TrackerError;
}

describe("YouTrack adapter", () => {
  let sim: YouTrackSimulator;
  let tracker: Tracker;
  const connect = (token = TOKEN) =>
    createTracker({ name: "youtrack", type: "youtrack", url: sim.url, token }, { timeoutMs: 2000 });

  beforeAll(async () => {
    sim = await startYouTrackSimulator({ token: TOKEN });
  });
  afterAll(() => sim.close());
  beforeEach(() => {
    sim.reset();
    tracker = connect();
  });

  it("reads the issue, its State with a category and every other state, in one request", async () => {
    sim.createIssue("NP-98");
    const issue = await tracker.getIssue("NP-98", { transitions: true });
    expect(sim.requests).toHaveLength(1);
    expect(sim.requests[0]).toMatchObject({ method: "GET", path: "/api/issues/NP-98" });
    expect(decodeURIComponent(sim.requests[0]!.query)).toContain("projectCustomField(bundle(");
    expect(issue).toMatchObject({
      key: "NP-98",
      aliases: [],
      status: { key: "Open", display: "Open", category: "todo" },
      scope: { project: "NP", issueType: "Task", name: "NP (Task)" },
    });
    expect(issue.transitions!.map((t) => [t.id, t.to.category])).toEqual([
      ["In progress", "in_progress"],
      ["In review", "in_progress"],
      ["Needs improvement", "in_progress"],
      ["Ready for test", "in_progress"],
      ["Closed", "done"],
    ]);
  });

  it("moves by setting State with its $type: a read and one POST; a no-op is one read", async () => {
    sim.createIssue("NP-1");
    const result = await applyAction(tracker, move("NP-1", "Ready for test"));
    expect(result.summary).toBe("moved Open → Ready for test");
    expect(sim.getIssue("NP-1").status.key).toBe("readyForTest");
    expect(sim.requests.map((r) => r.method)).toEqual(["GET", "POST"]);
    expect(sim.requests[1]!.body).toEqual({
      customFields: [
        { name: "State", $type: "StateIssueCustomField", value: { name: "Ready for test" } },
      ],
    });
    sim.resetRequests();
    const again = await applyAction(tracker, move("NP-1", "ready for test"));
    expect(again.summary).toBe("already in Ready for test");
    expect(sim.requests).toHaveLength(1);
  });

  it("gives the workflow's rule when it forbids a transition and no other way is known", async () => {
    sim.setWorkflow(strictJiraWorkflow());
    sim.createIssue("NP-2");
    const error = await failure(applyAction(tracker, move("NP-2", "Ready for test")));
    expect(error.kind).toBe("no_transition");
    expect(error.retryable).toBe(false);
    expect(error.message).toBe(
      'youtrack refused to move NP-2 to Ready for test (400): The "state-machine" workflow rule does not allow State to change from Open to Ready for test. From Open the State can change to: In progress, In review.',
    );
    expect(sim.getIssue("NP-2").status.key).toBe("open");
    // The refused step is not sent again: the issue is re-read once to plan another way.
    expect(sim.requests.map((r) => r.method)).toEqual(["GET", "POST", "GET"]);
  });

  it("routes through the config's routes:, one State change per step", async () => {
    sim.setWorkflow(strictJiraWorkflow());
    sim.createIssue("NP-3");
    const result = await applyAction(
      tracker,
      move("NP-3", "Ready for test", ["In progress", "In review"]),
    );
    expect(result.summary).toBe("moved Open → In progress → In review → Ready for test");
    expect(sim.requests.map((r) => r.method)).toEqual(["GET", "POST", "POST", "POST"]);
  });

  it("routes around a refused transition along the edges it learned", async () => {
    sim.setWorkflow(strictJiraWorkflow());
    sim.createIssue("NP-4");
    sim.createIssue("NP-5");
    await applyAction(tracker, move("NP-4", "Ready for test", ["In review"]));
    // NP-5 tries the direct way; the workflow refuses it, and the way NP-4 took is known.
    const result = await applyAction(tracker, move("NP-5", "Ready for test"));
    expect(result.summary).toBe("moved Open → In review → Ready for test");
    sim.resetRequests();
    sim.createIssue("NP-15");
    // The refusal is remembered: the next issue goes the known way at once.
    await applyAction(tracker, move("NP-15", "Ready for test"));
    expect(sim.requests.map((r) => r.method)).toEqual(["GET", "POST", "POST"]);
  });

  it("skips a waypoint the workflow does not allow from where the issue stands", async () => {
    sim.setWorkflow(strictJiraWorkflow());
    sim.createIssue("NP-16", { status: "readyForTest" });
    const result = await applyAction(tracker, move("NP-16", "Needs improvement", ["In review"]));
    expect(result.summary).toBe("moved Ready for test → Needs improvement");
  });

  it("writes a text field as {text} and a string field as its value, by name, reading types once", async () => {
    sim.createIssue("NP-6");
    await tracker.setField("NP-6", "Bench link", "https://pr-6.bench.test");
    await tracker.setField("NP-6", "build url", "https://ci.test/6");
    expect(sim.getIssue("NP-6").fields).toMatchObject({
      "Bench link": "https://pr-6.bench.test",
      "Build URL": "https://ci.test/6",
    });
    expect(sim.requests.map((r) => r.method)).toEqual(["GET", "POST", "POST"]);
    expect(sim.requests[1]!.body).toEqual({
      customFields: [
        {
          name: "Bench link",
          $type: "TextIssueCustomField",
          value: { text: "https://pr-6.bench.test" },
        },
      ],
    });
    expect(sim.requests[2]!.body).toMatchObject({
      customFields: [{ $type: "SimpleIssueCustomField", value: "https://ci.test/6" }],
    });
  });

  it("names the project's fields when none has the name", async () => {
    sim.createIssue("NP-7");
    const error = await failure(tracker.setField("NP-7", "Bench lnk", "x"));
    expect(error.kind).toBe("invalid");
    expect(error.message).toBe(
      'no field named "Bench lnk" in the project of NP-7 in youtrack; fields there: "State", "Type", "Assignee", "Fix versions", "Bench link", "Build URL", "Story points"',
    );
  });

  it("links a pull request with one comment carrying its URL, once", async () => {
    sim.createIssue("NP-8");
    const link = { url: "https://github.com/o/r/pull/8", title: "Fix it", globalId: "x" };
    expect(await tracker.linkPullRequest("NP-8", link)).toBe("created");
    expect(await tracker.linkPullRequest("NP-8", link)).toBe("exists");
    expect(sim.getIssue("NP-8").comments.map((c) => c.text)).toEqual([
      "Pull request: Fix it https://github.com/o/r/pull/8",
    ]);
  });

  it("unlinks a pull request by editing its comment, or deleting it", async () => {
    sim.createIssue("NP-14");
    const link = { url: "https://github.com/o/r/pull/14", title: "Gone", globalId: "x" };
    await tracker.linkPullRequest("NP-14", link);
    expect(await tracker.unlink!("NP-14", link)).toBe("removed");
    expect(sim.getIssue("NP-14").comments.map((c) => c.text)).toEqual([
      "No longer refers to this issue: pull request Gone https://github.com/o/r/pull/14",
    ]);
    expect(await tracker.unlink!("NP-14", link)).toBe("absent");
    await tracker.linkPullRequest("NP-14", link);
    expect(await tracker.unlink!("NP-14", link, { yandexComment: "delete" })).toBe("removed");
    expect(sim.getIssue("NP-14").comments).toHaveLength(1);
  });

  it("stamps Fix versions, adding a missing version to the project's set once", async () => {
    sim.createIssue("NP-9");
    sim.createIssue("NP-10");
    expect(await tracker.addFixVersion("NP-9", "2.4.0")).toBe("created");
    expect(await tracker.addFixVersion("NP-9", "2.4.0")).toBe("exists");
    expect(await tracker.addFixVersion("NP-10", "2.4.0")).toBe("added");
    expect(await tracker.addFixVersion("NP-10", "2.5.0")).toBe("created");
    expect(sim.versions("NP")).toEqual(["2.4.0", "2.5.0"]);
    expect(sim.getIssue("NP-10").fixVersions).toEqual(["2.4.0", "2.5.0"]);
  });

  it("says so when the project has no Fix versions field", async () => {
    sim.createIssue("NV-1");
    sim.setVersionsField("NV", false);
    const error = await failure(tracker.addFixVersion("NV-1", "1.0"));
    expect(error.message).toBe('project NV in youtrack has no "Fix versions" field');
  });

  it("classifies failures: unknown key, bad token, 429 with its wait, 5xx retried, 4xx not", async () => {
    sim.createIssue("NP-11");
    const missing = await failure(tracker.getIssue("NP-404"));
    expect([missing.kind, missing.message]).toEqual([
      "not_found",
      "issue NP-404 not found in youtrack",
    ]);
    const auth = await failure(connect("perm:wrong").getIssue("NP-11"));
    expect(auth.kind).toBe("auth");
    sim.injectFaults({ status: 429, count: 1, retryAfterSeconds: 7 });
    const limited = await failure(tracker.getIssue("NP-11"));
    expect([limited.kind, limited.retryAfterMs, limited.retryable]).toEqual([
      "rate_limited",
      7000,
      true,
    ]);
    sim.injectFaults({ status: 503, count: 1 });
    expect((await failure(tracker.getIssue("NP-11"))).retryable).toBe(true);
    const bad = await failure(tracker.addComment("NP-11", " "));
    expect([bad.kind, bad.retryable, bad.message]).toEqual([
      "invalid",
      false,
      "youtrack refused to comment on NP-11 (400): Comment text is required",
    ]);
  });

  it("finds issues updated since a moment through the search query", async () => {
    sim.createIssue("NP-12");
    sim.createIssue("OPS-1");
    sim.createIssue("XX-1");
    const keys = await tracker.updatedSince(["NP", "OPS"], Date.now() - 60_000);
    expect(keys.sort()).toEqual(["NP-12", "OPS-1"]);
    expect(await tracker.updatedSince(["NP"], Date.now() + 60_000)).toEqual([]);
    const query = new URLSearchParams(sim.requests[0]!.query).get("query");
    expect(query).toMatch(
      /^project: \{NP\}, \{OPS\} updated: \d{4}-\d\d-\d\d \.\. \d{4}-\d\d-\d\d$/,
    );
  });

  it("reads who the token is, a project to look at, and a project's states", async () => {
    sim.createIssue("NP-13");
    expect(await tracker.whoAmI()).toEqual({ name: "Robot", login: "robot" });
    expect(await tracker.someWorkflowScope()).toEqual({ project: "NP", issueType: "", name: "NP" });
    const { statuses, graph } = await tracker.projectWorkflow("NP");
    expect(statuses.map((s) => `${s.display}:${s.category}`)).toEqual([
      "Open:todo",
      "In progress:in_progress",
      "In review:in_progress",
      "Needs improvement:in_progress",
      "Ready for test:in_progress",
      "Closed:done",
    ]);
    expect(graph.unreadable).toMatch(/no REST API for a workflow's transitions/);
    await expect(tracker.projectWorkflow("NOPE")).rejects.toMatchObject({ kind: "not_found" });
  });
});

describe("YouTrack webhooks (Webhook Triggers app)", () => {
  const body = (payload: unknown) => JSON.stringify(payload);
  const payload = {
    event: "issueUpdated",
    issue: { idReadable: "NP-98" },
    changedFields: [{ name: "State" }],
  };

  it("takes a State change with the shared token as a signal for the issue", async () => {
    const read = await readTrackerWebhook(
      { type: "youtrack" },
      HOOK_SECRET,
      { "x-youtrack-token": HOOK_SECRET },
      body(payload),
    );
    expect(read).toEqual({ kind: "signal", key: "NP-98", deliveryId: null });
  });

  it("refuses a missing or wrong token, and ignores changes to other fields", async () => {
    expect(await readTrackerWebhook({ type: "youtrack" }, HOOK_SECRET, {}, body(payload))).toEqual({
      kind: "unauthorized",
      reason: "X-YouTrack-Token is missing",
    });
    const forged = await readTrackerWebhook(
      { type: "youtrack" },
      HOOK_SECRET,
      { "x-youtrack-token": "guess" },
      body(payload),
    );
    expect(forged.kind).toBe("unauthorized");
    const other = { ...payload, changedFields: [{ name: "Assignee" }] };
    expect(
      (
        await readTrackerWebhook(
          { type: "youtrack" },
          HOOK_SECRET,
          { "x-youtrack-token": HOOK_SECRET },
          body(other),
        )
      ).kind,
    ).toBe("ignored");
  });
});
