/**
 * The store's SQL, written once for SQLite and PostgreSQL: `?` placeholders (the PostgreSQL
 * driver numbers them with `numberedParams`), ON CONFLICT upserts, RETURNING, and row-value
 * comparisons, which both support. The claim selects end in `LIMIT ?`, so that the dialect
 * can add PostgreSQL's row locks (`Dialect.skipLocked`).
 */

/** Job states that still hold their issue's queue. */
export const ACTIVE = "('pending', 'running')";

export const knownDeliveryIds = (count: number) =>
  `SELECT id FROM deliveries WHERE id IN (${placeholders(count)})`;

export const DELAY_DELIVERY = `UPDATE deliveries SET next_at = ?, error = ?
  WHERE id = ? AND state = 'received' AND attempts = ?`;
export const FAIL_DELIVERY = `UPDATE deliveries SET state = 'failed', error = ?
  WHERE id = ? AND state = 'received' AND attempts = ?`;
export const DELIVERY_STATE = "SELECT state, received_at FROM deliveries WHERE id = ?";
export const MARK_PLANNED = `UPDATE deliveries SET state = 'planned', error = NULL
  WHERE id = ? AND state = 'received'`;

export const INSERT_REPORT = `INSERT INTO reports
  (delivery_id, submission, reported, version, attempts, next_at, repo, head_sha)
  VALUES (?, ?, 0, 0, 0, ?, ?, ?) RETURNING id`;
export const REPORTS_OF_COMMIT =
  "SELECT id, submission FROM reports WHERE repo = ? AND head_sha = ? ORDER BY id";

const valuesOf = (count: number, row: string) =>
  Array.from({ length: count }, () => row).join(", ");

/** `count` jobs, 20 parameters each (see `jobRow` in commit-plan.ts), in the order given. */
export const insertJobs = (count: number) => `INSERT INTO jobs
  (delivery_id, report_id, connection, repo, pr_number, issue_key, kind, action, event_at,
   received_at, wait_for_all_prs, state, attempts, summary, next_at, created_at, retry_from, updated_at,
   notify, installation_id, turn)
  VALUES ${valuesOf(count, "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?)")}`;

/** A PR's references (no key twice) only move forward in event time: a late event does not reopen a PR. */
export const upsertPrIssues = (count: number) => `INSERT INTO pr_issues
  (repo, pr_number, connection, issue_key, pr_state, event_at)
  VALUES ${valuesOf(count, "(?, ?, ?, ?, ?, ?)")}
  ON CONFLICT (repo, pr_number, connection, issue_key)
  DO UPDATE SET pr_state = excluded.pr_state, event_at = excluded.event_at
  WHERE excluded.event_at >= pr_issues.event_at`;
/** Before recording the keys a PR names now: forget what older events recorded for it. */
export const FORGET_PR_ISSUES = `DELETE FROM pr_issues
  WHERE repo = ? AND pr_number = ? AND connection = ? AND event_at <= ?`;
export const SET_PR_STATE = `UPDATE pr_issues SET pr_state = ?, event_at = ?
  WHERE repo = ? AND pr_number = ? AND event_at <= ?`;

/** Job `j` is due (params: now, now), or was left running past its lease by a dead process. */
export const JOB_IS_DUE =
  "((j.state = 'pending' AND +j.next_at <= ?) OR (j.state = 'running' AND +j.lease_until <= ?))";
/**
 * Job `j` heads its issue's queue (param: now): no other job of the issue is running, and none
 * still to run comes before it in event order.
 */
export const HEAD_OF_ITS_ISSUE = `NOT EXISTS (
    SELECT 1 FROM jobs o
    WHERE o.connection = j.connection AND o.issue_key = j.issue_key AND o.id <> j.id
      AND ((o.state = 'running' AND o.lease_until > ?)
        OR (o.state IN ${ACTIVE} AND (o.event_at, o.received_at, o.id) < (j.event_at, j.received_at, j.id))))`;

