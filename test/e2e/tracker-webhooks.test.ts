/**
 * Tracker → GitHub over real HTTP: each tracker's webhook reaches the real server, is
 * verified and stored, and the PR's `trackbridge/issue` check (the merge gate) follows what
 * QA does in the tracker.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestbed, type Testbed } from "../../src/simulators/scenario/testbed.js";
import {
  checkRunNamed,
  GATED_CONFIGS,
  jiraSignature,
  jiraStatusChange,
  openPr,
  prEvent,
  READY,
  trackerWebhook,
} from "./world.js";

const SECRET = "tracker-hook-secret-0123456789";

/** The webhook each tracker sends for a change of KEY, authenticated with `secret`. */
function signal(
  tracker: "yandex" | "jira",
  key: string,
  secret = SECRET,
  id?: string,
): { body: string; headers: Record<string, string> } {
  if (tracker === "yandex") {
    return {
      body: JSON.stringify({ key, status: "ignored: the App reads the tracker" }),
      headers: { "x-trackbridge-token": secret },
    };
  }
  const body = jiraStatusChange(key, "In progress", "Ready for test");
  return {
    body,
    headers: {
      "x-hub-signature": jiraSignature(secret, body),
      ...(id ? { "x-atlassian-webhook-identifier": id } : {}),
    },
  };
}

