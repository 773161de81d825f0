/**
 * The store's claims: select the due rows (on PostgreSQL locking them with `FOR UPDATE SKIP
 * LOCKED`, so replicas pass over what another is claiming instead of waiting for it), and mark
 * them claimed with a statement that re-checks what a row lock cannot protect; one statement
 * for deliveries and for reports (a report's `version` fences off an operator's retry in
 * between), one transaction for jobs. Under SQLite's single writer the locks are no-ops and
 * the re-checks hold.
 *
 * On SQLite each claim first asks, with a plain read, whether it would find anything: most
 * rounds under load find nothing, and a write transaction for nothing still takes the
 * database's write lock (away from the thread acknowledging webhooks). PostgreSQL's claims go
 * straight to their transaction (`Dialect.probeBeforeClaim`).
 */
import { type Db, type Dialect, type IssueCandidate, type Querier, together } from "./db.js";
import { ANY_DUE_DELIVERY, claimDueDeliveries } from "./planning-queue.js";
import * as q from "./queries.js";
import { type JobRow, jobsByReport, rowToJob } from "./rows.js";
import { errorMessage } from "./runtime.js";
import type { ClaimedDelivery, ClaimedJob, ClaimedReport, Store } from "./store.js";
import type { PlanSubmission } from "./types.js";

type Input<M extends Exclude<keyof Store, "memo" | "ledger">> = Parameters<Store[M]>[0];

