/**
 * Where the PostgreSQL store's SQL differs from the shared queries.ts, all in one place.
 *
 * Several replicas claim from one database, so each claim is a transaction that locks its
 * candidate rows with `FOR UPDATE SKIP LOCKED` (two replicas never take the same row, and
 * never wait for each other) and then re-checks, in a statement of its own, what a row lock
 * cannot protect: that the job still heads its issue's queue, that a report's jobs have all
 * settled. The re-check for jobs runs under a per-issue advisory lock, so that two replicas
 * cannot each claim a different job of one issue from snapshots that miss the other's claim.
 *
 * Advisory lock keys are 64-bit hashes of a name that includes the schema, so two
 * deployments (or test runs) in separate schemas of one database do not contend. A hash
 * collision only makes two unrelated issues wait for each other now and then.
 */
import * as q from "./queries.js";

const lockKey = (kind: string, parts: string) =>
  `hashtextextended('trackbridge.${kind}/' || ${parts}, 0)`;

/**
 * Taken by every starting process before it looks at `schema_migrations` (param: the schema
 * asked for, or null for the search path's).
 */
export const LOCK_MIGRATIONS = `SELECT pg_advisory_xact_lock(${lockKey("migrations", "COALESCE(?::text, current_schema(), '')")})`;
export const SCHEMA_EXISTS = "SELECT 1 AS found FROM pg_namespace WHERE nspname = ?";

export const DUE_DELIVERIES = q.forUpdateSkipLocked(q.DUE_DELIVERIES);
export const DUE_REPORTS = q.forUpdateSkipLocked(q.DUE_REPORTS);
export const dueJobs = (excludedConnections: number) =>
  q.forUpdateSkipLocked(q.dueJobs(excludedConnections));

/**
 * Of the candidate jobs (params: ids, connections, issue keys, as arrays), those whose issue
 * no other transaction is claiming right now. Held until commit; a claimer never waits.
 */
export const TRY_LOCK_ISSUES = `SELECT k.id FROM unnest(?::bigint[], ?::text[], ?::text[])
    AS k(id, connection, issue_key)
  WHERE pg_try_advisory_xact_lock(${lockKey("issue", "current_schema() || '/' || k.connection || '/' || k.issue_key")})`;

/**
 * Claims the locked candidates (params: lease_until, now, ids, now, now, now) that are still
 * due and still head their issue. A new statement, so its snapshot includes every claim that
 * committed before this transaction took the issue locks.
 */
export const CLAIM_HEAD_JOBS = `UPDATE jobs j
  SET state = 'running', attempts = j.attempts + 1, lease_until = ?, updated_at = ?
  WHERE j.id = ANY(?::bigint[]) AND ${q.JOB_IS_DUE} AND ${q.HEAD_OF_ITS_ISSUE}
  RETURNING j.*`;

/**
 * The shared report claim, re-checking that all its jobs have settled: the select's snapshot
 * may predate an operator's retry of one of them, which committed before the row lock was had.
 */
export const CLAIM_SETTLED_REPORT = `${q.CLAIM_REPORT}
  AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.report_id = reports.id AND j.state IN ${q.ACTIVE})`;

/** Two replicas committing plans for one delivery: the second waits, then sees it planned. */
export const DELIVERY_STATE_FOR_UPDATE = `${q.DELIVERY_STATE} FOR UPDATE`;

/**
 * Serializes plans of one PR (params: repo, PR number), so that superseding older moves
 * sees every move committed before it, as under SQLite's single writer. Today the upsert of
 * the PR's `pr_issues` row, which comes first, would serialize them too; this lock keeps that
 * true whatever order commitPlan's statements come in.
 */
export const LOCK_PR = `SELECT pg_advisory_xact_lock(${lockKey("pr", "current_schema() || '/' || ?::text || '#' || ?::text")})`;

/** The shared finish, returning what recording an applied move needs (no second read). */
export const FINISH_JOB = `${q.FINISH_JOB}
  RETURNING kind, repo, pr_number, connection, issue_key, event_at`;
