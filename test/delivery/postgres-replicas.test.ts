/**
 * What only a shared PostgreSQL has to get right: several replicas (here: stores with pools of
 * their own) starting, claiming and planning at once. Runs when TEST_DATABASE_URL is set.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ActionResult, PlannedAction } from "../../src/core/types.js";
import { createWorker, type Worker } from "../../src/delivery/outbox-worker.js";
import { SKIP_LOCKED, TRY_LOCK_ISSUES } from "../../src/delivery/postgres-dialect.js";
import * as q from "../../src/delivery/queries.js";
import { MIGRATIONS } from "../../src/delivery/schema.js";
import type { Store } from "../../src/delivery/store.js";
import type { DeliveryHooks, PlanSubmission } from "../../src/delivery/types.js";
import {
  enqueue,
  FAST_POLICY,
  link,
  move,
  postgresDb,
  postgresUrl,
  silentLog,
  submission,
  until,
} from "./helpers.js";

/** The store's own job-claim select, as another replica runs it. */
const DUE_JOBS = q.numberedParams(q.dueJobs(0, false, { lock: SKIP_LOCKED }));

const at = (seconds: number) =>
  new Date(Date.parse("2024-05-01T10:00:00Z") + seconds * 1000).toISOString();

/** A fixed shuffle of 0..n-1 (no Math.random: a failure must be reproducible). */
function shuffled(n: number): number[] {
  const out = Array.from({ length: n }, (_, i) => i);
  let seed = 42;
  for (let i = n - 1; i > 0; i--) {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Issue `i` of 20: half on a Yandex Tracker connection, half on a Jira one. */
const issue = (i: number) =>
  i % 2 === 0
    ? { connection: "yandex", key: `PROJ-${i}` }
    : { connection: "jira", key: `OPS-${i}` };

/**
 * Executor hooks shared by every replica of a test: they record, per issue, the order jobs
 * started in and whether two ever ran at once. A job is named by its link's PR number.
 */
function recorder() {
  const started = new Map<string, number[]>();
  const runningNow = new Map<string, number>();
  const overlaps: string[] = [];
  const reported: string[] = [];
  const byReplica = new Map<string, number>();
  const hooksFor = (replica: string, plans: Record<string, PlanSubmission[]> = {}) => {
    const hooks: DeliveryHooks = {
      planDelivery: async (d) => plans[d.id] ?? [],
      async executeAction(_connection, action: PlannedAction): Promise<ActionResult> {
        const job = action.kind === "link" ? action.pr.number : -1;
        const running = (runningNow.get(action.key) ?? 0) + 1;
        runningNow.set(action.key, running);
        if (running > 1) overlaps.push(action.key);
        started.set(action.key, [...(started.get(action.key) ?? []), job]);
        byReplica.set(replica, (byReplica.get(replica) ?? 0) + 1);
        // Give the other replica a chance to claim while this job "talks to the tracker".
        await new Promise((resolve) => setTimeout(resolve, job % 3));
        runningNow.set(action.key, (runningNow.get(action.key) ?? 1) - 1);
        return { action, ok: true, summary: `linked #${job}` };
      },
      async report(s) {
        reported.push(s.deliveryId);
      },
    };
    return hooks;
  };
  return { started, overlaps, reported, byReplica, hooksFor };
}

describe.runIf(Boolean(postgresUrl))("PostgreSQL shared by replicas", () => {
  const url = postgresUrl ?? "";
  let db: Awaited<ReturnType<typeof postgresDb>>;
  let workers: Worker[];

  beforeEach(async () => {
    workers = [];
  });
  afterEach(async () => {
    for (const worker of workers) await worker.stop({ timeoutMs: 1_000 });
    await db.cleanup();
  });

  function start(store: Store, hooks: DeliveryHooks) {
    const worker = createWorker({
      store,
      hooks,
      log: silentLog,
      policy: { ...FAST_POLICY, perConnection: 4 },
    });
    workers.push(worker);
    worker.start();
    return worker;
  }

  it("applies the migrations once when four replicas start together on an empty schema", async () => {
    db = await postgresDb(url, { create: false });
    await Promise.all(Array.from({ length: 4 }, () => db.open({ poolSize: 1 })));
    expect(await db.rows("SELECT version FROM schema_migrations ORDER BY version")).toEqual(
      MIGRATIONS.map((m) => ({ version: m.version })),
    );
  });

  it("passes over what another replica is claiming, without waiting for it", async () => {
    db = await postgresDb(url);
    const store = await db.open();
    await enqueue(store, "d1", [submission("d1", [link("PROJ-1")], { eventAt: at(1) })], 1);
    await enqueue(
      store,
      "d2",
      [submission("d2", [link("PROJ-1"), link("PROJ-2"), link("PROJ-3")], { eventAt: at(2) })],
      2,
    );
    await store.recordDelivery({ id: "d3", event: "pull_request", payload: {}, receivedAt: at(3) });
    await store.recordDelivery({ id: "d4", event: "pull_request", payload: {}, receivedAt: at(4) });
    const claimJobs = () =>
      store.claimJobs({
        now: Date.now(),
        leaseMs: 60_000,
        limit: 10,
        perConnection: 10,
        running: new Map(),
      });

    // The other replica, mid-claim: it holds d1's job row, PROJ-3's issue lock, delivery d3.
    const other = db.client();
    await other.connect();
    try {
      await other.query("BEGIN");
      await other.query("SELECT id FROM jobs WHERE delivery_id = 'd1' FOR UPDATE");
      const proj3 = await db.rows<{ id: number }>("SELECT id FROM jobs WHERE issue_key = 'PROJ-3'");
      const lock = [[proj3[0]?.id], ["yandex"], ["PROJ-3"]];
      const locked = await other.query(q.numberedParams(TRY_LOCK_ISSUES), lock);
      expect(locked.rowCount).toBe(1);
      await other.query("SELECT id FROM deliveries WHERE id = 'd3' FOR UPDATE");

      // PROJ-1's next job waits behind d1's, which is passed over, not waited for.
      expect((await claimJobs()).map((j) => [j.key, j.deliveryId])).toEqual([["PROJ-2", "d2"]]);
      const deliveries = await store.claimDeliveries({ now: Date.now(), leaseMs: 1, limit: 5 });
      expect(deliveries.map((d) => d.id)).toEqual(["d4"]);
    } finally {
      await other.query("ROLLBACK");
      await other.end();
    }
    expect((await claimJobs()).map((j) => [j.key, j.deliveryId])).toEqual([
      ["PROJ-1", "d1"],
      ["PROJ-3", "d2"],
    ]);
  });

  it("keeps an issue to the replica that claimed it until it commits, even when an earlier event arrives meanwhile", async () => {
    db = await postgresDb(url);
    const store = await db.open();
    await enqueue(store, "later", [submission("later", [link("PROJ-1")], { eventAt: at(5) })], 1);
    const claimJobs = () =>
      store.claimJobs({
        now: Date.now(),
        leaseMs: 60_000,
        limit: 10,
        perConnection: 10,
        running: new Map(),
      });

    // The other replica runs the store's own claim statements and stops before COMMIT.
    const other = db.client();
    await other.connect();
    try {
      const now = Date.now();
      await other.query("BEGIN");
      const candidates = await other.query(DUE_JOBS, [now, now, now, 10]);
      const ids = candidates.rows.map((row) => Number(row.id));
      const issues = [ids, ["yandex"], ["PROJ-1"]];
      await other.query(q.numberedParams(TRY_LOCK_ISSUES), issues);
      const claim = [now + 60_000, now, ids, now, now, now];
      const claimHead = q.numberedParams(q.claimHeadJobs("j.id = ANY(?)"));
      expect((await other.query(claimHead, claim)).rowCount).toBe(1);

      // An event older than the one being claimed is planned now; its job would head the queue.
      await enqueue(
        store,
        "earlier",
        [submission("earlier", [link("PROJ-1")], { eventAt: at(1) })],
        2,
      );
      expect(await claimJobs()).toEqual([]);
      await other.query("COMMIT");
    } finally {
      await other.end();
    }
    expect(await claimJobs()).toEqual([]);
    const [running] = await store.listJobs({ states: ["running"], limit: 5 });
    expect(running?.deliveryId).toBe("later");
    await store.finishJob(running!, { state: "done", summary: "linked" }, Date.now());
    expect((await claimJobs()).map((j) => j.deliveryId)).toEqual(["earlier"]);
  });

  it("re-checks a candidate after locking its issue: a claim whose select missed another replica's claim takes nothing", async () => {
    db = await postgresDb(url);
    const store = await db.open();
    await enqueue(store, "later", [submission("later", [link("PROJ-1")], { eventAt: at(5) })], 1);

    const mine = db.client();
    await mine.connect();
    try {
      const now = Date.now();
      await mine.query("BEGIN");
      const candidates = await mine.query(DUE_JOBS, [now, now, now, 10]);
      const ids = candidates.rows.map((row) => Number(row.id));
      expect(ids).toHaveLength(1);

      // Meanwhile an earlier event is planned and the other replica claims it, and commits.
      await enqueue(
        store,
        "earlier",
        [submission("earlier", [link("PROJ-1")], { eventAt: at(1) })],
        2,
      );
      const taken = await store.claimJobs({
        now,
        leaseMs: 60_000,
        limit: 10,
        perConnection: 10,
        running: new Map(),
      });
      expect(taken.map((j) => j.deliveryId)).toEqual(["earlier"]);

      const issues = [ids, ["yandex"], ["PROJ-1"]];
      expect((await mine.query(q.numberedParams(TRY_LOCK_ISSUES), issues)).rowCount).toBe(1);
      const claim = [now + 60_000, now, ids, now, now, now];
      const claimHead = q.numberedParams(q.claimHeadJobs("j.id = ANY(?)"));
      expect((await mine.query(claimHead, claim)).rowCount).toBe(0);
      await mine.query("COMMIT");
    } finally {
      await mine.end();
    }
  });

  it("commits a plan once when two replicas commit the same delivery at once", async () => {
    db = await postgresDb(url);
    const [first, second] = [await db.open(), await db.open()];
    for (let round = 0; round < 20; round++) {
      const id = `d${round}`;
      await first.recordDelivery({ id, event: "pull_request", payload: {}, receivedAt: at(round) });
      const plan = [submission(id, [link(`PROJ-${round}`)])];
      const outcomes = await Promise.all(
        [first, second].map((store) => store.commitPlan(id, plan, Date.now())),
      );
      expect(outcomes.sort()).toEqual([false, true]);
    }
    const jobs = await db.rows("SELECT CAST(COUNT(*) AS INTEGER) AS n FROM jobs");
    const reports = await db.rows("SELECT CAST(COUNT(*) AS INTEGER) AS n FROM reports");
    expect([jobs, reports]).toEqual([[{ n: 20 }], [{ n: 20 }]]);
  });

  it("supersedes across replicas: of an approve and a merge of one PR committed at once, one move is left", async () => {
    db = await postgresDb(url);
    const [first, second] = [await db.open(), await db.open()];
    for (let round = 0; round < 20; round++) {
      const key = `PROJ-${round}`;
      const approve = submission(`approve-${round}`, [move(key, "ready", "approved")], {
        eventAt: at(1),
      });
      const merge = submission(`merge-${round}`, [move(key, "done", "merged")], {
        eventAt: at(2),
        prState: "closed",
      });
      for (const s of [approve, merge]) {
        await first.recordDelivery({
          id: s.deliveryId,
          event: "pull_request",
          payload: {},
          receivedAt: at(0),
        });
      }
      await Promise.all([
        first.commitPlan(approve.deliveryId, [approve], Date.now()),
        second.commitPlan(merge.deliveryId, [merge], Date.now()),
      ]);
    }
    const pending = await first.listJobs({ states: ["pending"], limit: 100 });
    expect(pending.map((j) => j.deliveryId).sort()).toEqual(
      Array.from({ length: 20 }, (_, round) => `merge-${round}`).sort(),
    );
  });

  it("plans an installation's other PR while a plan of the same installation waits on a lock", async () => {
    db = await postgresDb(url);
    const [first, second] = [await db.open(), await db.open()];
    const recorded = async (id: string, seconds: number) => {
      await first.recordDelivery({ id, event: "pull_request", payload: {}, receivedAt: at(0) });
      return submission(id, [move(id === "other-pr" ? "PROJ-9" : "PROJ-1", "done", "merged")], {
        eventAt: at(seconds),
        prNumber: id === "other-pr" ? 2 : 1,
      });
    };
    const approve = await recorded("approve", 1);
    await first.commitPlan("approve", [approve], 1);
    const merge = await recorded("merge", 2);
    const otherPr = await recorded("other-pr", 3);

    // Another replica, mid-claim, holds the approve's job: the merge, superseding it, waits.
    const other = db.client();
    await other.connect();
    try {
      await other.query("BEGIN");
      await other.query("SELECT id FROM jobs WHERE delivery_id = 'approve' FOR UPDATE");
      const otherPid = (await other.query("SELECT pg_backend_pid() AS pid")).rows[0].pid as number;
      let merged = false;
      const merging = first.commitPlan("merge", [merge], 2).then((ok) => {
        merged = ok;
      });
      const waitChain = async () => {
        const rows = await db.rows<{ pid: number; blockers: number[] }>(
          "SELECT pid, pg_blocking_pids(pid) AS blockers FROM pg_stat_activity",
        );
        const chain: number[] = [];
        for (let holder = otherPid; ; ) {
          const waiter = rows.find((row) => row.blockers.includes(holder))?.pid;
          if (waiter === undefined) return chain;
          chain.push(waiter);
          holder = waiter;
        }
      };
      await until(async () => (await waitChain()).length === 1);

      // Another PR of the same installation, on another replica: planned now, not after the
      // merge's transaction (the installation's turns are not held to its commit).
      let planned = false;
      const planning = second.commitPlan("other-pr", [otherPr], 3).then((ok) => {
        planned = ok;
      });
      await until(async () => planned || (await waitChain()).length > 1);
      expect([planned, merged]).toEqual([true, false]);
      await planning;
      await other.query("ROLLBACK");
      await merging;
      expect(merged).toBe(true);
    } finally {
      await other.end();
    }
    const pending = await first.listJobs({ states: ["pending"], limit: 10 });
    expect(pending.map((j) => j.deliveryId).sort()).toEqual(["merge", "other-pr"]);
  });

  it("commits plans of one installation as many at once as the pool has connections, and more", async () => {
    db = await postgresDb(url);
    const store = await db.open({ poolSize: 2 });
    const ids = Array.from({ length: 6 }, (_, i) => `pr-${i}`);
    for (const id of ids)
      await store.recordDelivery({ id, event: "pull_request", payload: {}, receivedAt: at(0) });
    let committed = 0;
    const commits = ids.map((id, i) =>
      store
        .commitPlan(id, [submission(id, [link(`PROJ-${i}`, i)], { prNumber: i })], Date.now())
        .then(() => committed++),
    );
    // Each plan holding its connection while it waited for another would never end.
    await until(() => committed === ids.length);
    await Promise.all(commits);
    const jobs = await db.rows<{ turn: number }>("SELECT turn FROM jobs ORDER BY turn");
    expect(new Set(jobs.map((j) => j.turn)).size).toBe(ids.length);
  });

  it("runs a burst of 200 jobs once each across two replicas, one at a time per issue, in event order", async () => {
    db = await postgresDb(url);
    const [first, second] = [await db.open({ poolSize: 8 }), await db.open({ poolSize: 8 })];
    // Event times shuffled against arrival order: the order to keep is the events'.
    const eventSecond = shuffled(200);
    for (let job = 0; job < 200; job++) {
      const { connection, key } = issue(job % 20);
      const id = `burst-${job}`;
      const planned = submission(id, [link(key, job)], {
        connection,
        eventAt: at(eventSecond[job]!),
      });
      await enqueue(first, id, [planned], 1_000 + job);
    }
    const expected = new Map<string, number[]>();
    for (let i = 0; i < 20; i++) {
      const jobs = Array.from({ length: 10 }, (_, n) => i + 20 * n);
      expected.set(
        issue(i).key,
        jobs.sort((a, b) => eventSecond[a]! - eventSecond[b]!),
      );
    }

    const seen = recorder();
    const replicas = [start(first, seen.hooksFor("first")), start(second, seen.hooksFor("second"))];
    await Promise.all(replicas.map((worker) => worker.drain()));

    expect(seen.overlaps).toEqual([]);
    expect(Object.fromEntries(seen.started)).toEqual(Object.fromEntries(expected));
    expect([...seen.byReplica.keys()].sort()).toEqual(["first", "second"]);
    expect(
      await db.rows(
        "SELECT state, attempts, CAST(COUNT(*) AS INTEGER) AS n FROM jobs GROUP BY state, attempts",
      ),
    ).toEqual([{ state: "done", attempts: 1, n: 200 }]);
    expect(seen.reported).toHaveLength(200);
    expect(new Set(seen.reported).size).toBe(200);
  });

  it("plans and runs deliveries arriving at both replicas while both work, each job once and one at a time per issue", async () => {
    db = await postgresDb(url);
    const stores = [await db.open({ poolSize: 8 }), await db.open({ poolSize: 8 })];
    const plans: Record<string, PlanSubmission[]> = {};
    const eventSecond = shuffled(120);
    for (let n = 0; n < 120; n++) {
      const id = `arrival-${n}`;
      // Two jobs per delivery, on neighbouring issues of the same connection: 10 issues in all.
      const a = issue(n % 10);
      const b = issue((n + 2) % 10);
      const actions = [link(a.key, 2 * n), link(b.key, 2 * n + 1)];
      plans[id] = [
        submission(id, actions, { connection: a.connection, eventAt: at(eventSecond[n]!) }),
      ];
    }
    const seen = recorder();
    const replicas = stores.map((store, i) => start(store, seen.hooksFor(`replica-${i}`, plans)));
    for (let n = 0; n < 120; n++) {
      const which = n % 2;
      const receivedAt = new Date().toISOString();
      await stores[which]!.recordDelivery({
        id: `arrival-${n}`,
        event: "pull_request",
        payload: {},
        receivedAt,
      });
      replicas[which]!.wake();
      if (n % 10 === 9) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await Promise.all(replicas.map((worker) => worker.drain()));

    expect(seen.overlaps).toEqual([]);
    const ran = [...seen.started.values()].flat().sort((x, y) => x - y);
    expect(ran).toEqual(Array.from({ length: 240 }, (_, job) => job));
    expect(
      await db.rows("SELECT state, CAST(COUNT(*) AS INTEGER) AS n FROM deliveries GROUP BY state"),
    ).toEqual([{ state: "planned", n: 120 }]);
    expect(
      await db.rows(
        "SELECT state, attempts, CAST(COUNT(*) AS INTEGER) AS n FROM jobs GROUP BY state, attempts",
      ),
    ).toEqual([{ state: "done", attempts: 1, n: 240 }]);
  });
});
