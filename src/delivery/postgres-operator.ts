/** The PostgreSQL store's operator side: the same statements as sqlite-operator.ts, awaited. */
import type { PgSql } from "./postgres-sql.js";
import * as q from "./queries.js";
import { type JobRow, rowToJob } from "./sqlite-rows.js";
import type { DeliveryState, DeliverySummary, ReportSnapshot, StoredJob } from "./store.js";
import type { PlanSubmission } from "./types.js";

interface DeliveryRow {
  id: string;
  event: string;
  received_at: string;
  state: DeliveryState;
  attempts: number;
  error: string | null;
}

export async function listDeliveries(
  sql: PgSql,
  input: { limit: number; state?: DeliveryState },
): Promise<DeliverySummary[]> {
  const rows = input.state
    ? await sql.rows<DeliveryRow>(q.RECENT_DELIVERIES_IN_STATE, [input.state, input.limit])
    : await sql.rows<DeliveryRow>(q.RECENT_DELIVERIES, [input.limit]);
  const summaries = new Map<string, DeliverySummary>();
  for (const row of rows) {
    const { id, event, state, attempts, error } = row;
    summaries.set(id, { id, event, receivedAt: row.received_at, state, attempts, error, jobs: {} });
  }
  if (rows.length > 0) {
    type Count = { delivery_id: string; state: StoredJob["state"]; n: number };
    const ids = rows.map((row) => row.id);
    for (const count of await sql.rows<Count>(q.jobCountsOf(ids.length), ids)) {
      const summary = summaries.get(count.delivery_id);
      if (summary) summary.jobs[count.state] = count.n;
    }
  }
  return [...summaries.values()];
}

export async function listJobs(
  sql: PgSql,
  input: { states: readonly StoredJob["state"][]; limit: number },
): Promise<StoredJob[]> {
  if (input.states.length === 0) return [];
  const params = [...input.states, input.limit];
  return (await sql.rows<JobRow>(q.jobsInStates(input.states.length), params)).map(rowToJob);
}

/** A report's submission and its jobs as they stand now, for a progress update on the check run. */
export async function getReport(sql: PgSql, id: number): Promise<ReportSnapshot | null> {
  const row = await sql.row<{ submission: string | PlanSubmission }>(q.REPORT_BY_ID, [id]);
  if (!row) return null;
  const submission =
    typeof row.submission === "string"
      ? (JSON.parse(row.submission) as PlanSubmission)
      : row.submission;
  return { submission, jobs: (await sql.rows<JobRow>(q.JOBS_OF_REPORT, [id])).map(rowToJob) };
}

export async function reportsForCommit(
  sql: PgSql,
  repo: string,
  headSha: string,
): Promise<ReportSnapshot[]> {
  type Row = { id: number; submission: string | PlanSubmission };
  const snapshots: ReportSnapshot[] = [];
  for (const row of await sql.rows<Row>(q.REPORTS_OF_COMMIT, [repo, headSha])) {
    const submission =
      typeof row.submission === "string"
        ? (JSON.parse(row.submission) as PlanSubmission)
        : row.submission;
    snapshots.push({
      submission,
      jobs: (await sql.rows<JobRow>(q.JOBS_OF_REPORT, [row.id])).map(rowToJob),
    });
  }
  return snapshots;
}

export async function getJob(sql: PgSql, id: number): Promise<StoredJob | null> {
  const row = await sql.row<JobRow>(q.JOB_BY_ID, [id]);
  return row ? rowToJob(row) : null;
}

/** The report is reopened first, in the same transaction: it is written again once the job settles. */
export function retryJob(sql: PgSql, id: number, now: number): Promise<boolean> {
  return sql.tx(async (tx) => {
    await tx.run(q.REOPEN_REPORT_OF_JOB, [now, id]);
    return (await tx.run(q.RETRY_JOB, [now, now, now, id])) === 1;
  });
}

export function retryDeadJobs(sql: PgSql, now: number): Promise<number> {
  return sql.tx(async (tx) => {
    await tx.run(q.REOPEN_REPORTS_OF_DEAD, [now]);
    return tx.run(q.RETRY_DEAD_JOBS, [now, now, now]);
  });
}

export async function retryDelivery(sql: PgSql, id: string, now: number): Promise<boolean> {
  return (await sql.run(q.RETRY_DELIVERY, [now, now, id])) === 1;
}

export async function prune(
  sql: PgSql,
  input: { olderThanDays: number; now: number },
): Promise<{ payloadsCleared: number }> {
  const cutoff = new Date(input.now - input.olderThanDays * 24 * 60 * 60_000).toISOString();
  return { payloadsCleared: await sql.run(q.PRUNE_PAYLOADS, [cutoff]) };
}