/**
 * A page of due jobs in event order (params: now for `head`, now, now, the excluded
 * connections, the page's start when `after`, the page size), each saying whether it heads its
 * issue's queue (`head` 1) or waits behind another job of it (0). Only what picking and the
 * issue locks need: the full rows (the action's JSON) come back from the claim's UPDATE …
 * RETURNING for those it takes.
 *
 * Whether a job heads its queue is asked only of the page, not of every due job: the page is
 * cut first. Asked in the WHERE clause, a database that cannot walk the due jobs in event order
 * (an OR of two states) asks it of every waiting job before it sorts them, on every claim:
 * PostgreSQL took 12–23 ms per claim at 900–1,100 jobs waiting, and SQLite 27 ms.
 * `lock` (the dialect's `skipLocked`) ends the page's select, so rows another replica is
 * claiming are passed over and the page fills with the next ones. `turnOrderHint` (the
 * dialect's) follows `FROM jobs j`; `state IN` the active states lets SQLite use that partial
 * index, in turn order, stopping at the page.
 */
export const dueJobs = (
  excludedConnections: number,
  after: boolean,
  { lock = "", turnOrderHint = "" }: { lock?: string; turnOrderHint?: string } = {},
) => `SELECT
    j.id, j.connection, j.issue_key, j.turn, j.event_at, j.received_at,
    CASE WHEN ${HEAD_OF_ITS_ISSUE} THEN 1 ELSE 0 END AS head
  FROM (SELECT j.id, j.connection, j.issue_key, j.turn, j.event_at, j.received_at
    FROM jobs j ${turnOrderHint}
    WHERE j.state IN ${ACTIVE} AND ${JOB_IS_DUE}
    ${excludedConnections > 0 ? `AND j.connection NOT IN (${placeholders(excludedConnections)})` : ""}
    ${after ? "AND (j.turn, j.event_at, j.received_at, j.id) > (?, ?, ?, ?)" : ""}
    ORDER BY ${TURN_ORDER} LIMIT ?${lock}) AS j
  ORDER BY ${TURN_ORDER}`;
/** The order claims take due jobs in: their fair turn (see TAKE_TURNS), then event order. */
const TURN_ORDER = "j.turn, j.event_at, j.received_at, j.id";

/**
 * Where the fair queue stands: the lowest turn among the jobs due or running (param: now), or,
 * when none is, the last turn given out (every turn before it has been served). Jobs waiting
 * out a backoff do not hold it back.
 */
const QUEUE_TURN = `COALESCE(
    (SELECT MIN(turn) FROM jobs WHERE state IN ${ACTIVE} AND next_at <= ?),
    (SELECT MAX(next_turn) FROM installation_turns), 0)`;
/**
 * Gives an installation `count` turns (params: installation, now, count, count, count) and
 * returns the turn after its last: its jobs take the turns before it. An installation starts
 * where the queue stands now or where its own last turn left it, whichever is later, so one
 * that queued hundreds of jobs waits its turn behind another's next one (round robin), and an
 * installation that was idle gains no credit for it.
 */
export const TAKE_TURNS = `INSERT INTO installation_turns (installation_id, next_turn)
  VALUES (?, ${QUEUE_TURN} + ?)
  ON CONFLICT (installation_id) DO UPDATE SET next_turn = CASE
    WHEN excluded.next_turn > installation_turns.next_turn + ? THEN excluded.next_turn
    ELSE installation_turns.next_turn + ? END
  RETURNING next_turn`;
/**
 * Claims the picked candidates (params: lease_until, now, the ids, now, now, now) that are
 * still due and still head their issue. A statement of its own, after the issue locks: on
 * PostgreSQL its snapshot includes every claim that committed before this transaction took
 * them (SQLite's single writer has seen them all already).
 */
export const claimHeadJobs = (idIn: string) => `UPDATE jobs AS j
  SET state = 'running', attempts = j.attempts + 1, lease_until = ?, updated_at = ?
  WHERE ${idIn} AND ${JOB_IS_DUE} AND ${HEAD_OF_ITS_ISSUE}
  RETURNING *`;
