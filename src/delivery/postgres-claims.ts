/**
 * The PostgreSQL store's claims: safe when several replicas claim at once. Each is one
 * transaction: lock the due rows with `FOR UPDATE SKIP LOCKED` (rows another replica is
 * claiming are passed over, not waited for), then mark them claimed. Why jobs and reports
 * need a second look after locking is in postgres-queries.ts.
 */
import * as pq from "./postgres-queries.js";
import type { PgSql } from "./postgres-sql.js";
import * as q from "./queries.js";
import { type JobRow, rowToJob } from "./sqlite-rows.js";
import type { ClaimedDelivery, ClaimedReport, Store, StoredJob } from "./store.js";
import type { PlanSubmission } from "./types.js";

type Input<M extends Exclude<keyof Store, "memo">> = Parameters<Store[M]>[0];

export function claimDeliveries(
  sql: PgSql,
  { now, leaseMs, limit }: Input<"claimDeliveries">,
): Promise<ClaimedDelivery[]> {
  type Row = { id: string; event: string; payload: string | null; received_at: string };
  type Counts = { attempts: number; retry_from: number };
  return sql.tx(async (tx) => {
    const claimed: ClaimedDelivery[] = [];
    for (const row of await tx.rows<Row & Counts>(pq.DUE_DELIVERIES, [now, limit])) {
      if ((await tx.run(q.CLAIM_DELIVERY, [now + leaseMs, row.id, now])) !== 1) continue;
      claimed.push({
        id: row.id,
        event: row.event,
        payload: row.payload === null ? null : JSON.parse(row.payload),
        receivedAt: row.received_at,
        attempts: row.attempts + 1,
        retryFrom: row.retry_from,
      });
    }
    return claimed;
  });
}

/**
 * Picks, in event order, the candidates that fit each connection's free slots (as the SQLite
 * store does), then claims those whose issue it can lock and that still head their issue.
 */
export function claimJobs(
  sql: PgSql,
  { now, leaseMs, limit, perConnection, running }: Input<"claimJobs">,
): Promise<StoredJob[]> {
  const full = [...running].filter(([, count]) => count >= perConnection).map(([name]) => name);
  return sql.tx(async (tx) => {
    // More candidates than slots: some belong to connections that fill up within this batch.
    const params = [now, now, ...full, now, limit * 4];
    const candidates = await tx.rows<JobRow>(pq.dueJobs(full.length), params);
    const taken = new Map(running);
    const picked: JobRow[] = [];
    for (const row of candidates) {
      if (picked.length >= limit) break;
      const busy = taken.get(row.connection) ?? 0;
      if (busy >= perConnection) continue;
      taken.set(row.connection, busy + 1);
      picked.push(row);
    }
    if (picked.length === 0) return [];

    const issues = [
      picked.map((row) => row.id),
      picked.map((row) => row.connection),
      picked.map((row) => row.issue_key),
    ];
    const locked = (await tx.rows<{ id: number }>(pq.TRY_LOCK_ISSUES, issues)).map((r) => r.id);
    if (locked.length === 0) return [];
    const leaseUntil = now + leaseMs;
    const claim = [leaseUntil, now, locked, now, now, now];
    const rows = await tx.rows<JobRow>(pq.CLAIM_HEAD_JOBS, claim);
    const order = new Map(picked.map((row, index) => [row.id, index]));
    rows.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
    return rows.map(rowToJob);
  });
}

export function claimReports(
  sql: PgSql,
  { now, leaseMs, limit }: Input<"claimReports">,
): Promise<ClaimedReport[]> {
  type Row = { id: number; version: number; attempts: number; submission: string };
  return sql.tx(async (tx) => {
    const claimed: ClaimedReport[] = [];
    for (const row of await tx.rows<Row>(pq.DUE_REPORTS, [now, limit])) {
      const claim = [now + leaseMs, row.id, row.version, now];
      if ((await tx.run(pq.CLAIM_SETTLED_REPORT, claim)) !== 1) continue;
      claimed.push({
        id: row.id,
        version: row.version,
        attempts: row.attempts + 1,
        submission: JSON.parse(row.submission) as PlanSubmission,
        jobs: (await tx.rows<JobRow>(q.JOBS_OF_REPORT, [row.id])).map(rowToJob),
      });
    }
    return claimed;
  });
}