export async function claimDeliveries(
  db: Db,
  { now, leaseMs, limit }: Input<"claimDeliveries">,
): Promise<ClaimedDelivery[]> {
  type Row = { id: string; event: string; payload: string | null; received_at: string };
  type Claim = { attempts: number; retry_from: number; turn: number };
  if (!(await anyDue(db, ANY_DUE_DELIVERY, [now]))) return [];
  const claim = claimDueDeliveries(db.dialect.skipLocked);
  const rows = await db.rows<Row & Claim>(claim, [now, limit, now + leaseMs]);
  rows.sort(
    (a, b) =>
      Number(a.turn) - Number(b.turn) ||
      compare(a.received_at, b.received_at) ||
      compare(a.id, b.id),
  );
  return rows.map((row) => ({
    id: row.id,
    event: row.event,
    ...readPayload(row.payload),
    receivedAt: row.received_at,
    attempts: row.attempts,
    retryFrom: row.retry_from,
  }));
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Ingest stores a webhook's JSON unparsed: this is where a malformed one is found. */
function readPayload(json: string | null): Pick<ClaimedDelivery, "payload" | "unreadable"> {
  if (json === null) return { payload: null };
  try {
    return { payload: JSON.parse(json) };
  } catch (error) {
    return { payload: null, unreadable: `the payload is not valid JSON: ${errorMessage(error)}` };
  }
}

/**
 * Picks, in turn order (installations take turns: TAKE_TURNS in queries.ts), the candidates
 * that fit each connection's free slots, then claims those whose issue it can lock and that
 * still head their issue (jobs of one issue run in event order).
 */
export async function claimJobs(
  db: Db,
  { now, leaseMs, limit, perConnection, limits, running }: Input<"claimJobs">,
): Promise<ClaimedJob[]> {
  const slots = {
    limit,
    running,
    slotsOf: (connection: string) => limits?.get(connection) ?? perConnection,
  };
  // The probe's pick is the claim's: the claim re-checks each row under the write lock (still
  // due, still heading its issue), so a pick another process overtook only claims less.
  const probed = db.dialect.probeBeforeClaim
    ? await pickDueJobs(db, now, slots, { turnOrderHint: db.dialect.turnOrderHint })
    : undefined;
  if (probed?.length === 0) return [];
  return db.tx(async (tx) => {
    const picked =
      probed ??
      (await pickDueJobs(tx, now, slots, {
        lock: db.dialect.skipLocked,
        turnOrderHint: db.dialect.turnOrderHint,
      }));
    if (picked.length === 0) return [];

    const locked = await db.dialect.lockIssues(tx, picked);
    if (locked.length === 0) return [];
    const { oneOf, listParams } = db.dialect;
    const claim = [now + leaseMs, now, ...listParams(locked), now, now, now];
    const rows = await tx.rows<JobRow>(q.claimHeadJobs(oneOf("j.id", locked.length)), claim);
    const order = new Map(picked.map((row, index) => [row.id, index]));
    rows.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
    return withWhatRunningAsks(tx, db.dialect, rows);
  });
}

/**
 * What running a job would ask the store first, read for the whole claim (two statements, sent
 * together) instead of per job: its connection's shared rate-limit hold, and for a move of a
 * PR's issue the last move applied to them. Jobs of one issue run one at a time, so what is
 * read here stands until the job runs.
 */
async function withWhatRunningAsks(
  tx: Querier,
  { oneOf, listParams, eachOf, eachParams }: Dialect,
  rows: JobRow[],
): Promise<ClaimedJob[]> {
  if (rows.length === 0) return [];
  type Hold = { connection: string; until: number };
  type Applied = Pick<JobRow, "repo" | "pr_number" | "connection" | "issue_key" | "event_at">;
  const connections = [...new Set(rows.map((row) => row.connection))];
  const moves = rows.filter((row) => row.kind === "move" && row.pr_number !== null);
  const issueOf = (row: Applied) =>
    JSON.stringify([row.repo, row.pr_number, row.connection, row.issue_key]);
  const [holds, applied] = await together([
    tx.rows<Hold>(q.holdsOf(oneOf("connection", connections.length)), listParams(connections)),
    moves.length === 0
      ? Promise.resolve([] as Applied[])
      : tx.rows<Applied>(
          q.appliedOf(eachOf("applied", q.APPLIED_KEY, moves.length)),
          eachParams(moves.map((row) => [row.repo, row.pr_number, row.connection, row.issue_key])),
        ),
  ]);
  const holdOf = new Map(holds.map((hold) => [hold.connection, hold.until]));
  const appliedAt = new Map(applied.map((row) => [issueOf(row), row.event_at]));
  return rows.map((row) => ({
    ...rowToJob(row),
    claimed: {
      heldUntil: holdOf.get(row.connection) ?? null,
      appliedAt: appliedAt.get(issueOf(row)) ?? null,
    },
  }));
}

/** Due heads read a page at a time: a claim reads about as many as it has slots for. */
const PAGE = 32;

/**
 * The due heads of their issues, in turn order, that fit the connections' free slots. Read
 * a page at a time, leaving out the connections already full, and only as far as needed: a
 * search of every waiting job would grow with the backlog, on every claim.
 */
async function pickDueJobs(
  reader: Querier,
  now: number,
  {
    limit,
    running,
    slotsOf,
  }: Pick<Input<"claimJobs">, "limit" | "running"> & { slotsOf: (connection: string) => number },
  hints: Parameters<typeof q.dueJobs>[2] = {},
): Promise<IssueCandidate[]> {
  type Row = IssueCandidate & {
    turn: number;
    event_at: string;
    received_at: string;
    head: number;
  };
  const taken = new Map(running);
  const picked: IssueCandidate[] = [];
  let after: unknown[] = [];
  for (;;) {
    const full = [...taken].filter(([name, count]) => count >= slotsOf(name)).map(([name]) => name);
    const sql = q.dueJobs(full.length, after.length > 0, hints);
    const rows = await reader.rows<Row>(sql, [now, now, now, ...full, ...after, PAGE]);
    for (const row of rows) {
      // Waits behind another job of its issue; the page still counts it.
      if (Number(row.head) !== 1) continue;
      const busy = taken.get(row.connection) ?? 0;
      if (busy >= slotsOf(row.connection)) continue;
      taken.set(row.connection, busy + 1);
      picked.push({ id: row.id, connection: row.connection, issue_key: row.issue_key });
      if (picked.length >= limit) return picked;
    }
    const last = rows.at(-1);
    if (rows.length < PAGE || !last) return picked;
    after = [last.turn, last.event_at, last.received_at, last.id];
  }
}

/**
 * Claims due reports in one statement, then reads their jobs in one more (no transaction: a
 * report is due only once its jobs have all settled, and an operator's retry in between
 * raises its version, which fences off the report written from this read).
 */
export async function claimReports(
  db: Db,
  { now, leaseMs, limit, of }: Input<"claimReports">,
): Promise<ClaimedReport[]> {
  type Row = { id: number; version: number; attempts: number; submission: string };
  const { oneOf, listParams, eachOf, eachParams, byNameHint, skipLocked } = db.dialect;
  const lists = of
    ? (
        [
          ["r.id", of.reports],
          ["r.delivery_id", of.deliveries],
        ] as const
      ).filter(([, values]) => values.length > 0)
    : [];
  const among = of
    ? q.reportsAmong(lists.map(([column, values]) => oneOf(column, values.length)))
    : "";
  const ids = lists.flatMap(([, values]) => listParams(values));
  if (!(await anyDue(db, q.anyDueReport(among, byNameHint), [now, ...ids]))) return [];
  const claim = q.claimDueReports(among, skipLocked, byNameHint);
  const rows = await db.rows<Row>(claim, [now, ...ids, limit, now + leaseMs]);
  if (rows.length === 0) return [];
  rows.sort((a, b) => a.id - b.id);
  const reportIds = rows.map((row) => row.id);
  const jobs = await db.rows<JobRow>(
    q.jobsOfReports(eachOf("jobs", q.JOB_REPORT, reportIds.length)),
    eachParams(reportIds.map((id) => [id])),
  );
  const jobsOf = jobsByReport(jobs);
  return rows.map(({ id, version, attempts, submission }) => ({
    id,
    version,
    attempts,
    submission: JSON.parse(submission) as PlanSubmission,
    jobs: jobsOf.get(id) ?? [],
  }));
}

async function anyDue(db: Db, probe: string, params: readonly unknown[]): Promise<boolean> {
  if (!db.dialect.probeBeforeClaim) return true;
  return (await db.row(probe, params)) !== undefined;
}
