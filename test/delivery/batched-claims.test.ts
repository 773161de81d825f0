/**
 * What a claim and a settle cost the store, counted (the counter behind `/metrics`): the ends
 * of jobs that arrive together share one transaction, and deliveries are claimed in one
 * statement. On SQLite and (with TEST_DATABASE_URL) PostgreSQL.
 */
import { describe, expect, it } from "vitest";
import type { Store } from "../../src/delivery/store.js";
import { backends, enqueue, link, submission, workerBed } from "./helpers.js";

/** Read when claiming: a time taken as the file loads may come before the jobs were planned. */
const claimInput = () => ({
  now: Date.now(),
  leaseMs: 60_000,
  limit: 100,
  perConnection: 16,
  running: new Map<string, number>(),
});

/** What `work` cost: statements and transactions sent meanwhile. */
async function cost(store: Store, work: () => Promise<unknown>) {
  const before = store.statementCounts();
  await work();
  const after = store.statementCounts();
  return {
    statements: after.statements - before.statements,
    transactions: after.transactions - before.transactions,
  };
}

describe.each(backends())("batched claims and settles ($name)", (backend) => {
  const bed = workerBed(backend);

  it("settles the jobs that end together in one transaction, each with its own outcome", async () => {
    const { store } = bed;
    const keys = Array.from({ length: 8 }, (_, i) => `PROJ-${i + 1}`);
    await enqueue(store, "d1", [
      submission(
        "d1",
        keys.map((key) => link(key)),
      ),
    ]);
    const jobs = await store.claimJobs(claimInput());
    expect(jobs).toHaveLength(8);
    // The fifth lost its claim (another replica took it over): fenced off, the others settle.
    const settled: unknown[] = [];
    const spent = await cost(store, async () => {
      settled.push(
        ...(await Promise.all(
          jobs.map((job, i) =>
            store.finishJob(
              { id: job.id, attempts: i === 4 ? job.attempts + 1 : job.attempts },
              { state: "done", summary: `linked ${job.key}` },
              Date.now(),
            ),
          ),
        )),
      );
    });
    expect(spent.transactions).toBe(1);
    expect(settled.filter((s) => s === false)).toHaveLength(1);
    expect(settled[4]).toBe(false);
    const rows = await bed.db.rows<{ state: string; n: number }>(
      "SELECT state, CAST(COUNT(*) AS INTEGER) AS n FROM jobs GROUP BY state ORDER BY state",
    );
    expect(rows).toEqual([
      { state: "done", n: 7 },
      { state: "running", n: 1 },
    ]);
  });

  it("claims deliveries in one statement", async () => {
    const { store } = bed;
    for (const id of ["a", "b", "c"]) {
      await store.recordDelivery({
        id,
        event: "pull_request",
        payload: {},
        receivedAt: new Date(Date.now() - 1_000).toISOString(),
      });
    }
    let claimed: string[] = [];
    const spent = await cost(store, async () => {
      const deliveries = await store.claimDeliveries({
        now: Date.now(),
        leaseMs: 60_000,
        limit: 2,
      });
      claimed = deliveries.map((d) => d.id);
    });
    expect(claimed).toEqual(["a", "b"]);
    // SQLite first asks, with a plain read, whether anything is due (probeBeforeClaim).
    expect(spent).toEqual({ statements: backend.name === "sqlite" ? 2 : 1, transactions: 0 });
  });

  it("claims reports in one statement and reads their jobs in one more", async () => {
    const { store } = bed;
    for (const id of ["r1", "r2"]) {
      await enqueue(store, id, [
        submission(id, [link(`${id.toUpperCase()}-1`), link(`${id.toUpperCase()}-2`)]),
      ]);
    }
    const jobs = await store.claimJobs(claimInput());
    await Promise.all(
      jobs.map((job) =>
        store.finishJob(
          { id: job.id, attempts: job.attempts },
          { state: "done", summary: "linked" },
          Date.now(),
        ),
      ),
    );
    let claimed: Array<{ delivery: string; jobs: string[] }> = [];
    const spent = await cost(store, async () => {
      const reports = await store.claimReports({ now: Date.now(), leaseMs: 60_000, limit: 10 });
      claimed = reports.map((r) => ({
        delivery: r.submission.deliveryId,
        jobs: r.jobs.map((job) => `${job.key} ${job.state}`),
      }));
    });
    expect(claimed).toEqual([
      { delivery: "r1", jobs: ["R1-1 done", "R1-2 done"] },
      { delivery: "r2", jobs: ["R2-1 done", "R2-2 done"] },
    ]);
    expect(spent).toEqual({ statements: backend.name === "sqlite" ? 3 : 2, transactions: 0 });
  });
});
