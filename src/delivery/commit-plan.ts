/**
 * The body of `commitPlan`, run inside one transaction: everything a delivery's plans change
 * is written together or not at all. SQLite's single writer keeps two commits apart; on
 * PostgreSQL two locks stand in for it: the delivery's row (a second replica committing the
 * same delivery waits, then finds it planned) and one advisory lock per PR (plans of one PR
 * see each other's moves).
 */

import { planRank } from "../core/lifecycle-rank.js";
import type { PlannedAction } from "../core/types.js";
import { type Db, type Dialect, type Querier, together, writeRows } from "./db.js";
import * as q from "./queries.js";
import { toEventTime } from "./rows.js";
import type { PlanSubmission, PlanToCommit } from "./types.js";

export async function commitPlanIn(
  tx: Querier,
  dialect: Dialect,
  plan: PlanToCommit,
  turnsTaken?: readonly number[],
): Promise<boolean> {
  const { deliveryId, submissions, now } = plan;
  type Delivery = { state: string; received_at: string };
  const delivery = await tx.row<Delivery>(q.DELIVERY_STATE + dialect.forUpdate, [deliveryId]);
  if (delivery?.state !== "received") return false;
  const prs = submissions.flatMap(({ repo, prNumber }) =>
    prNumber === null ? [] : [{ repo, prNumber }],
  );
  // Writes whose answers nothing needs are not waited for one by one: they go out with the
  // next statement that is (on PostgreSQL, one round trip for all; see `together`).
  let writes: Promise<unknown>[] = [dialect.lockPrs(tx, prs)];

  for (const [index, submission] of submissions.entries()) {
    if (submission.recordOnly) {
      const eventAt = toEventTime(submission.eventAt, delivery.received_at, 0);
      if (submission.prNumber !== null) writes.push(...recordPrIssues(tx, submission, eventAt));
      continue;
    }
    const report = [
      deliveryId,
      JSON.stringify(submission),
      now,
      submission.report.repo,
      submission.report.headSha,
    ];
    const inserted = tx.row<{ id: number }>(q.INSERT_REPORT, report);
    const eventAt = toEventTime(
      submission.eventAt,
      delivery.received_at,
      submission.eventRank ?? planRank(submission.plan.actions),
    );
    if (submission.prNumber !== null) writes.push(...recordPrIssues(tx, submission, eventAt));
    const actions = actionsOf(submission);
    const turns = turnsTaken?.[index];
    const { installationId } = submission.report;
    const job = { submission, eventAt, receivedAt: delivery.received_at, now };
    // The moves' newer check is independent of this submission's own jobs (they share its event
    // time, none is newer than another): one statement for all its moves, one for its links.
    const [, row, after, newer, linked] = await together([
      together(writes),
      inserted,
      turns === undefined
        ? takeTurns(tx, installationId, actions.length, now)
        : Promise.resolve(turns),
      newerMoves(tx, job, actions),
      doneLinks(tx, job, actions),
    ]);
    const reportId = (row as { id: number } | undefined)?.id ?? 0;
    const first = after - actions.length;
    const jobs = actions.map((action, i) =>
      jobRow(
        { ...job, action, reportId, turn: first + i },
        action.kind === "move" ? newer.get(action.key) : undefined,
        action.kind === "link" ? linked.get(JSON.stringify(action)) : undefined,
      ),
    );
    const standing = jobs.flatMap(({ supersedes }, i) => (supersedes ? [actions[i]!.key] : []));
    writes = [
      ...supersedeOlderMoves(tx, job, standing),
      ...writeRows(
        tx,
        jobs.map(({ row }) => row),
        q.insertJobs,
      ),
    ];
  }
  // Other replicas hear of the new jobs when this commits (PostgreSQL; nothing on SQLite).
  if (writes.length > 0) writes.push(dialect.notifyWork(tx, "jobs", plan.wakesItself));
  await together([...writes, tx.run(q.MARK_PLANNED, [deliveryId])]);
  return true;
}

