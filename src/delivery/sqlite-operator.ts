/** The SQLite store's operator side: what `trackbridge deliveries` lists and retries, and pruning. */
import * as q from "./queries.js";
import { type JobRow, rowToJob } from "./sqlite-rows.js";
import type { Sql } from "./sqlite-sql.js";
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

export function listDeliveries(
  sql: Sql,
  input: { limit: number; state?: DeliveryState },
): DeliverySummary[] {
  const rows = input.state
    ? sql.all<DeliveryRow>(q.RECENT_DELIVERIES_IN_STATE, [input.state, input.limit])
    : sql.all<DeliveryRow>(q.RECENT_DELIVERIES, [input.limit]);
  const summaries = new Map<string, DeliverySummary>();
  for (const row of rows) {
    const { id, event, state, attempts, error } = row;
    summaries.set(id, { id, event, receivedAt: row.received_at, state, attempts, error, jobs: {} });
  }
  if (rows.length > 0) {
    type Count = { delivery_id: string; state: StoredJob["state"]; n: number };
    const ids = rows.map((row) => row.id);
    for (const count of sql.all<Count>(q.jobCountsOf(ids.length), ids)) {
      const summary = summaries.get(count.delivery_id);
      if (summary) summary.jobs[count.state] = count.n;
    }
  }
  return [...summaries.values()];
}

export function listJobs(
  sql: Sql,
  input: { states: readonly StoredJob["state"][]; limit: number },
): StoredJob[] {
  if (input.states.length === 0) return [];
  return sql
    .all<JobRow>(q.jobsInStates(input.states.length), [...input.states, input.limit])
    .map(rowToJob);
}

/** A report's submission and its jobs as they stand now, for a progress update on the check run. */
export function getReport(sql: Sql, id: number): ReportSnapshot | null {
  const row = sql.get<{ submission: string }>(q.REPORT_BY_ID, [id]);
  if (!row) return null;
  return {
    submission: JSON.parse(row.submission) as PlanSubmission,
    jobs: sql.all<JobRow>(q.JOBS_OF_REPORT, [id]).map(rowToJob),
  };
}

export function reportsForCommit(sql: Sql, repo: string, headSha: string): ReportSnapshot[] {
  return sql
    .all<{ id: number; submission: string }>(q.REPORTS_OF_COMMIT, [repo, headSha])
    .map((row) => ({
      submission: JSON.parse(row.submission) as PlanSubmission,
      jobs: sql.all<JobRow>(q.JOBS_OF_REPORT, [row.id]).map(rowToJob),
    }));
}

export function getJob(sql: Sql, id: number): StoredJob | null {
  const row = sql.get<JobRow>(q.JOB_BY_ID, [id]);
  return row ? rowToJob(row) : null;
}

/** The report is reopened first, in the same transaction: it is written again once the job settles. */
export function retryJob(sql: Sql, id: number, now: number): boolean {
  return sql.write(() => {
    sql.run(q.REOPEN_REPORT_OF_JOB, [now, id]);
    return sql.run(q.RETRY_JOB, [now, now, now, id]).changes === 1;
  });
}

export function retryDeadJobs(sql: Sql, now: number): number {
  return sql.write(() => {
    sql.run(q.REOPEN_REPORTS_OF_DEAD, [now]);
    return sql.run(q.RETRY_DEAD_JOBS, [now, now, now]).changes;
  });
}

export function retryDelivery(sql: Sql, id: string, now: number): boolean {
  return sql.run(q.RETRY_DELIVERY, [now, now, id]).changes === 1;
}

export function prune(
  sql: Sql,
  input: { olderThanDays: number; now: number },
): { payloadsCleared: number } {
  const cutoff = new Date(input.now - input.olderThanDays * 24 * 60 * 60_000).toISOString();
  return { payloadsCleared: sql.run(q.PRUNE_PAYLOADS, [cutoff]).changes };
}
