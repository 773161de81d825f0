/** Row shapes of the store (the same on both databases) and their mapping to the store's types. */
import type { NotifyRule } from "../core/notify.js";
import type { ActionResult, PlannedAction } from "../core/types.js";
import type { StoredJob } from "./store.js";

export interface JobRow {
  id: number;
  delivery_id: string;
  report_id: number;
  connection: string;
  repo: string;
  pr_number: number | null;
  issue_key: string;
  kind: string;
  action: string;
  event_at: string;
  received_at: string;
  wait_for_all_prs: number;
  state: StoredJob["state"];
  attempts: number;
  summary: string | null;
  last_error: string | null;
  result: string | null;
  next_at: number;
  lease_until: number | null;
  created_at: number;
  retry_from: number;
  updated_at: number;
  notify?: string | null;
}

export function rowToJob(row: JobRow): StoredJob {
  return {
    id: row.id,
    deliveryId: row.delivery_id,
    reportId: row.report_id,
    connection: row.connection,
    repo: row.repo,
    prNumber: row.pr_number,
    key: row.issue_key,
    action: storedAction(row.action),
    eventAt: row.event_at,
    receivedAt: row.received_at,
    waitForAllPrs: row.wait_for_all_prs === 1,
    state: row.state,
    attempts: row.attempts,
    summary: row.summary,
    lastError: row.last_error,
    result: row.result === null ? null : storedResult(row.result),
    nextAt: row.next_at,
    leaseUntil: row.lease_until,
    createdAt: row.created_at,
    retryFrom: row.retry_from,
    updatedAt: row.updated_at,
    notify: row.notify ? (JSON.parse(row.notify) as NotifyRule[]) : [],
  };
}

/**
 * A job's stored action. Rows written before e-mails were read when the job runs may carry a
 * `match: email` person's e-mail: it is dropped, so nothing shows it (the CLI, the console).
 */
export function storedAction(text: string): PlannedAction {
  return withoutEmail(JSON.parse(text) as PlannedAction);
}

function storedResult(text: string): ActionResult {
  const result = JSON.parse(text) as ActionResult;
  return result.action && "email" in result.action
    ? { ...result, action: withoutEmail(result.action) }
    : result;
}

function withoutEmail(stored: PlannedAction & { email?: unknown }): PlannedAction {
  if (!("email" in stored)) return stored;
  const { email: _email, ...action } = stored;
  return action as PlannedAction;
}

/**
 * One spelling for every stored timestamp (`2024-05-01T10:00:00.000Z`), so that they
 * compare correctly as text: GitHub mixes `Z` and `+00:00`, with and without milliseconds.
 */
export function toIso(value: string, fallback?: string): string {
  const time = Date.parse(value);
  if (Number.isFinite(time)) return new Date(time).toISOString();
  if (fallback !== undefined) return fallback;
  throw new RangeError(`not a timestamp: ${JSON.stringify(value)}`);
}

/**
 * An event's time, to the whole second: GitHub's timestamps have no milliseconds, so one
 * stamped with them (a test, another source) must not look later than a GitHub event of the
 * same second. Within a second, events order by their lifecycle rank (`lifecycleRank`, 0–9,
 * written into the milliseconds: a merge after an approval), then by when they were received.
 */
export function toEventTime(value: string, fallback: string, rank = 0): string {
  const iso = toIso(value, fallback);
  return `${iso.slice(0, 19)}.00${Math.min(9, Math.max(0, rank))}Z`;
}

/** Jobs read for several reports at once, by report, each in the order read. */
export function jobsByReport(rows: readonly JobRow[]): Map<number, StoredJob[]> {
  const byReport = new Map<number, StoredJob[]>();
  for (const row of rows) {
    const reportId = Number(row.report_id);
    const jobs = byReport.get(reportId);
    if (jobs) jobs.push(rowToJob(row));
    else byReport.set(reportId, [rowToJob(row)]);
  }
  return byReport;
}