/** The jobs a submission adds: an invalid repo config is reported, never executed. */
function actionsOf(submission: PlanSubmission): readonly PlannedAction[] {
  if (submission.recordOnly || submission.configError !== undefined) return [];
  return submission.plan.actions;
}

/**
 * Each submission's turns, taken before the plan's transaction where the dialect keeps them
 * apart (db.ts): taken inside on the pool, plans as many as its connections would each hold one
 * while waiting for another, for ever. Undefined: the transaction takes them.
 */
export async function turnsBefore(
  db: Db,
  submissions: readonly PlanSubmission[],
  now: number,
): Promise<number[] | undefined> {
  if (!db.dialect.turnsApart) return undefined;
  const turns: number[] = [];
  for (const submission of submissions) {
    const { installationId } = submission.report;
    turns.push(await takeTurns(db, installationId, actionsOf(submission).length, now));
  }
  return turns;
}

/**
 * The installation's next `count` turns in the fair queue; resolves to the turn after them.
 * Each job takes a turn of its own, so a release's 250 moves alternate with other
 * installations' jobs instead of standing before them.
 */
async function takeTurns(
  on: Querier,
  installationId: number,
  count: number,
  now: number,
): Promise<number> {
  if (count === 0) return 0;
  const params = [installationId, now, count, count, count];
  const row = await on.row<{ next_turn: number }>(q.TAKE_TURNS, params);
  return Number(row?.next_turn ?? count);
}

/** Which issues this PR moves, and whether it is still open: what `waitForAllPrs` asks. */
function recordPrIssues(
  tx: Querier,
  submission: PlanSubmission,
  eventAt: string,
): Promise<number>[] {
  const { repo, prNumber, prState, connection, prKeys } = submission;
  // Keys the PR no longer names stop counting as its references, unless a newer event named them.
  // To the second, as GitHub stamps events: the milliseconds carry only the lifecycle rank, and
  // an edit (rank 0) in the same second as the opening (rank 1) still comes after it.
  const sameSecond = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(eventAt)
    ? `${eventAt.slice(0, 19)}.999Z`
    : eventAt;
  const keys =
    prKeys ?? submission.plan.keys.filter((found) => found.role === "moving").map((f) => f.key);
  return [
    tx.run(q.SET_PR_STATE, [prState, eventAt, repo, prNumber, eventAt]),
    ...(prKeys ? [tx.run(q.FORGET_PR_ISSUES, [repo, prNumber, connection, sameSecond])] : []),
    ...writeRows(
      tx,
      [...new Set(keys)].map((key) => [repo, prNumber, connection, key, prState, eventAt]),
      q.upsertPrIssues,
    ),
  ];
}

interface JobInput {
  submission: PlanSubmission;
  eventAt: string;
  receivedAt: string;
  now: number;
}

/** The delivery of an earlier job that makes this one needless (a newer move, a link done). */
type Newer = { delivery_id: string } | undefined;

/** The same PR's moves (params: connection, repo, PR number, then what each query adds). */
const SAME_PR = "kind = 'move' AND connection = ? AND repo = ? AND pr_number = ?";
const keysIn = (count: number) => `issue_key IN (${q.placeholders(count)})`;

/**
 * Newer pending moves of the same PR, by key (this event arrived late for those keys). One
 * statement for the submission's moves: they share its PR and event time.
 */
async function newerMoves(
  tx: Querier,
  { submission, eventAt, receivedAt }: JobInput,
  actions: readonly PlannedAction[],
): Promise<Map<string, Newer>> {
  const keys = [...new Set(actions.filter((a) => a.kind === "move").map((a) => a.key))];
  if (keys.length === 0 || submission.prNumber === null) return new Map();
  const { connection, repo, prNumber } = submission;
  const rows = await tx.rows<{ issue_key: string; delivery_id: string }>(
    `SELECT issue_key, MIN(delivery_id) AS delivery_id FROM jobs
      WHERE state = 'pending' AND ${SAME_PR} AND ${keysIn(keys.length)}
      AND (event_at, received_at) > (?, ?) GROUP BY issue_key`,
    [connection, repo, prNumber, ...keys, eventAt, receivedAt],
  );
  return new Map(rows.map((r) => [r.issue_key, { delivery_id: r.delivery_id }]));
}

