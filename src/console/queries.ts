/**
 * Every read and write the console and /metrics make, one function per query. The SQL is
 * written once for SQLite and PostgreSQL (`?` placeholders, plain SELECTs) and runs through
 * the store's `rows`/`run`, so both backends serve it and a unified store only has to keep
 * those two calls. Times: epoch milliseconds, except `received_at` (ISO text).
 */
import type { PlannedAction } from "../core/types.js";
import { REOPEN_REPORT_OF_DISCARDED } from "../delivery/queries.js";
import { storedAction } from "../delivery/rows.js";
import type { JobState } from "../delivery/types.js";

export type { ConsoleDb } from "../telemetry/job-counts.js";
export { countJobs, type JobCount, oldestPendingJobAt } from "../telemetry/job-counts.js";

import type { ConsoleDb } from "../telemetry/job-counts.js";

/** The store answers at all (`/readyz`). */
export async function ping(db: ConsoleDb): Promise<void> {
  await db.rows("SELECT 1 AS ok", []);
}

/** Deliveries recorded (and so acknowledged with 202) since `sinceIso`. */
export async function countDeliveriesSince(db: ConsoleDb, sinceIso: string): Promise<number> {
  const rows = await db.rows<{ n: number }>(
    "SELECT COUNT(*) AS n FROM deliveries WHERE received_at >= ?",
    [sinceIso],
  );
  return Number(rows[0]?.n ?? 0);
}

/** A job as the console lists it, with the delivery that planned it. */
export interface JobRow {
  id: number;
  deliveryId: string;
  event: string;
  receivedAt: string;
  connection: string;
  repo: string;
  prNumber: number | null;
  key: string;
  action: PlannedAction;
  state: JobState;
  attempts: number;
  summary: string | null;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
}

const JOB_COLUMNS = `SELECT j.id, j.delivery_id, d.event, d.received_at, j.connection, j.repo,
  j.pr_number, j.issue_key, j.action, j.state, j.attempts, j.summary, j.last_error, j.created_at,
  j.updated_at FROM jobs j JOIN deliveries d ON d.id = j.delivery_id`;

