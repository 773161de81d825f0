import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { migrate } from "../../src/delivery/migrations.js";
import { MIGRATIONS } from "../../src/delivery/schema.js";
import { openSqliteDb } from "../../src/delivery/sqlite-db.js";
import type { Store } from "../../src/delivery/store.js";
import {
  backends,
  delivery,
  enqueue,
  link,
  move,
  submission,
  type TestDb,
  tempDb,
} from "./helpers.js";

describe("SQLite migrations", () => {
  it("apply once: migrating again changes nothing, and the file is in WAL mode", async () => {
    const db = tempDb();
    try {
      await db.open();
      const again = openSqliteDb({ path: db.file });
      try {
        expect(await migrate(again)).toBe(0);
      } finally {
        await again.close();
      }
      const conn = new Database(db.file);
      try {
        expect(conn.pragma("journal_mode", { simple: true })).toBe("wal");
      } finally {
        conn.close();
      }
    } finally {
      await db.cleanup();
    }
  });
});

describe.each(backends())("$name store", (backend) => {
  let db: TestDb;
  let store: Store;

  beforeEach(async () => {
    db = await backend.create();
    store = await db.open();
  });
  afterEach(async () => {
    await db.cleanup();
  });

  const count = async (table: string) =>
    (await db.rows<{ n: number }>(`SELECT CAST(COUNT(*) AS INTEGER) AS n FROM ${table}`))[0]?.n;

  describe("migrations", () => {
    it("apply once: reopening the store changes nothing", async () => {
      await store.recordDelivery(delivery("d1"));
      await db.open();
      expect(await db.rows("SELECT version FROM schema_migrations")).toEqual(
        MIGRATIONS.map((m) => ({ version: m.version })),
      );
      expect(await count("deliveries")).toBe(1);
    });
  });

  describe("recordDelivery", () => {
    it("stores a delivery once and calls a redelivery a duplicate", async () => {
      expect(await store.recordDelivery(delivery("d1"))).toBe("new");
      expect(await store.recordDelivery(delivery("d1"))).toBe("duplicate");
      expect(await store.recordDelivery(delivery("d2"))).toBe("new");
      expect(await store.knownDeliveryIds(["d1", "d2", "d3"])).toEqual(new Set(["d1", "d2"]));
    });

    it("keeps one row when the same delivery is recorded concurrently through two connections", async () => {
      const second = await db.open();
      const outcomes = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          (i % 2 ? store : second).recordDelivery(delivery("same")),
        ),
      );
      expect(outcomes.filter((o) => o === "new")).toHaveLength(1);
      expect((await store.listDeliveries({ limit: 10 })).map((d) => d.id)).toEqual(["same"]);
    });
  });

  describe("commitPlan", () => {
    it("writes everything or nothing: a failing submission leaves the delivery waiting to be planned", async () => {
      await store.recordDelivery(delivery("d1"));
      const good = submission("d1", [move("PROJ-1", "review", "opened"), link("PROJ-1")]);
      const bad = {
        ...submission("d1", [move("PROJ-2", "review", "opened")]),
        report: { broken: 1n },
      } as never;
      await expect(store.commitPlan("d1", [good, bad], Date.now())).rejects.toThrow();

      expect(await store.listJobs({ states: ["pending"], limit: 10 })).toEqual([]);
      expect(await count("reports")).toBe(0);
      expect(await count("pr_issues")).toBe(0);
      const [again] = await store.claimDeliveries({ now: Date.now(), leaseMs: 1000, limit: 5 });
      expect(again?.id).toBe("d1");

      expect(await store.commitPlan("d1", [good], Date.now())).toBe(true);
      expect(await store.commitPlan("d1", [good], Date.now())).toBe(false);
      const jobs = await store.listJobs({ states: ["pending"], limit: 10 });
      expect(jobs.map((j) => [j.key, j.action.kind])).toEqual([
        ["PROJ-1", "move"],
        ["PROJ-1", "link"],
      ]);
      expect((await store.listDeliveries({ limit: 1 }))[0]).toMatchObject({
        state: "planned",
        jobs: { pending: 2 },
      });
    });

    it("getReport returns the submission and its jobs as they stand, settled or not", async () => {
      await store.recordDelivery(delivery("d9"));
      const planned = submission("d9", [move("PROJ-9", "review", "opened"), link("PROJ-9")]);
      await store.commitPlan("d9", [planned], Date.now());
      const [job] = await store.listJobs({ states: ["pending"], limit: 1 });
      const report = await store.getReport(job!.reportId);
      expect(report?.submission).toEqual(planned);
      expect(report?.jobs.map((j) => [j.key, j.action.kind, j.state])).toEqual([
        ["PROJ-9", "move", "pending"],
        ["PROJ-9", "link", "pending"],
      ]);
      expect(await store.getReport(job!.reportId + 1000)).toBeNull();
    });

    it("claims due reports among the reports and deliveries named, or any", async () => {
      for (const [i, id] of ["d1", "d2", "d3"].entries())
        await enqueue(store, id, [submission(id, [link(`PROJ-${i + 1}`)])], i + 1);
      const jobs = await store.claimJobs({
        now: Date.now(),
        leaseMs: 60_000,
        limit: 10,
        perConnection: 5,
        running: new Map(),
      });
      for (const job of jobs)
        await store.finishJob(
          { id: job.id, attempts: 1 },
          { state: "done", summary: "linked" },
          Date.now(),
        );
      const report = (id: string) => jobs.find((job) => job.deliveryId === id)!.reportId;
      const claim = (of?: { reports: number[]; deliveries: string[] }) =>
        store.claimReports({ now: Date.now(), leaseMs: 60_000, limit: 10, ...(of ? { of } : {}) });
      const named = await claim({ reports: [report("d2")], deliveries: [] });
      expect(named.map((r) => r.submission.deliveryId)).toEqual(["d2"]);
      expect(await claim({ reports: [report("d2")], deliveries: ["d2"] })).toEqual([]);
      const byDelivery = await claim({ reports: [], deliveries: ["d3"] });
      expect(byDelivery.map((r) => r.submission.deliveryId)).toEqual(["d3"]);
      expect((await claim()).map((r) => r.submission.deliveryId)).toEqual(["d1"]);
    });

    it("renews the leases of claimed jobs, deliveries and reports it names, and no others", async () => {
      const now = Date.now();
      for (const id of ["d1", "d2"]) await store.recordDelivery(delivery(id));
      await store.claimDeliveries({ now, leaseMs: 1000, limit: 5 });
      for (const [i, id] of ["d3", "d4"].entries())
        await enqueue(store, id, [submission(id, [link(`PROJ-${i + 1}`)])], now);
      const jobs = await store.claimJobs({
        now,
        leaseMs: 1000,
        limit: 10,
        perConnection: 5,
        running: new Map(),
      });
      expect(jobs).toHaveLength(2);
      const until = now + 3_600_000;
      await store.renewLeases({
        jobs: [jobs[0]!.id],
        deliveries: ["d1"],
        reports: [jobs[0]!.reportId, jobs[1]!.reportId],
        until,
      });
      const leases = async (sql: string) =>
        Object.fromEntries(
          (await db.rows<{ id: string | number; at: number }>(sql)).map((r) => [
            String(r.id),
            Number(r.at),
          ]),
        );
      expect(await leases("SELECT id, lease_until AS at FROM jobs")).toEqual({
        [jobs[0]!.id]: until,
        [jobs[1]!.id]: now + 1000,
      });
      const received = await leases(
        "SELECT id, next_at AS at FROM deliveries WHERE state = 'received'",
      );
      expect(received.d1).toBe(until);
      expect(received.d2).toBeLessThan(until);
      const reports = await leases("SELECT id, next_at AS at FROM reports");
      expect(Object.values(reports)).toEqual([until, until]);
    });

    it("records a report but no job for an invalid repo config", async () => {
      await enqueue(store, "d1", [
        submission("d1", [move("PROJ-1", "x", "opened")], {
          configError: "statuses.opened: expected string",
        }),
      ]);
      expect(await store.listJobs({ states: ["pending"], limit: 10 })).toEqual([]);
      const reports = await store.claimReports({ now: Date.now(), leaseMs: 1000, limit: 5 });
      expect(reports.map((r) => [r.submission.configError, r.jobs.length])).toEqual([
        ["statuses.opened: expected string", 0],
      ]);
    });

    it.each([
      {
        name: "a newer event supersedes an older pending move",
        first: "10:00:00Z",
        second: "10:00:05Z",
        superseded: "approve",
      },
      {
        name: "an older event arriving late is superseded at once",
        first: "10:00:05Z",
        second: "10:00:00Z",
        superseded: "merge",
      },
    ])("$name (same PR and issue)", async ({ first, second, superseded }) => {
      const at = (time: string) => `2024-05-01T${time}`;
      const approve = submission("approve", [move("PROJ-1", "ready", "approved"), link("PROJ-1")], {
        eventAt: at(first),
      });
      const merge = submission("merge", [move("PROJ-1", "done", "merged")], {
        eventAt: at(second),
      });
      await enqueue(store, "approve", [approve], 1);
      await enqueue(store, "merge", [merge], 2);
      // Another PR's pending move for the same issue is left alone.
      await enqueue(
        store,
        "other-pr",
        [
          submission("other-pr", [move("PROJ-1", "review", "opened")], {
            prNumber: 2,
            eventAt: at("09:00:00Z"),
          }),
        ],
        3,
      );

      const moves = (await store.listJobs({ states: ["pending", "superseded"], limit: 10 })).filter(
        (j) => j.action.kind === "move",
      );
      const byDelivery = Object.fromEntries(moves.map((j) => [j.deliveryId, j.state]));
      expect(byDelivery).toEqual({
        approve: superseded === "approve" ? "superseded" : "pending",
        merge: superseded === "merge" ? "superseded" : "pending",
        "other-pr": "pending",
      });
      const linkJob = (await store.listJobs({ states: ["pending"], limit: 10 })).find(
        (j) => j.action.kind === "link",
      );
      expect(linkJob?.deliveryId).toBe("approve");
    });
  });

  describe("claimJobs", () => {
    it("carries what running the job asks first: the connection's hold and the PR's last applied move", async () => {
      const at = (s: number) => `2024-05-01T10:00:0${s}Z`;
      const claim = () =>
        store.claimJobs({
          now: Date.now(),
          leaseMs: 60_000,
          limit: 10,
          perConnection: 4,
          running: new Map(),
        });
      await enqueue(store, "d1", [
        submission("d1", [move("PROJ-1", "review", "opened")], { eventAt: at(1), prNumber: 7 }),
      ]);
      const [first] = await claim();
      expect(first!.claimed).toEqual({ heldUntil: null, appliedAt: null });
      await store.finishJob(
        { id: first!.id, attempts: 1 },
        { state: "done", summary: "moved" },
        Date.now(),
      );
      await store.memo.holdTracker("yandex", 4_102_444_800_000);
      await enqueue(store, "d2", [
        submission("d2", [move("PROJ-1", "done", "merged")], { eventAt: at(2), prNumber: 7 }),
      ]);
      const [second] = await claim();
      expect(second!.key).toBe("PROJ-1");
      expect(second!.claimed).toEqual({ heldUntil: 4_102_444_800_000, appliedAt: first!.eventAt });
    });

    it("hands out one job per issue in event order, within the connection's free slots", async () => {
      const at = (s: number) => `2024-05-01T10:00:0${s}Z`;
      await enqueue(
        store,
        "late",
        [submission("late", [move("PROJ-1", "done", "merged")], { eventAt: at(5), prNumber: 7 })],
        1,
      );
      await enqueue(
        store,
        "early",
        [submission("early", [link("PROJ-1"), link("PROJ-2"), link("PROJ-3")], { eventAt: at(1) })],
        2,
      );
      await enqueue(
        store,
        "jira",
        [submission("jira", [link("OPS-1")], { connection: "jira", eventAt: at(2) })],
        3,
      );

      const first = await store.claimJobs({
        now: Date.now(),
        leaseMs: 60_000,
        limit: 10,
        perConnection: 2,
        running: new Map(),
      });
      expect(first.map((j) => [j.connection, j.key, j.deliveryId])).toEqual([
        ["yandex", "PROJ-1", "early"],
        ["yandex", "PROJ-2", "early"],
        ["jira", "OPS-1", "jira"],
      ]);
      expect(first.every((j) => j.state === "running" && j.attempts === 1)).toBe(true);

      // PROJ-1's merge waits for its running link; PROJ-3 waits for a free yandex slot.
      const running = new Map([["yandex", 2]]);
      expect(
        await store.claimJobs({
          now: Date.now(),
          leaseMs: 60_000,
          limit: 10,
          perConnection: 2,
          running,
        }),
      ).toEqual([]);
      const [proj1] = first;
      expect(
        await store.finishJob(
          { id: proj1!.id, attempts: 1 },
          { state: "done", summary: "linked" },
          Date.now(),
        ),
      ).toEqual({ followed: true }); // PROJ-1's merge waits behind it
      // The free slot goes by turn, the order the jobs were queued in: PROJ-1's merge (queued
      // first, now heading its issue) before PROJ-3's link.
      const next = await store.claimJobs({
        now: Date.now(),
        leaseMs: 60_000,
        limit: 10,
        perConnection: 2,
        running: new Map([["yandex", 1]]),
      });
      expect(next.map((j) => [j.key, j.deliveryId])).toEqual([["PROJ-1", "late"]]);
      const after = await store.claimJobs({
        now: Date.now(),
        leaseMs: 60_000,
        limit: 10,
        perConnection: 2,
        running: new Map([["yandex", 1]]),
      });
      expect(after.map((j) => [j.key, j.deliveryId])).toEqual([["PROJ-3", "early"]]);
    });

    it("reads past a page of one full connection's jobs to another connection's", async () => {
      const at = (s: number) =>
        new Date(Date.parse("2024-05-01T10:00:00Z") + s * 1000).toISOString();
      const keys = Array.from({ length: 80 }, (_, i) => `PROJ-${i + 1}`);
      await enqueue(
        store,
        "busy",
        [
          submission(
            "busy",
            keys.map((key) => link(key)),
            { eventAt: at(1) },
          ),
        ],
        1,
      );
      await enqueue(
        store,
        "jira",
        [submission("jira", [link("OPS-1")], { connection: "jira", eventAt: at(9) })],
        2,
      );
      const claim = (running: Map<string, number>) =>
        store.claimJobs({ now: Date.now(), leaseMs: 60_000, limit: 10, perConnection: 3, running });
      const first = await claim(new Map([["yandex", 1]]));
      expect(first.map((j) => j.key)).toEqual(["PROJ-1", "PROJ-2", "OPS-1"]);
      // Every yandex slot taken: the jira job behind 78 waiting yandex heads is still found.
      await enqueue(
        store,
        "jira-2",
        [submission("jira-2", [link("OPS-2")], { connection: "jira", eventAt: at(10) })],
        3,
      );
      const second = await claim(
        new Map([
          ["yandex", 3],
          ["jira", 1],
        ]),
      );
      expect(second.map((j) => j.key)).toEqual(["OPS-2"]);
    });

    it("fences a finished claim: a late answer from an expired lease is not written", async () => {
      await enqueue(store, "d1", [submission("d1", [link("PROJ-1")])], 1);
      const now = Date.now();
      const [job] = await store.claimJobs({
        now,
        leaseMs: 10,
        limit: 1,
        perConnection: 1,
        running: new Map(),
      });
      const [again] = await store.claimJobs({
        now: now + 20,
        leaseMs: 10_000,
        limit: 1,
        perConnection: 1,
        running: new Map(),
      });
      expect(again?.attempts).toBe(2);
      expect(
        await store.finishJob({ id: job!.id, attempts: 1 }, { state: "done", summary: "old" }, now),
      ).toBe(false);
      expect(
        await store.finishJob({ id: job!.id, attempts: 2 }, { state: "done", summary: "new" }, now),
      ).toEqual({ followed: false });
      expect((await store.getJob(job!.id))?.summary).toBe("new");
    });
  });

  describe("prune", () => {
    it("clears payloads of finished deliveries older than the retention, and only those", async () => {
      const day = 24 * 60 * 60_000;
      const now = Date.parse("2024-06-01T00:00:00Z");
      const old = new Date(now - 40 * day).toISOString();
      await store.recordDelivery({ ...delivery("old-done"), receivedAt: old });
      await store.commitPlan("old-done", [], now);
      await store.recordDelivery({ ...delivery("old-pending"), receivedAt: old });
      await store.commitPlan("old-pending", [submission("old-pending", [link("PROJ-1")])], now);
      await store.recordDelivery({ ...delivery("old-unplanned"), receivedAt: old });
      await store.recordDelivery({
        ...delivery("recent"),
        receivedAt: new Date(now - day).toISOString(),
      });
      await store.commitPlan("recent", [], now);

      expect(await store.prune({ olderThanDays: 30, now })).toEqual({ payloadsCleared: 1 });
      const rows = await db.rows(
        "SELECT id, CASE WHEN payload IS NULL THEN 1 ELSE 0 END AS pruned FROM deliveries ORDER BY id",
      );
      expect(rows).toEqual([
        { id: "old-done", pruned: 1 },
        { id: "old-pending", pruned: 0 },
        { id: "old-unplanned", pruned: 0 },
        { id: "recent", pruned: 0 },
      ]);
      // The row stays: a redelivery of a pruned delivery is still a duplicate.
      expect(await store.recordDelivery(delivery("old-done"))).toBe("duplicate");
    });
  });
});