/**
 * The same links (the PR, its URL and title) done before, by the action's JSON. Every event of
 * a PR plans its links again, and each would read the issue's comments (or remote links) only
 * to find the PR linked: 1.2 tracker reads per event in the sustained mix. A PR renamed is
 * linked again.
 */
async function doneLinks(
  tx: Querier,
  { submission }: JobInput,
  actions: readonly PlannedAction[],
): Promise<Map<string, Newer>> {
  const links = new Map(
    actions.filter((a) => a.kind === "link").map((a) => [JSON.stringify(a), a.key]),
  );
  if (links.size === 0) return new Map();
  // One lookup per link, by its issue key and connection (both equalities): with `issue_key IN
  // (...)` PostgreSQL without statistics (a young store) read every done job of the
  // connection instead, 5-8 ms a plan at 150 events/s.
  const rows = await tx.rows<{ action: string; delivery_id: string | null }>(
    `SELECT k.column2 AS action, (SELECT MIN(delivery_id) FROM jobs
        WHERE issue_key = k.column1 AND connection = ? AND state = 'done' AND kind = 'link'
        AND action = k.column2) AS delivery_id
      FROM (VALUES ${[...links].map(() => "(?, ?)").join(", ")}) AS k`,
    [submission.connection, ...[...links].flatMap(([json, key]) => [key, json])],
  );
  return new Map(
    rows.flatMap((r) =>
      r.delivery_id === null ? [] : [[r.action, { delivery_id: r.delivery_id }]],
    ),
  );
}

/** Supersedes the older pending moves of the PR's `keys`, other deliveries' (not waited for). */
function supersedeOlderMoves(
  tx: Querier,
  { submission, eventAt, receivedAt, now }: JobInput,
  keys: readonly string[],
): Promise<number>[] {
  if (keys.length === 0) return [];
  const { connection, repo, prNumber, deliveryId } = submission;
  return [
    tx.run(
      `UPDATE jobs SET state = 'superseded', summary = ?, updated_at = ?
        WHERE state = 'pending' AND ${SAME_PR} AND ${keysIn(keys.length)}
        AND (event_at, received_at) <= (?, ?) AND delivery_id <> ?`,
      [
        `superseded by a newer event (delivery ${deliveryId})`,
        now,
        connection,
        repo,
        prNumber,
        ...keys,
        eventAt,
        receivedAt,
        deliveryId,
      ],
    ),
  ];
}

/** The job's row for `insertJobs`, and whether it is a move that stands (it supersedes older ones). */
function jobRow(
  input: JobInput & { action: PlannedAction; reportId: number; turn: number },
  newer: Newer,
  linked: Newer,
): { row: unknown[]; supersedes: boolean } {
  const { submission, action, eventAt, receivedAt, now } = input;
  let supersedes = false;
  let state = "pending";
  let summary: string | null = null;
  if (linked) {
    state = "done";
    summary = `already linked (delivery ${linked.delivery_id})`;
  } else if (newer) {
    // This event arrived late: the newer one already waiting decides the status.
    state = "superseded";
    summary = `superseded by a newer event (delivery ${newer.delivery_id})`;
  } else if (action.kind === "move" && submission.prNumber !== null) {
    supersedes = true;
  }
  const row = [
    submission.deliveryId,
    input.reportId,
    submission.connection,
    submission.repo,
    submission.prNumber,
    action.key,
    action.kind,
    JSON.stringify(action),
    eventAt,
    receivedAt,
    submission.waitForAllPrs ? 1 : 0,
    state,
    summary,
    now,
    now,
    now,
    now,
    submission.notify?.length ? JSON.stringify(submission.notify) : null,
    submission.report.installationId,
    input.turn,
  ];
  return { row, supersedes };
}