export const JOB_BY_ID = "SELECT * FROM jobs WHERE id = ?";
/** The shared rate-limit holds of these connections (`connectionIn`: the dialect's `oneOf`). */
export const holdsOf = (connectionIn: string) =>
  `SELECT connection, until FROM tracker_holds WHERE ${connectionIn}`;
/** The last applied move of each PR and issue (`ofIssues`: the dialect's `eachOf`). */
export const appliedOf = (ofIssues: string) =>
  `SELECT repo, pr_number, connection, issue_key, event_at FROM ${ofIssues} AS a`;
/** What `appliedOf` looks up: the key of `applied`. */
export const APPLIED_KEY = [
  { name: "repo", type: "text" },
  { name: "pr_number", type: "integer" },
  { name: "connection", type: "text" },
  { name: "issue_key", type: "text" },
] as const;

/** Moves applied (5 parameters each; no PR and issue twice). */
export const upsertApplied = (count: number) => `INSERT INTO applied
  (repo, pr_number, connection, issue_key, event_at)
  VALUES ${valuesOf(count, "(?, ?, ?, ?, ?)")}
  ON CONFLICT (repo, pr_number, connection, issue_key)
  DO UPDATE SET event_at = excluded.event_at WHERE excluded.event_at > applied.event_at`;
export const OTHER_OPEN_PRS = `SELECT repo, pr_number FROM pr_issues
  WHERE connection = ? AND issue_key = ? AND pr_state = 'open' AND NOT (repo = ? AND pr_number = ?)
  ORDER BY repo, pr_number`;

// Tracker → GitHub: which open PRs an issue change concerns, and what each of them moves.
export const OPEN_PRS_OF_ISSUE = `SELECT repo, pr_number FROM pr_issues
  WHERE connection = ? AND issue_key = ? AND pr_state = 'open' ORDER BY repo, pr_number`;
export const ISSUES_OF_PR = `SELECT connection, issue_key FROM pr_issues
  WHERE repo = ? AND pr_number = ? ORDER BY connection, issue_key`;
export const OPEN_ISSUE_KEYS = `SELECT DISTINCT issue_key FROM pr_issues
  WHERE connection = ? AND pr_state = 'open' ORDER BY issue_key`;
/** The loop guard: the latest move of the issue the App itself finished since a moment. */
export const LAST_APP_MOVE = `SELECT action FROM jobs
  WHERE connection = ? AND issue_key = ? AND kind = 'move' AND state = 'done' AND updated_at >= ?
  ORDER BY updated_at DESC, id DESC LIMIT 1`;

const CLAIMED = "id = ? AND state = 'running' AND attempts = ?";
/**
 * Returns what recording an applied move needs (no second read), and whether another job of
 * the issue waits to run (`followed`): the worker looks for jobs after this one only then, or
 * when its slots were full.
 */
export const FINISH_JOB = `UPDATE jobs SET state = ?, summary = ?, last_error = ?, result = ?,
  lease_until = NULL, updated_at = ? WHERE ${CLAIMED}
  RETURNING kind, repo, pr_number, connection, issue_key, event_at,
    CASE WHEN EXISTS (SELECT 1 FROM jobs o WHERE o.connection = jobs.connection
      AND o.issue_key = jobs.issue_key AND o.state = 'pending' AND o.id <> jobs.id)
    THEN 1 ELSE 0 END AS followed`;
export const RESCHEDULE_JOB = `UPDATE jobs SET state = 'pending', next_at = ?, last_error = ?,
  lease_until = NULL, updated_at = ? WHERE ${CLAIMED}`;
/** A job that waited out another replica's hold made no attempt: its claim's count is given back. */
export const HOLD_JOB = `UPDATE jobs SET state = 'pending', next_at = ?, last_error = ?,
  attempts = attempts - 1, lease_until = NULL, updated_at = ? WHERE ${CLAIMED}`;
/** An interrupted attempt is not a failed one: it is given back. */
export const RELEASE_JOB = `UPDATE jobs SET state = 'pending', next_at = ?, attempts = attempts - 1,
  lease_until = NULL, updated_at = ? WHERE ${CLAIMED}`;