interface RawJob {
  id: number;
  delivery_id: string;
  event: string;
  received_at: string;
  connection: string;
  repo: string;
  pr_number: number | null;
  issue_key: string;
  action: string;
  state: JobState;
  attempts: number;
  summary: string | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

function toJob(row: RawJob): JobRow {
  return {
    id: Number(row.id),
    deliveryId: row.delivery_id,
    event: row.event,
    receivedAt: row.received_at,
    connection: row.connection,
    repo: row.repo,
    prNumber: row.pr_number === null ? null : Number(row.pr_number),
    key: row.issue_key,
    action: storedAction(row.action),
    state: row.state,
    attempts: Number(row.attempts),
    summary: row.summary,
    lastError: row.last_error,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

/** Dead letters, the most recently failed first. */
export async function listDeadLetters(db: ConsoleDb, limit: number): Promise<JobRow[]> {
  const sql = `${JOB_COLUMNS} WHERE j.state = 'dead' ORDER BY j.updated_at DESC, j.id DESC LIMIT ?`;
  return (await db.rows<RawJob>(sql, [limit])).map(toJob);
}

/** The latest jobs that failed, are failing (retrying), or died. */
export async function listLatestErrors(db: ConsoleDb, limit: number): Promise<JobRow[]> {
  const sql = `${JOB_COLUMNS} WHERE j.last_error IS NOT NULL OR j.state IN ('failed', 'dead')
    ORDER BY j.updated_at DESC, j.id DESC LIMIT ?`;
  return (await db.rows<RawJob>(sql, [limit])).map(toJob);
}

export interface ActivityFilter {
  repo?: string;
  pr?: number;
  key?: string;
  state?: JobState;
}

/** Jobs newest first with their delivery, narrowed by whichever filters are given. */
export async function listActivity(
  db: ConsoleDb,
  filter: ActivityFilter,
  limit: number,
): Promise<JobRow[]> {
  const conditions: Array<[string, unknown]> = [];
  if (filter.repo) conditions.push(["j.repo = ?", filter.repo]);
  if (filter.pr !== undefined) conditions.push(["j.pr_number = ?", filter.pr]);
  if (filter.key) conditions.push(["j.issue_key = ?", filter.key]);
  if (filter.state) conditions.push(["j.state = ?", filter.state]);
  const where = conditions.map(([condition]) => condition);
  const params = conditions.map(([, value]) => value);
  const sql = `${JOB_COLUMNS} ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
    ORDER BY d.received_at DESC, j.id DESC LIMIT ?`;
  return (await db.rows<RawJob>(sql, [...params, limit])).map(toJob);
}

export interface FailedDelivery {
  id: string;
  event: string;
  receivedAt: string;
  attempts: number;
  error: string | null;
}

export async function countFailedDeliveries(db: ConsoleDb): Promise<number> {
  const rows = await db.rows<{ n: number }>(
    "SELECT COUNT(*) AS n FROM deliveries WHERE state = 'failed'",
    [],
  );
  return Number(rows[0]?.n ?? 0);
}

/** Deliveries whose planning failed for good (GitHub refused, a bug): retried by planning again. */
export async function listFailedDeliveries(
  db: ConsoleDb,
  limit: number,
): Promise<FailedDelivery[]> {
  const rows = await db.rows<{
    id: string;
    event: string;
    received_at: string;
    attempts: number;
    error: string | null;
  }>(
    `SELECT id, event, received_at, attempts, error FROM deliveries WHERE state = 'failed'
     ORDER BY received_at DESC LIMIT ?`,
    [limit],
  );
  return rows.map((row) => ({
    id: row.id,
    event: row.event,
    receivedAt: row.received_at,
    attempts: Number(row.attempts),
    error: row.error,
  }));
}

/** Each repository's latest job: when and which event, for the Repositories page. */
export async function lastEventByRepo(
  db: ConsoleDb,
): Promise<Map<string, { at: string; event: string }>> {
  const rows = await db.rows<{ repo: string; at: string; event: string }>(
    `SELECT j.repo, d.received_at AS at, d.event FROM jobs j JOIN deliveries d ON d.id = j.delivery_id
     WHERE j.id IN (SELECT MAX(id) FROM jobs GROUP BY repo)`,
    [],
  );
  return new Map(rows.map((row) => [row.repo.toLowerCase(), { at: row.at, event: row.event }]));
}

/**
 * Gives up on dead letters; returns the ids that were dead and are now discarded. Each one's
 * report is reopened after its job changed (as a retry reopens it), so the worker writes the
 * PR's check run again with the discard in it.
 */
export async function discardJobs(
  db: ConsoleDb,
  ids: readonly number[],
  now: number,
  actor: string,
): Promise<number[]> {
  const discarded: number[] = [];
  for (const id of ids) {
    const changed = await db.run(
      `UPDATE jobs SET state = 'discarded', summary = ?, updated_at = ? WHERE id = ? AND state = 'dead'`,
      [`discarded by ${actor} in the console`, now, id],
    );
    if (changed !== 1) continue;
    discarded.push(id);
    await db.run(REOPEN_REPORT_OF_DISCARDED, [now, id]);
  }
  return discarded;
}

export interface AuditEntry {
  at: number;
  actor: string;
  /** "sign-in", "sign-out", "retry", "discard", "test-connection" */
  action: string;
  target: string;
  detail?: string;
}

export async function appendAudit(db: ConsoleDb, entry: AuditEntry): Promise<void> {
  await db.run("INSERT INTO audit_log (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)", [
    entry.at,
    entry.actor,
    entry.action,
    entry.target,
    entry.detail ?? null,
  ]);
}

export async function listAudit(db: ConsoleDb, limit: number): Promise<AuditEntry[]> {
  const rows = await db.rows<AuditEntry & { detail: string | null }>(
    "SELECT at, actor, action, target, detail FROM audit_log ORDER BY at DESC, id DESC LIMIT ?",
    [limit],
  );
  return rows.map((row) => ({ ...row, at: Number(row.at), detail: row.detail ?? undefined }));
}

export interface SessionRow {
  login: string;
  csrf: string;
  expiresAt: number;
}

export async function createSession(
  db: ConsoleDb,
  input: { idHash: string; login: string; csrf: string; now: number; expiresAt: number },
): Promise<void> {
  await db.run(
    "INSERT INTO console_sessions (id, login, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
    [input.idHash, input.login, input.csrf, input.now, input.expiresAt],
  );
}

export async function findSession(
  db: ConsoleDb,
  idHash: string,
  now: number,
): Promise<SessionRow | null> {
  const rows = await db.rows<{ login: string; csrf: string; expires_at: number }>(
    "SELECT login, csrf, expires_at FROM console_sessions WHERE id = ? AND expires_at > ?",
    [idHash, now],
  );
  const row = rows[0];
  return row ? { login: row.login, csrf: row.csrf, expiresAt: Number(row.expires_at) } : null;
}

/** Signs one session out, and forgets every expired one on the way. */
export async function deleteSession(db: ConsoleDb, idHash: string, now: number): Promise<void> {
  await db.run("DELETE FROM console_sessions WHERE id = ? OR expires_at <= ?", [idHash, now]);
}
