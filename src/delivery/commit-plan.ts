/**
 * The body of `commitPlan`, run inside one transaction: everything a delivery's plans change
 * is written together or not at all. SQLite's single writer keeps two commits apart; on
 * PostgreSQL two locks stand in for it: the delivery's row (a second replica committing the
 * same delivery waits, then finds it planned) and one advisory lock per PR (plans of one PR
 * see each other's moves).
 */

import { planRank } from "../core/lifecycle-rank.js";
import type { PlannedAction } from "../core/types.js";
import { type Dialect, type Querier, together, writeRows } from "./db.js";
import * as q from "./queries.js";
import { toEventTime } from "./rows.js";
import type { PlanSubmission } from "./types.js";

export async function commitPlanIn(
  tx: Querier,
  dialect: Dialect,
  deliveryId: string,
  submissions: readonly PlanSubmission[],
  now: number,
): Promise<boolean> {
  type Delivery = { state: string; received_at: string };
  const delivery = await tx.row<Delivery>(q.DELIVERY_STATE + dialect.forUpdate, [deliveryId]);
  if (delivery?.state !== "received") return false;
  const prs = submissions.flatMap(({ repo, prNumber }) =>
    prNumber === null ? [] : [{ repo, prNumber }],
  );
  // Writes whose answers nothing needs are not waited for one by one: they go out with the
  // next statement that is (on PostgreSQL, one round trip for all; see `together`).
  let writes: Promise<unknown>[] = [dialect.lockPrs(tx, prs)];

  for (const submission of submissions) {
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
    // An invalid repo config is reported, never executed.
    const actions = submission.configError === undefined ? submission.plan.actions : [];
    const job = { submission, eventAt, receivedAt: delivery.received_at, now };
    // Each move's newer check is independent of this submission's own jobs (they share its
    // event time, and none of them is newer than another), so all are asked at once.
    const newer = actions.map((action) => newerPendingMove(tx, job, action));
    const linked = actions.map((action) => linkedBefore(tx, job, action));
    const turns = takeTurns(tx, submission.report.installationId, actions.length, now);
    const [, row, after, ...found] = await together([
      together(writes),
      inserted,
      turns,
      ...newer,
      ...linked,
    ]);
    const reportId = (row as { id: number } | undefined)?.id ?? 0;
    const first = (after as number) - actions.length;
    const jobs = actions.map((action, i) =>
      jobRow(
        { ...job, action, reportId, turn: first + i },
        found[i] as Newer,
        found[actions.length + i] as Newer,
      ),
    );
    writes = [
      ...jobs.flatMap(({ supersede }) =>
        supersede ? [tx.run(q.SUPERSEDE_OLDER_MOVES, supersede)] : [],
      ),
      ...writeRows(
        tx,
        jobs.map(({ row }) => row),
        q.insertJobs,
        q.ROWS_PER_STATEMENT,
      ),
    ];
  }
  // Other replicas hear of the new jobs when this commits (PostgreSQL; nothing on SQLite).
  if (writes.length > 0) writes.push(dialect.notifyWork(tx, "jobs"));
  await together([...writes, tx.run(q.MARK_PLANNED, [deliveryId])]);
  return true;
}

/**
 * The installation's next `count` turns in the fair queue; resolves to the turn after them.
 * Each job takes a turn of its own, so a release's 250 moves alternate with other
 * installations' jobs instead of standing before them.
 */
async function takeTurns(
  tx: Querier,
  installationId: number,
  count: number,
  now: number,
): Promise<number> {
  if (count === 0) return 0;
  const row = await tx.row<{ next_turn: number }>(q.TAKE_TURNS, [
    installationId,
    now,
    count,
    count,
    count,
  ]);
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
      q.ROWS_PER_STATEMENT,
    ),
  ];
}

interface JobInput {
  submission: PlanSubmission;
  eventAt: string;
  receivedAt: string;
  now: number;
}

/** A newer pending move of the same PR and issue (this event arrived late), if any. */
type Newer = { delivery_id: string } | undefined;

function samePrAndIssue({ submission }: JobInput, action: PlannedAction) {
  return [submission.connection, action.key, submission.repo, submission.prNumber];
}

async function newerPendingMove(
  tx: Querier,
  input: JobInput,
  action: PlannedAction,
): Promise<Newer> {
  if (action.kind !== "move" || input.submission.prNumber === null) return undefined;
  const params = [...samePrAndIssue(input, action), input.eventAt, input.receivedAt];
  return tx.row<{ delivery_id: string }>(q.NEWER_PENDING_MOVE, params);
}

/**
 * The same link (the PR, its URL and title), done before, if any. Every event of a PR plans
 * its links again, and each would read the issue's comments (or remote links) only to find the
 * PR linked: 1.2 tracker reads per event in the sustained mix. A PR renamed is linked again.
 */
async function linkedBefore(tx: Querier, input: JobInput, action: PlannedAction): Promise<Newer> {
  if (action.kind !== "link") return undefined;
  const params = [input.submission.connection, action.key, JSON.stringify(action)];
  return tx.row<{ delivery_id: string }>(q.DONE_LINK, params);
}

/**
 * The job's row for `insertJobs`, and the parameters of superseding the older moves of its PR
 * and issue when it is a move that stands.
 */
function jobRow(
  input: JobInput & { action: PlannedAction; reportId: number; turn: number },
  newer: Newer,
  linked: Newer,
): { row: unknown[]; supersede: unknown[] | null } {
  const { submission, action, eventAt, receivedAt, now } = input;
  let supersede: unknown[] | null = null;
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
    supersede = [
      `superseded by a newer event (delivery ${submission.deliveryId})`,
      now,
      ...samePrAndIssue(input, action),
      eventAt,
      receivedAt,
      submission.deliveryId,
    ];
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
  return { row, supersede };
}