/** `idIn`: the dialect's `oneOf("id", …)`. */
export const renewJobLeases = (idIn: string) =>
  `UPDATE jobs SET lease_until = ? WHERE state = 'running' AND ${idIn}`;
export const renewDeliveryLeases = (idIn: string) =>
  `UPDATE deliveries SET next_at = ? WHERE state = 'received' AND ${idIn}`;
export const renewReportLeases = (idIn: string) =>
  `UPDATE reports SET next_at = ? WHERE reported = 0 AND ${idIn}`;

/** `hint` (the dialect's `byNameHint`) goes before the due terms when reports are named. */
const reportIsDue = (hint: string) => `${hint}r.reported = 0 AND ${hint}r.next_at <= ?
    AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.report_id = r.id AND j.state IN ${ACTIVE})`;
/** Reports among some (`among`: reportsAmong's), or any. */
export const anyDueReport = (among = "", hint = "") =>
  `SELECT 1 AS due FROM reports r WHERE ${reportIsDue(among && hint)} ${among} LIMIT 1`;
/** Reports in any of these lists (each the dialect's `oneOf` of reports' ids or deliveries). */
export const reportsAmong = (lists: readonly string[]) => `AND (${lists.join(" OR ") || "FALSE"})`;
/**
 * Claims due reports (params: now, those of `among` when given, the limit, then lease_until)
 * in one statement, as deliveries are (planning-queue.ts): a MATERIALIZED pick that `lock`
 * ends (PostgreSQL's FOR UPDATE SKIP LOCKED), then the update, RETURNING what reporting needs.
 */
export const claimDueReports = (among: string, lock: string, hint = "") =>
  `WITH picked AS MATERIALIZED (SELECT r.id FROM reports r
    WHERE ${reportIsDue(among && hint)} ${among} ORDER BY r.id LIMIT ?${lock})
  UPDATE reports SET next_at = ?, attempts = attempts + 1 WHERE id IN (SELECT id FROM picked)
  RETURNING id, version, attempts, submission`;
/** The jobs of these reports (`ofReports`: the dialect's `eachOf`), by report. */
export const jobsOfReports = (ofReports: string) =>
  `SELECT * FROM ${ofReports} AS j ORDER BY report_id, id`;
/** What `jobsOfReports` looks up. */
export const JOB_REPORT = [{ name: "report_id", type: "bigint" }] as const;
export const JOBS_OF_REPORT = "SELECT * FROM jobs WHERE report_id = ? ORDER BY id";
/** The jobs of every report about one commit (params: repo, head sha), by report. */
export const JOBS_OF_COMMIT = `SELECT * FROM jobs
  WHERE report_id IN (SELECT id FROM reports WHERE repo = ? AND head_sha = ?)
  ORDER BY report_id, id`;
export const REPORT_BY_ID = "SELECT submission FROM reports WHERE id = ?";
export const MARK_REPORTED =
  "UPDATE reports SET reported = 1, error = ? WHERE id = ? AND version = ?";
export const DELAY_REPORT = `UPDATE reports SET next_at = ?, error = ?
  WHERE id = ? AND version = ? AND reported = 0`;

export const NEXT_DUE = `SELECT MIN(t) AS due FROM (
    SELECT next_at AS t FROM deliveries WHERE state = 'received' AND next_at > ?
    UNION ALL SELECT next_at FROM jobs WHERE state = 'pending' AND next_at > ?
    UNION ALL SELECT lease_until FROM jobs WHERE state = 'running' AND lease_until > ?
    UNION ALL SELECT next_at FROM reports WHERE reported = 0 AND next_at > ?
    UNION ALL SELECT next_at FROM messages WHERE state IN ${ACTIVE} AND next_at > ?
  ) AS due_times`;
/** Work not done yet, by kind: deliveries to plan, jobs to run, reports and messages to write. */
export const COUNT_OUTSTANDING = `SELECT
  (SELECT COUNT(*) FROM deliveries WHERE state = 'received') AS deliveries,
  (SELECT COUNT(*) FROM jobs WHERE state IN ${ACTIVE}) AS jobs,
  (SELECT COUNT(*) FROM reports WHERE reported = 0) AS reports,
  (SELECT COUNT(*) FROM messages WHERE state IN ${ACTIVE}) AS messages`;