describe.each(["yandex", "jira"] as const)("tracker webhooks (%s)", (tracker) => {
  let bed: Testbed;
  const deliveries = async () =>
    (await bed.server!.store.listDeliveries({ limit: 1000 })).filter(
      (d) => d.event === "tracker_issue" && !d.id.startsWith("app:"),
    ).length;

  beforeAll(async () => {
    bed = await startTestbed({
      tracker,
      repoConfig: GATED_CONFIGS[tracker],
      extraEnv: { TRACKER_WEBHOOK_SECRET: SECRET },
    });
  });
  afterAll(async () => bed.close());

  it("the trackbridge/issue check fails until QA moves the issue, then passes", async () => {
    bed.tracker.createIssue("PROJ-1");
    const pr = openPr(bed, { number: 1, branch: "PROJ-1-login", title: "Login" });
    await prEvent(bed, "opened", pr);
    // The App's own move shows on the issue check at once.
    const before = checkRunNamed(bed, "trackbridge/issue", pr.head.sha);
    expect(before?.conclusion).toBe("failure");
    expect(before?.output.title).toBe("Waiting for PROJ-1 (In progress)");

    bed.tracker.updateIssue("PROJ-1", { status: READY[tracker] });
    const answer = await trackerWebhook(bed, signal(tracker, "PROJ-1", SECRET, "hook-1"));
    expect(answer).toEqual({ status: 202, body: { ok: true, duplicate: false } });
    await bed.server!.worker.drain();

    const after = checkRunNamed(bed, "trackbridge/issue", pr.head.sha);
    expect(after?.conclusion).toBe("success");
    expect(after?.output.title).toBe("Ready to merge: PROJ-1 (Ready for test)");
    expect(after?.output.summary).toContain("| PROJ-1 | Ready for test ✅ |");
    // Updated in place: one issue check per commit; the trackbridge check is left alone.
    const runs = bed.github
      .checkRuns(bed.owner, bed.repo)
      .filter((r) => r.head_sha === pr.head.sha);
    expect(runs.map((r) => r.name).sort()).toEqual(["trackbridge", "trackbridge/issue"]);
  });

  it("refuses a missing or wrong secret with 401 and stores nothing", async () => {
    const stored = await deliveries();
    const good = signal(tracker, "PROJ-1");
    const unsigned = await trackerWebhook(bed, { body: good.body });
    expect(unsigned.status).toBe(401);
    const wrong = await trackerWebhook(bed, signal(tracker, "PROJ-1", "not-the-secret-at-all"));
    expect(wrong.status).toBe(401);
    expect(JSON.stringify(wrong.body)).not.toContain(SECRET);
    expect(await deliveries()).toBe(stored);
  });

  it("answers 404 for an unknown connection and 413 over the size cap", async () => {
    const unknown = await trackerWebhook(bed, { connection: "nope", ...signal(tracker, "PROJ-1") });
    expect(unknown).toEqual({
      status: 404,
      body: { ok: false, error: 'no tracker connection named "nope"' },
    });
    const stored = await deliveries();
    const huge = JSON.stringify({ key: "PROJ-1", pad: "x".repeat(11 * 1024 * 1024) });
    const oversize = await trackerWebhook(bed, {
      body: huge,
      headers: signal(tracker, "PROJ-1").headers,
    });
    expect(oversize.status).toBe(413);
    expect(await deliveries()).toBe(stored);
  });

  it("acknowledges a Jira event that is not a status change and stores nothing", async () => {
    if (tracker !== "jira") return;
    const stored = await deliveries();
    const body = JSON.stringify({
      webhookEvent: "jira:issue_updated",
      issue: { key: "PROJ-1" },
      changelog: { items: [{ field: "summary", fromString: "a", toString: "b" }] },
    });
    const answer = await trackerWebhook(bed, {
      body,
      headers: { "x-hub-signature": jiraSignature(SECRET, body) },
    });
    expect(answer).toEqual({
      status: 202,
      body: { ok: true, ignored: "the changelog has no status change" },
    });
    expect(await deliveries()).toBe(stored);
  });

  it("stores a redelivered webhook once (Jira names its deliveries)", async () => {
    const stored = await deliveries();
    const first = await trackerWebhook(bed, signal(tracker, "PROJ-1", SECRET, "hook-dup"));
    const again = await trackerWebhook(bed, signal(tracker, "PROJ-1", SECRET, "hook-dup"));
    await bed.server!.worker.drain();
    expect(first.body.duplicate).toBe(false);
    if (tracker === "jira") {
      expect(again.body).toEqual({ ok: true, duplicate: true });
      expect(await deliveries()).toBe(stored + 1);
    } else {
      // A Yandex trigger names no delivery: both are stored, and the check says the same thing.
      expect(again.body).toEqual({ ok: true, duplicate: false });
      expect(await deliveries()).toBe(stored + 2);
    }
    const pr = bed.github.pullRequest(bed.owner, bed.repo, 1);
    expect(checkRunNamed(bed, "trackbridge/issue", pr.head.sha)?.conclusion).toBe("success");
  });

  it("never stores the body's status: a webhook claiming a change is checked against the tracker", async () => {
    bed.tracker.updateIssue("PROJ-1", { status: tracker === "yandex" ? "inReview" : "In review" });
    await trackerWebhook(bed, signal(tracker, "PROJ-1", SECRET, "hook-3"));
    await bed.server!.worker.drain();
    const pr = bed.github.pullRequest(bed.owner, bed.repo, 1);
    const run = checkRunNamed(bed, "trackbridge/issue", pr.head.sha);
    expect(run?.conclusion).toBe("failure");
    expect(run?.output.title).toBe("Waiting for PROJ-1 (In review)");
  });

  it("recognizes the webhook of the App's own move: it starts no new round (loop guard)", async () => {
    bed.tracker.createIssue("PROJ-2");
    const pr = openPr(bed, { number: 2, branch: "PROJ-2-x", title: "Echo" });
    await prEvent(bed, "opened", pr);
    expect(checkRunNamed(bed, "trackbridge/issue", pr.head.sha)?.output.title).toBe(
      "Waiting for PROJ-2 (In progress)",
    );
    const writes = () =>
      bed.github.requests.filter((r) => r.path.includes("/check-runs") && r.method !== "GET")
        .length;
    const trackerReads = () => bed.tracker.requests.length;
    const before = { writes: writes(), reads: trackerReads() };

    // The tracker tells the App about the move it made itself.
    const echo = await trackerWebhook(bed, signal(tracker, "PROJ-2", SECRET, "echo-1"));
    expect(echo.status).toBe(202);
    await bed.server!.worker.drain();
    expect(writes()).toBe(before.writes);
    // One read of the issue to recognize it, nothing else.
    expect(trackerReads()).toBe(before.reads + 1);
    // Stored and planned, with nothing to report.
    const echoed = (await bed.server!.store.listDeliveries({ limit: 10 })).find(
      (d) => d.event === "tracker_issue" && !d.id.startsWith("app:"),
    );
    expect(echoed).toMatchObject({ state: "planned", jobs: {} });

    // QA's own change afterwards is a new round.
    bed.tracker.updateIssue("PROJ-2", { status: READY[tracker] });
    await trackerWebhook(bed, signal(tracker, "PROJ-2", SECRET, "qa-2"));
    await bed.server!.worker.drain();
    expect(writes()).toBe(before.writes + 1);
    expect(checkRunNamed(bed, "trackbridge/issue", pr.head.sha)?.conclusion).toBe("success");
  });
});
