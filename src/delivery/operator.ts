/** The store's operator side: what `trackbridge deliveries` lists and retries, and pruning. */
import { type Db, type Querier, together } from "./db.js";
import * as q from "./queries.js";
import { type JobRow, jobsByReport, rowToJob } from "./rows.js";
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
  db: Querier,
  input: { limit: number; state?: DeliveryState },
): Promise<DeliverySummary[]> {
  const rows = input.state
    ? await db.rows<DeliveryRow>(q.RECENT_DELIVERIES_IN_STATE, [input.state, input.limit])
    : await db.rows<DeliveryRow>(q.RECENT_DELIVERIES, [input.limit]);
  const summaries = new Map<string, DeliverySummary>();
  for (const row of rows) {
    const { id, event, state, attempts, error } = row;
    summaries.set(id, { id, event, receivedAt: row.received_at, state, attempts, error, jobs: {} });
  }
  if (rows.length > 0) {
    type Count = { delivery_id: string; state: StoredJob["state"]; n: number };
    const ids = rows.map((row) => row.id);
    for (const count of await db.rows<Count>(q.jobCountsOf(ids.length), ids)) {
      const summary = summaries.get(count.delivery_id);
      if (summary) summary.jobs[count.state] = count.n;
    }
  }
  return [...summaries.values()];
}

export async function unfinishedDelivery(db: Querier, idPrefix: string): Promise<string | null> {
  const n = idPrefix.length;
  const row = await db.row<{ id: string }>(q.UNFINISHED_WITH_PREFIX, [n, idPrefix, n, idPrefix]);
  return row?.id ?? null;
}

export async function listJobs(
  db: Querier,
  input: { states: readonly StoredJob["state"][]; limit: number },
): Promise<StoredJob[]> {
  if (input.states.length === 0) return [];
  const params = [...input.states, input.limit];
  return (await db.rows<JobRow>(q.jobsInStates(input.states.length), params)).map(rowToJob);
}

/** A report's submission and its jobs as they stand now, for a progress update on the check run. */
export async function getReport(db: Querier, id: number): Promise<ReportSnapshot | null> {
  const row = await db.row<{ submission: string }>(q.REPORT_BY_ID, [id]);
  return row ? snapshot(db, { id, submission: row.submission }) : null;
}

export async function reportsForCommit(
  db: Querier,
  repo: string,
  headSha: string,
): Promise<ReportSnapshot[]> {
  type Row = { id: number; submission: string };
  // Two reads, not one per report: a commit gathers a report per event of its PR.
  const [reports, jobs] = await together([
    db.rows<Row>(q.REPORTS_OF_COMMIT, [repo, headSha]),
    db.rows<JobRow>(q.JOBS_OF_COMMIT, [repo, headSha]),
  ]);
  const jobsOf = jobsByReport(jobs);
  return reports.map((report) => ({
    submission: JSON.parse(report.submission) as PlanSubmission,
    jobs: jobsOf.get(report.id) ?? [],
  }));
}

export async function snapshot(
  db: Querier,
  report: { id: number; submission: string },
): Promise<ReportSnapshot> {
  return {
    submission: JSON.parse(report.submission) as PlanSubmission,
    jobs: (await db.rows<JobRow>(q.JOBS_OF_REPORT, [report.id])).map(rowToJob),
  };
}

export async function getJob(db: Querier, id: number): Promise<StoredJob | null> {
  const row = await db.row<JobRow>(q.JOB_BY_ID, [id]);
  return row ? rowToJob(row) : null;
}

/** The report is reopened first, in the same transaction: it is written again once the job settles. */
export function retryJob(db: Db, id: number, now: number): Promise<boolean> {
  return db.tx(async (tx) => {
    await tx.run(q.REOPEN_REPORT_OF_JOB, [now, id]);
    return (await tx.run(q.RETRY_JOB, [now, now, now, id])) === 1;
  });
}

export function retryDeadJobs(db: Db, now: number): Promise<number> {
  return db.tx(async (tx) => {
    await tx.run(q.REOPEN_REPORTS_OF_DEAD, [now]);
    return tx.run(q.RETRY_DEAD_JOBS, [now, now, now]);
  });
}

export async function retryDelivery(db: Querier, id: string, now: number): Promise<boolean> {
  return (await db.run(q.RETRY_DELIVERY, [now, now, id])) === 1;
}

export async function prune(
  db: Querier,
  input: { olderThanDays: number; now: number },
): Promise<{ payloadsCleared: number }> {
  const cutoff = new Date(input.now - input.olderThanDays * 24 * 60 * 60_000).toISOString();
  return { payloadsCleared: await db.run(q.PRUNE_PAYLOADS, [cutoff]) };
}
