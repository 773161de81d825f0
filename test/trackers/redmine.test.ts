/**
 * The Redmine adapter against its simulator over real HTTP: numeric keys behind a prefix,
 * the status write Redmine silently ignores, closed statuses, custom fields by id or name,
 * notes, versions, the poll and the signed webhook.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  type RedmineSimulator,
  startRedmineSimulator,
} from "../../src/simulators/redmine/index.js";
import { strictJiraWorkflow } from "../../src/simulators/shared/workflow.js";
import { applyAction } from "../../src/trackers/apply-action.js";
import type { TrackerConnection } from "../../src/trackers/connection.js";
import { createTracker } from "../../src/trackers/create-tracker.js";
import { readTrackerWebhook } from "../../src/trackers/webhook.js";
import { linkAction, moveTo as move, refusal } from "./helpers.js";

const TOKEN = "rm-api-key-0123456789abcdef";
const SECRET = "redmine-webhook-secret-42";

describe("Redmine adapter", () => {
  let sim: RedmineSimulator;
  const connection = (extra: Partial<TrackerConnection> = {}): TrackerConnection => ({
    name: "redmine",
    type: "redmine",
    url: sim.url,
    token: TOKEN,
    keyPrefix: "RM",
    ...extra,
  });
  let tracker = undefined as unknown as ReturnType<typeof createTracker>;

  beforeAll(async () => {
    sim = await startRedmineSimulator({ token: TOKEN, basic: { login: "bot", password: TOKEN } });
  });
  afterAll(() => sim.close());
  beforeEach(() => {
    sim.reset();
    tracker = createTracker(connection());
  });

  it("reads RM-7 as issue #7 with the statuses allowed from here, in one request", async () => {
    sim.createIssue("WEB-7");
    const issue = await tracker.getIssue("rm-7", { transitions: true });
    expect(issue).toMatchObject({
      key: "RM-7",
      aliases: [],
      status: { key: "1", display: "Open" },
    });
    expect(issue.scope?.name).toBe("WEB (Task)");
    expect(issue.transitions!.map((t) => t.to.display).sort()).toEqual([
      "Closed",
      "In progress",
      "In review",
      "Needs improvement",
      "Ready for test",
    ]);
    expect(sim.requests.map((r) => `${r.method} ${r.path}?${r.query}`)).toEqual([
      "GET /issues/7.json?include=allowed_statuses",
    ]);
  });

  it("refuses a key of another prefix instead of reading the same number", async () => {
    sim.createIssue("WEB-7");
    const error = await refusal(tracker.getIssue("PROJ-7"));
    expect(error.message).toBe("PROJ-7 is not a ticket of redmine: its keys look like RM-123");
    expect(sim.requests).toHaveLength(0);
  });

  it("moves with a PUT and reads again to see that Redmine kept it", async () => {
    sim.createIssue("WEB-2");
    const result = await applyAction(tracker, move("RM-2", "Ready for test"));
    expect(result.summary).toBe("moved Open → Ready for test");
    expect(sim.getIssue("WEB-2").status.key).toBe("readyForTest");
    const calls = sim.requests.filter((r) => r.path.startsWith("/issues/"));
    expect(calls.map((r) => r.method)).toEqual(["GET", "PUT", "GET"]);
    expect(calls[1]!.body).toEqual({ issue: { status_id: 10003 } });
  });

  it("reports a status Redmine ignored (204, workflow changed since the read) as refused, never as moved", async () => {
    sim.createIssue("WEB-3");
    await tracker.getIssue("RM-3", { transitions: true });
    // The administrator tightens the workflow between our read and our write.
    sim.setWorkflow(strictJiraWorkflow());
    const error = await refusal(tracker.executeTransition("RM-3", "10003"));
    expect(error.kind).toBe("invalid");
    expect(error.message).toBe(
      "redmine kept RM-3 in Open: the workflow does not let this token's role set status 10003 from there (Redmine answers such a change with 204 and ignores it); allowed from Open: In progress, In review",
    );
    expect(sim.requests.find((r) => r.method === "PUT")?.status).toBe(204);
    expect(sim.getIssue("WEB-3").status.key).toBe("open");
  });

  it("routes on what it learned of the workflow, and never says moved when nothing moved", async () => {
    sim.setWorkflow(strictJiraWorkflow());
    sim.createIssue("WEB-4");
    sim.createIssue("WEB-5", { status: "inReview" });
    // Unknown edges: Redmine has no workflow API, so the first move has no route.
    const unknown = await refusal(applyAction(tracker, move("RM-4", "Ready for test")));
    expect(unknown.kind).toBe("no_transition");
    expect(sim.getIssue("WEB-4").status.key).toBe("open");
    // Once an issue in In review has been read, the way on from there is known.
    await tracker.getIssue("RM-5", { transitions: true });
    const result = await applyAction(tracker, move("RM-4", "Ready for test"));
    expect(result.summary).toBe("moved Open → In review → Ready for test");
  });

  it("takes a closed status (is_closed) as done: a late event never reopens it", async () => {
    sim.createIssue("WEB-6", { status: "closed" });
    const issue = await tracker.getIssue("RM-6");
    expect(issue.status).toEqual({ key: "6", display: "Closed", category: "done" });
    const result = await applyAction(tracker, move("RM-6", "In progress", "opened"));
    expect(result.summary).toBe("left in Closed (done; the config's reopen: true would move it)");
    expect(sim.getIssue("WEB-6").status.key).toBe("closed");
  });

  it("writes the bench URL to a custom field by name or id, and says when Redmine dropped it", async () => {
    sim.createIssue("WEB-8");
    await tracker.setField("RM-8", "Bench link", "https://pr-8.bench.test/");
    expect(sim.getIssue("WEB-8").fields["5"]).toBe("https://pr-8.bench.test/");
    await tracker.setField("RM-8", "5", "https://pr-8b.bench.test/");
    expect(sim.getIssue("WEB-8").fields["5"]).toBe("https://pr-8b.bench.test/");
    const dropped = await refusal(tracker.setField("RM-8", "Resolved by", "x"));
    expect(dropped.message).toMatch(
      /^redmine did not store "Resolved by" \(6\) on RM-8: the field is read-only/,
    );
    const missing = await refusal(tracker.setField("RM-8", "Bench URL", "x"));
    expect(missing.message).toBe(
      'no custom field "Bench URL" on RM-8 in redmine; its custom fields: "Bench link" (5), "Resolved by" (6)',
    );
  });

  it("comments in notes and links the pull request with one note, once", async () => {
    sim.createIssue("WEB-9");
    await tracker.addComment("RM-9", "Deployed");
    const link = linkAction("RM-9", 7, "Fix login");
    expect((await applyAction(tracker, link)).summary).toBe("linked");
    expect((await applyAction(tracker, link)).summary).toBe("already linked");
    expect(sim.getIssue("WEB-9").comments.map((c) => c.text)).toEqual([
      "Deployed",
      "Pull request: Fix login https://github.com/acme/web/pull/7",
    ]);
    expect((await tracker.listComments("RM-9")).map((c) => c.text)).toHaveLength(2);
    const puts = sim.requests.filter((r) => r.method === "PUT").map((r) => r.body);
    expect(puts).toEqual([
      { issue: { notes: "Deployed" } },
      { issue: { notes: "Pull request: Fix login https://github.com/acme/web/pull/7" } },
    ]);
  });

  it("sets the fixed version, creating it in the issue's project once", async () => {
    sim.createIssue("WEB-10");
    sim.createIssue("WEB-11");
    const stamp = (key: string) =>
      applyAction(tracker, { kind: "fix_version", key, version: "1.4.0" });
    expect((await stamp("RM-10")).summary).toBe("fix version 1.4.0 (version created)");
    expect((await stamp("RM-11")).summary).toBe("fix version 1.4.0");
    expect((await stamp("RM-11")).summary).toBe("fix version 1.4.0 already set");
    expect(sim.versions("WEB")).toEqual(["1.4.0"]);
    expect(sim.getIssue("WEB-10").fixVersions).toEqual(["1.4.0"]);
    const put = sim.requests.find((r) => r.method === "PUT" && r.path === "/issues/11.json");
    expect(put?.body).toEqual({ issue: { fixed_version_id: 10001 } });
  });

  it("polls the issues updated since a time, as keys of its prefix only", async () => {
    const before = Date.now() - 2000;
    sim.createIssue("WEB-12");
    sim.createIssue("OPS-13");
    expect((await tracker.updatedSince(["RM"], before)).sort()).toEqual(["RM-12", "RM-13"]);
    expect(await tracker.updatedSince(["PROJ"], before)).toEqual([]);
    expect(await tracker.updatedSince(["RM"], Date.now() + 60_000)).toEqual([]);
  });

  it("authenticates with the API key header or Basic, and never repeats the key", async () => {
    sim.createIssue("WEB-14");
    expect(sim.requests.length).toBe(0);
    await tracker.getIssue("RM-14");
    expect(sim.requests.length).toBe(1);
    const basic = createTracker(connection({ login: "bot" }));
    expect((await basic.getIssue("RM-14")).key).toBe("RM-14");
    const me = await tracker.whoAmI();
    expect(me).toEqual({ name: "Track Bridge", login: "trackbridge" });
    expect(JSON.stringify(me)).not.toContain(TOKEN);
    const wrong = await refusal(
      createTracker(connection({ token: "not-the-key" })).getIssue("RM-14"),
    );
    expect(wrong.message).toBe(
      'the token for connection "redmine" was rejected (401): check TRACKER_TOKEN',
    );
    const missing = await refusal(tracker.getIssue("RM-404"));
    expect(missing.message).toBe("issue RM-404 not found in redmine");
  });

  it("reads the project's statuses with categories; the workflow is learned, and says so", async () => {
    sim.createIssue("WEB-15");
    const { statuses, graph } = await tracker.projectWorkflow("web");
    expect(statuses.map((s) => `${s.display}:${s.category}`)).toEqual([
      "Open:todo",
      "In progress:in_progress",
      "In review:in_progress",
      "Needs improvement:in_progress",
      "Ready for test:in_progress",
      "Closed:done",
    ]);
    expect(graph.unreadable).toMatch(/no REST API for its workflows/);
    expect(await tracker.someWorkflowScope()).toEqual({
      project: "10000",
      issueType: "1",
      name: "WEB (Task)",
    });
    expect((await refusal(tracker.projectWorkflow("nope"))).kind).toBe("not_found");
  });

  it("takes a signed Redmine webhook as a change of RM-<id>, and refuses a forged one", async () => {
    sim.createIssue("WEB-16");
    const redmine = { type: "redmine" as const, keyPrefix: "RM" };
    const signed = sim.webhook("WEB-16", { secret: SECRET });
    expect(await readTrackerWebhook(redmine, SECRET, signed.headers, signed.body)).toEqual({
      kind: "signal",
      key: "RM-16",
      deliveryId: null,
    });
    const forged = sim.webhook("WEB-16", { secret: "guessed" });
    expect(await readTrackerWebhook(redmine, SECRET, forged.headers, forged.body)).toMatchObject({
      kind: "unauthorized",
      reason: "X-Redmine-Signature-256 does not match",
    });
    const unsigned = sim.webhook("WEB-16");
    expect((await readTrackerWebhook(redmine, SECRET, unsigned.headers, unsigned.body)).kind).toBe(
      "unauthorized",
    );
  });
});
