/**
 * Message jobs in the store, on each backend: written with the job's outcome (never twice),
 * claimed per channel as one digest, held back while the channel rests or a 429's wait
 * runs, fenced against a late answer, and listed and retried as dead letters.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Notice } from "../../src/core/notify.js";
import type { MessageDraft } from "../../src/delivery/messages.js";
import type { Store } from "../../src/delivery/store.js";
import { backends, enqueue, move, submission, type TestDb } from "./helpers.js";

const LEASE = 60_000;

describe.each(backends())("$name message jobs", (backend) => {
  let db: TestDb;
  let store: Store;
  beforeEach(async () => {
    db = await backend.create();
    store = await db.open();
  });
  afterEach(async () => db.cleanup());

  const notice = (key: string): Notice => ({
    event: "moved",
    repo: "acme/web",
    prNumber: 1,
    key,
    summary: "moved Open → In progress",
  });
  const draft = (jobId: number, channel: string, key: string, nextAt: number): MessageDraft => ({
    channel,
    dedupKey: `${jobId}:${channel}:moved`,
    notice: notice(key),
    nextAt,
  });

  /** Finishes claimed jobs, each writing its drafts, as the worker does. */
  async function finishWith(now: number, drafts: (jobId: number) => MessageDraft[]) {
    const jobs = await store.claimJobs({
      now,
      leaseMs: LEASE,
      limit: 10,
      perConnection: 10,
      running: new Map(),
    });
    for (const job of jobs) {
      const outcome = { state: "done" as const, summary: "moved", messages: drafts(job.id) };
      expect(await store.finishJob({ id: job.id, attempts: job.attempts }, outcome, now)).toEqual({
        followed: false,
      });
    }
    return jobs;
  }

  it("writes a job's messages with its outcome, once, and claims a channel's as one digest", async () => {
    const actions = ["PROJ-1", "PROJ-2", "PROJ-3"].map((k) => move(k, "inProgress", "opened"));
    await enqueue(store, "d1", [submission("d1", actions)], 1_000);
    const jobs = await finishWith(1_000, (id) => [
      draft(id, "slack", `K${id}`, 1_500),
      draft(id, "telegram", `K${id}`, 1_500),
    ]);
    expect(jobs).toHaveLength(3);
    // Outstanding work counts the messages (and the delivery's report, not written here).
    const outstanding = await store.countOutstanding();

    // Gathering: nothing is due before 1.5 s; then one batch per channel with all three.
    expect(await store.claimMessages({ now: 1_400, leaseMs: LEASE, limit: 10 })).toEqual([]);
    expect(await store.nextDueAt(1_400)).toBe(1_500);
    const batches = await store.claimMessages({ now: 1_500, leaseMs: LEASE, limit: 10 });
    expect(batches.map((b) => [b.channel, b.messages.length, b.attempts])).toEqual([
      ["slack", 3, 1],
      ["telegram", 3, 1],
    ]);
    // A channel being sent to is not claimed again.
    expect(await store.claimMessages({ now: 1_600, leaseMs: LEASE, limit: 10 })).toEqual([]);
    expect(await store.countOutstanding()).toBe(outstanding);

    const [slack, telegram] = batches;
    expect(await store.settleMessages(slack!, { state: "sent", holdUntil: 2_600 }, 1_600)).toBe(3);
    // A late answer of the same claim changes nothing more.
    expect(await store.settleMessages(slack!, { state: "dead", error: "late" }, 1_700)).toBe(0);
    expect(await store.settleMessages(telegram!, { state: "sent" }, 1_600)).toBe(3);
    expect(outstanding - (await store.countOutstanding())).toBe(6);
    const sent = await store.listMessages({ states: ["sent"], limit: 10 });
    expect(sent).toHaveLength(6);

    // Slack rests until 2.6 s after its send: a new event waits for that, not only its gathering.
    await enqueue(store, "d2", [submission("d2", [move("PROJ-9", "x", "opened")])], 1_700);
    await finishWith(1_700, (id) => [draft(id, "slack", "PROJ-9", 1_800)]);
    expect(await store.claimMessages({ now: 1_900, leaseMs: LEASE, limit: 10 })).toEqual([]);
    expect(await store.nextDueAt(1_900)).toBe(2_600);
    expect(await store.claimMessages({ now: 2_600, leaseMs: LEASE, limit: 10 })).toHaveLength(1);
  });

  it("holds a channel for the wait a 429 asked; dead letters are listed and retried", async () => {
    await enqueue(store, "d1", [submission("d1", [move("PROJ-1", "x", "opened")])], 0);
    await finishWith(0, (id) => [draft(id, "slack", "PROJ-1", 0)]);
    const [first] = await store.claimMessages({ now: 0, leaseMs: LEASE, limit: 10 });
    // Refused with "wait 5 s": the batch and the channel wait.
    await store.rescheduleMessages(first!, { nextAt: 5_000, error: "429", hold: true }, 10);
    await enqueue(store, "d2", [submission("d2", [move("PROJ-2", "x", "opened")])], 20);
    await finishWith(20, (id) => [draft(id, "slack", "PROJ-2", 100)]);

    // PROJ-2's message is due at 100 ms, but the channel is held: its time moves to the hold's end.
    expect(await store.claimMessages({ now: 200, leaseMs: LEASE, limit: 10 })).toEqual([]);
    expect(await store.nextDueAt(200)).toBe(5_000);
    const [retry] = await store.claimMessages({ now: 5_000, leaseMs: LEASE, limit: 10 });
    expect(retry!.messages.map((m) => m.notice.key)).toEqual(["PROJ-1", "PROJ-2"]);
    expect(retry!.attempts).toBe(2);
    await store.settleMessages(retry!, { state: "dead", error: "invalid_token" }, 5_100);

    const dead = await store.listMessages({ states: ["dead"], limit: 10 });
    expect(dead.map((m) => [m.notice.key, m.lastError])).toEqual([
      ["PROJ-2", "invalid_token"],
      ["PROJ-1", "invalid_token"],
    ]);
    expect(await store.retryDeadMessages(6_000, dead[0]!.id)).toBe(1);
    expect(await store.retryDeadMessages(6_000)).toBe(1);
    const [resent] = await store.claimMessages({ now: 6_000, leaseMs: LEASE, limit: 10 });
    expect(resent!.messages).toHaveLength(2);
    expect(resent!.attempts).toBe(1);
  });

  it("a job settled again (an operator's retry) does not notify twice for the same event", async () => {
    await enqueue(store, "d1", [submission("d1", [move("PROJ-1", "x", "opened")])], 0);
    const settle = async (now: number) => {
      const [job] = await store.claimJobs({
        now,
        leaseMs: LEASE,
        limit: 1,
        perConnection: 1,
        running: new Map(),
      });
      const messages = [draft(job!.id, "slack", "PROJ-1", now)];
      const outcome = { state: "dead" as const, summary: "no", messages };
      expect(await store.finishJob({ id: job!.id, attempts: job!.attempts }, outcome, now)).toEqual(
        { followed: false },
      );
      return job!.id;
    };
    const id = await settle(0);
    expect(await store.retryJob(id, 10)).toBe(true);
    expect(await settle(10)).toBe(id);
    const rows = await db.rows<{ n: number }>(
      "SELECT CAST(COUNT(*) AS INTEGER) AS n FROM messages",
    );
    expect(rows[0]?.n).toBe(1);
  });

  it("a digest holds at most 20 events; the rest go in the next message", async () => {
    await enqueue(store, "d1", [submission("d1", [move("PROJ-1", "x", "opened")])], 0);
    await finishWith(0, (id) =>
      Array.from({ length: 25 }, (_, i) => ({
        ...draft(id, "slack", `PROJ-${i}`, 0),
        dedupKey: `${id}:slack:${i}`,
      })),
    );
    const [first] = await store.claimMessages({ now: 0, leaseMs: LEASE, limit: 10 });
    expect(first!.messages.map((m) => m.notice.key)).toEqual(
      Array.from({ length: 20 }, (_, i) => `PROJ-${i}`),
    );
    await store.settleMessages(first!, { state: "sent" }, 1);
    const [rest] = await store.claimMessages({ now: 2, leaseMs: LEASE, limit: 10 });
    expect(rest!.messages).toHaveLength(5);
  });

  it("a batch whose sender died is claimed again after its lease", async () => {
    await enqueue(store, "d1", [submission("d1", [move("PROJ-1", "x", "opened")])], 0);
    await finishWith(0, (id) => [draft(id, "slack", "PROJ-1", 0)]);
    const [lost] = await store.claimMessages({ now: 0, leaseMs: LEASE, limit: 10 });
    expect(await store.claimMessages({ now: LEASE - 1, leaseMs: LEASE, limit: 10 })).toEqual([]);
    const [again] = await store.claimMessages({ now: LEASE, leaseMs: LEASE, limit: 10 });
    expect(again!.attempts).toBe(2);
    // The first claim's late answer is fenced off.
    expect(await store.settleMessages(lost!, { state: "sent" }, LEASE + 1)).toBe(0);
    expect(await store.settleMessages(again!, { state: "sent" }, LEASE + 1)).toBe(1);
  });
});