export interface Outstanding {
  deliveries: number;
  jobs: number;
  reports: number;
  messages: number;
}
export const outstandingTotal = (o: Outstanding | undefined) =>
  o ? o.deliveries + o.jobs + o.reports + o.messages : 0;

const DELIVERY_COLUMNS = "SELECT id, event, received_at, state, attempts, error FROM deliveries";
export const RECENT_DELIVERIES = `${DELIVERY_COLUMNS} ORDER BY received_at DESC, id DESC LIMIT ?`;
export const RECENT_DELIVERIES_IN_STATE = `${DELIVERY_COLUMNS} WHERE state = ?
  ORDER BY received_at DESC, id DESC LIMIT ?`;
/** The newest delivery whose id starts with a prefix and whose work is not done; both halves use a state index. */
export const UNFINISHED_WITH_PREFIX = `SELECT id FROM (
    SELECT id, received_at FROM deliveries WHERE state = 'received' AND substr(id, 1, ?) = ?
    UNION ALL
    SELECT d.id, d.received_at FROM deliveries d JOIN jobs j ON j.delivery_id = d.id
      WHERE j.state IN ${ACTIVE} AND substr(j.delivery_id, 1, ?) = ?
  ) AS unfinished ORDER BY received_at DESC, id DESC LIMIT 1`;
export const jobCountsOf = (count: number) => `SELECT delivery_id, state, COUNT(*) AS n FROM jobs
  WHERE delivery_id IN (${placeholders(count)}) GROUP BY delivery_id, state`;
export const jobsInStates = (count: number) =>
  `SELECT * FROM jobs WHERE state IN (${placeholders(count)}) ORDER BY id LIMIT ?`;

const REOPEN_REPORT = `UPDATE reports SET reported = 0, version = version + 1, attempts = 0, next_at = ?, error = NULL`;
export const REOPEN_REPORT_OF_JOB = `${REOPEN_REPORT}
  WHERE id = (SELECT report_id FROM jobs WHERE id = ? AND state IN ('dead', 'failed'))`;
export const REOPEN_REPORTS_OF_DEAD = `${REOPEN_REPORT}
  WHERE id IN (SELECT report_id FROM jobs WHERE state = 'dead')`;
/** After a discard (the console's), so the PR's check run says the work was given up on. */
export const REOPEN_REPORT_OF_DISCARDED = `${REOPEN_REPORT}
  WHERE id = (SELECT report_id FROM jobs WHERE id = ? AND state = 'discarded')`;
const RETRY = `UPDATE jobs SET state = 'pending', attempts = 0, next_at = ?, retry_from = ?,
  lease_until = NULL, updated_at = ?`;
export const RETRY_JOB = `${RETRY} WHERE id = ? AND state IN ('dead', 'failed')`;
export const RETRY_DEAD_JOBS = `${RETRY} WHERE state = 'dead'`;
export const RETRY_DELIVERY = `UPDATE deliveries SET state = 'received', attempts = 0, next_at = ?,
  retry_from = ?, error = NULL WHERE id = ? AND state = 'failed'`;

/** Failed deliveries keep their payload: an operator may plan them again. */
export const PRUNE_PAYLOADS = `UPDATE deliveries SET payload = NULL
  WHERE payload IS NOT NULL AND state = 'planned' AND received_at < ?
    AND NOT EXISTS (SELECT 1 FROM jobs WHERE jobs.delivery_id = deliveries.id AND jobs.state IN ${ACTIVE})`;

export function placeholders(count: number): string {
  return Array.from({ length: count }, () => "?").join(", ");
}

/** `?` → `$1, $2, …` for node-postgres. The queries above hold no `?` inside literals. */
export function numberedParams(sql: string): string {
  let index = 0;
  return sql.replace(/\?/g, () => `$${++index}`);
}
