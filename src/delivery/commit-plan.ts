/**
 * The body of `commitPlan`, run inside one transaction: everything a delivery's plans change
 * is written together or not at all. SQLite's single writer keeps two commits apart; on
 * PostgreSQL two locks stand in for it: the delivery's row (a second replica committing the
 * same delivery waits, then finds it planned) and one advisory lock per PR (plans of one PR
 * see each other's moves).
 */

import { planRank } from "../core/lifecycle-rank.js";
import type { PlannedAction } from "../core/types.js";
import type { Dialect, Querier } from "./db.js";
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
  await dialect.lockPrs(tx, prs);

  for (const submission of submissions) {
    if (submission.recordOnly) {
      const eventAt = toEventTime(submission.eventAt, delivery.received_at, 0);
      if (submission.prNumber !== null) await recordPrIssues(tx, submission, eventAt);
      continue;
    }
    const report = [
      deliveryId,
      JSON.stringify(submission),
      now,
      submission.report.repo,
      submission.report.headSha,
    ];
    const reportId = (await tx.row<{ id: number }>(q.INSERT_REPORT, report))?.id ?? 0;
    const eventAt = toEventTime(
      submission.eventAt,
      delivery.received_at,
      submission.eventRank ?? planRank(submission.plan.actions),
    );
    if (submission.prNumber !== null) await recordPrIssues(tx, submission, eventAt);
    // An invalid repo config is reported, never executed.
    if (submission.configError !== undefined) continue;
    for (const action of submission.plan.actions) {
      await insertJob(tx, {
        submission,
        action,
        reportId,
        eventAt,
        receivedAt: delivery.received_at,
        now,
      });
    }
  }
  await tx.run(q.MARK_PLANNED, [deliveryId]);
  return true;
}

/** Which issues this PR moves, and whether it is still open: what `waitForAllPrs` asks. */
async function recordPrIssues(
  tx: Querier,
  submission: PlanSubmission,
  eventAt: string,
): Promise<void> {
  const { repo, prNumber, prState, connection, prKeys } = submission;
  await tx.run(q.SET_PR_STATE, [prState, eventAt, repo, prNumber, eventAt]);
  // Keys the PR no longer names stop counting as its references, unless a newer event named them.
  // To the second, as GitHub stamps events: the milliseconds carry only the lifecycle rank, and
  // an edit (rank 0) in the same second as the opening (rank 1) still comes after it.
  const sameSecond = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(eventAt)
    ? `${eventAt.slice(0, 19)}.999Z`
    : eventAt;
  if (prKeys) await tx.run(q.FORGET_PR_ISSUES, [repo, prNumber, connection, sameSecond]);
  const keys =
    prKeys ?? submission.plan.keys.filter((found) => found.role === "moving").map((f) => f.key);
  for (const key of keys) {
    await tx.run(q.UPSERT_PR_ISSUE, [repo, prNumber, connection, key, prState, eventAt]);
  }
}

async function insertJob(
  tx: Querier,
  input: {
    submission: PlanSubmission;
    action: PlannedAction;
    reportId: number;
    eventAt: string;
    receivedAt: string;
    now: number;
  },
): Promise<void> {
  const { submission, action, eventAt, receivedAt, now } = input;
  let state = "pending";
  let summary: string | null = null;
  if (action.kind === "move" && submission.prNumber !== null) {
    const samePrAndIssue = [
      submission.connection,
      action.key,
      submission.repo,
      submission.prNumber,
    ];
    const newer = await tx.row<{ delivery_id: string }>(q.NEWER_PENDING_MOVE, [
      ...samePrAndIssue,
      eventAt,
      receivedAt,
    ]);
    if (newer) {
      // This event arrived late: the newer one already waiting decides the status.
      state = "superseded";
      summary = `superseded by a newer event (delivery ${newer.delivery_id})`;
    } else {
      await tx.run(q.SUPERSEDE_OLDER_MOVES, [
        `superseded by a newer event (delivery ${submission.deliveryId})`,
        now,
        ...samePrAndIssue,
        eventAt,
        receivedAt,
        submission.deliveryId,
      ]);
    }
  }
  await tx.run(q.INSERT_JOB, [
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
  ]);
}
