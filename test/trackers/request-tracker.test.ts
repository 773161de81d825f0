/**
 * The Request Tracker adapter against its REST2 simulator over real HTTP: lifecycle links as
 * transitions, If-Match and the 412 retry, refusals RT reports as messages, custom fields by
 * name, comment vs correspond, the poll, and a ticket resolved right after creation.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  type RequestTrackerSimulator,
  startRequestTrackerSimulator,
} from "../../src/simulators/request-tracker/index.js";
import { applyAction } from "../../src/trackers/apply-action.js";
import type { TrackerConnection } from "../../src/trackers/connection.js";
import { createTracker } from "../../src/trackers/create-tracker.js";
import { readTrackerWebhook } from "../../src/trackers/webhook.js";
import { linkAction, moveTo as move, refusal } from "./helpers.js";

const TOKEN = "1-14-rt-auth-token-abcdef";

describe("Request Tracker adapter", () => {
  let sim: RequestTrackerSimulator;
  const connection = (extra: Partial<TrackerConnection> = {}): TrackerConnection => ({
    name: "rt",
    type: "request-tracker",
    url: sim.url,
    token: TOKEN,
    keyPrefix: "RT",
    ...extra,
  });
  let tracker = undefined as unknown as ReturnType<typeof createTracker>;

  beforeAll(async () => {
    sim = await startRequestTrackerSimulator({ token: TOKEN });
  });
  afterAll(() => sim.close());
  beforeEach(() => {
    sim.reset();
    tracker = createTracker(connection());
  });

  it("reads a ticket: its status, lifecycle category and the lifecycle links as transitions", async () => {
    sim.createIssue("SUPPORT-7");
    const issue = await tracker.getIssue("RT#7", { transitions: true });
    expect(issue).toMatchObject({
      key: "RT-7",
      status: { key: "new", display: "new", category: "todo" },
    });
    expect(issue.transitions!.map((t) => `${t.display} → ${t.to.key}:${t.to.category}`)).toEqual([
      "Open It → open:in_progress",
      "Resolve → resolved:done",
      "Reject → rejected:done",
      "Delete → deleted:done",
    ]);
    expect(sim.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["GET /REST/2.0/ticket/7"]);
  });

  it("moves with If-Match and the ETag of the read, then reads again", async () => {
    sim.createIssue("SUPPORT-2");
    const result = await applyAction(tracker, move("RT-2", "open"));
    expect(result.summary).toBe("moved new → open");
    expect(sim.getIssue("SUPPORT-2").status.key).toBe("open");
    const put = sim.requests.find((r) => r.method === "PUT");
    expect(put).toMatchObject({ status: 200, body: { Status: "open" } });
  });

  it("walks the lifecycle: new → open → stalled", async () => {
    sim.createIssue("SUPPORT-3");
    const result = await applyAction(tracker, move("RT-3", "stalled"));
    expect(result.summary).toBe("moved new → open → stalled");
  });

  it("answers a stale ETag (412) by reading again and putting again", async () => {
    sim.createIssue("SUPPORT-4");
    await tracker.getIssue("RT-4", { transitions: true });
    // Someone opens the ticket between our read and our write.
    sim.updateIssue("SUPPORT-4", { status: "open" });
    await tracker.executeTransition("RT-4", "resolved");
    expect(sim.getIssue("SUPPORT-4").status.key).toBe("resolved");
    expect(sim.requests.filter((r) => r.method === "PUT").map((r) => r.status)).toEqual([412, 200]);
  });

  it("reports a change RT refused with a 200 and its messages as refused, never as moved", async () => {
    sim.createIssue("SUPPORT-5", { forbidden: "write" });
    const error = await refusal(tracker.executeTransition("RT-5", "open"));
    expect(error.kind).toBe("forbidden");
    expect(error.message).toBe(
      'the token for connection "rt" lacks permission to transition RT-5: Ticket 5: Permission Denied',
    );
    sim.updateIssue("SUPPORT-5", { forbidden: false, status: "stalled" });
    await tracker.getIssue("RT-5"); // a fresh ETag: RT itself refuses, with a 200
    const refused = await refusal(tracker.executeTransition("RT-5", "resolved"));
    expect(refused.message).toBe(
      "rt kept RT-5 in stalled: Ticket 5: You can't change status from 'stalled' to 'resolved'.",
    );
  });

  it("never reopens a ticket resolved right after it was created when a late 'opened' arrives", async () => {
    sim.createIssue("SUPPORT-6", { status: "resolved" });
    const result = await applyAction(tracker, move("RT-6", "open", "opened"));
    expect(result.summary).toBe("left in resolved (done; the config's reopen: true would move it)");
    expect(sim.getIssue("SUPPORT-6").status.key).toBe("resolved");
    expect(sim.requests.filter((r) => r.method === "PUT")).toEqual([]);
  });

  it("asks RT for the category of a status outside the default lifecycle (__Inactive__)", async () => {
    sim.setWorkflow(
      {
        statuses: [
          { key: "triage", display: "triage", id: "triage", category: "new" },
          { key: "shipped", display: "shipped", id: "shipped", category: "done" },
        ],
        transitions: [{ id: "ship", display: "Ship", from: ["triage"], to: "shipped" }],
        initial: "triage",
      },
      "OPS",
    );
    sim.createIssue("OPS-8", { status: "shipped" });
    const issue = await tracker.getIssue("RT-8");
    expect(issue.status.category).toBe("done");
    expect(decodeURIComponent(sim.requests[1]!.query)).toContain(
      "id = 8 AND Status = '__Inactive__'",
    );
    await tracker.getIssue("RT-8");
    expect(sim.requests).toHaveLength(3); // the category is asked once
  });

  it("writes a custom field by name, and says when RT refused it", async () => {
    sim.createIssue("SUPPORT-9");
    await tracker.setField("RT-9", "Bench link", "https://pr-9.bench.test/");
    expect(sim.getIssue("SUPPORT-9").fields["3"]).toBe("https://pr-9.bench.test/");
    expect(sim.requests.find((r) => r.method === "PUT")?.body).toEqual({
      CustomFields: { "Bench link": "https://pr-9.bench.test/" },
    });
    const refused = await refusal(tracker.setField("RT-9", "Resolved by", "x"));
    expect(refused.message).toBe(
      'rt did not store "Resolved by" on RT-9: Resolved by: Permission Denied',
    );
    const missing = await refusal(tracker.setField("RT-9", "Bench", "x"));
    expect(missing.message).toBe(
      'no custom field "Bench" on RT-9 in rt; its custom fields: "Bench link", "Resolved by"',
    );
  });

  it("comments internally by default, replies only when the connection says correspond", async () => {
    sim.createIssue("SUPPORT-10");
    await tracker.addComment("RT-10", "moved by trackbridge");
    await createTracker(connection({ commentAs: "correspond" })).addComment(
      "RT-10",
      "we shipped it",
    );
    expect(sim.messages("SUPPORT-10")).toEqual([
      { type: "Comment", content: "moved by trackbridge" },
      { type: "Correspond", content: "we shipped it" },
    ]);
    expect((await tracker.listComments("RT-10")).map((c) => c.text)).toEqual([
      "moved by trackbridge",
      "we shipped it",
    ]);
    const link = linkAction("RT-10", 3, "Fix");
    expect((await applyAction(tracker, link)).summary).toBe("linked");
    expect((await applyAction(tracker, link)).summary).toBe("already linked");
    expect(sim.messages("SUPPORT-10")).toHaveLength(3);
  });

  it("polls with TicketSQL LastUpdated, and takes no webhooks", async () => {
    const before = Date.now() - 2000;
    sim.createIssue("SUPPORT-11");
    expect(await tracker.updatedSince(["RT"], before)).toEqual(["RT-11"]);
    expect(await tracker.updatedSince(["RT"], Date.now() + 60_000)).toEqual([]);
    const search = sim.requests.find((r) => r.path === "/REST/2.0/tickets");
    expect(decodeURIComponent(search!.query)).toMatch(
      /query=LastUpdated >= '\d{4}-\d\d-\d\d \d\d:\d\d:\d\d'/,
    );
    const read = await readTrackerWebhook({ type: "request-tracker" }, "s", {}, "{}");
    expect(read.kind).toBe("invalid");
  });

  it("refuses fix versions with a message, and a wrong token without repeating it", async () => {
    sim.createIssue("SUPPORT-12");
    const versions = await refusal(tracker.addFixVersion("RT-12", "1.0"));
    expect(versions.message).toMatch(/has no fix versions/);
    const wrong = await refusal(
      createTracker(connection({ token: "wrong-token" })).getIssue("RT-12"),
    );
    expect(wrong.message).toBe(
      'the token for connection "rt" was rejected (401): check TRACKER_TOKEN',
    );
    expect(wrong.message).not.toContain("wrong-token");
    expect((await tracker.whoAmI()).login).toBeNull();
    expect(await tracker.someWorkflowScope()).toEqual({
      project: "10000",
      issueType: "ticket",
      name: "queue SUPPORT",
    });
    const { graph } = await tracker.projectWorkflow("SUPPORT");
    expect(graph.source).toBe("tracker");
    expect(graph.initial).toBe("new");
  });
});
