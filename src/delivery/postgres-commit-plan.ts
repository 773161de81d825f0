/**
 * The body of `commitPlan` for PostgreSQL, run inside one transaction: the same steps and
 * shared statements as sqlite-commit-plan.ts, awaited. Two locks stand in for SQLite's single
 * writer: the delivery's row (a second replica committing the same delivery waits, then finds
 * it planned) and one advisory lock per PR (plans of one PR see each other's moves).
 */

import { planRank } from "../core/lifecycle-rank.js";
import type { PlannedAction } from "../core/types.js";
import * as pq from "./postgres-queries.js";
import type { Querier } from "./postgres-sql.js";
import * as q from "./queries.js";
import { toEventTime } from "./sqlite-rows.js";
import type { PlanSubmission } from "./types.js";

export async function commitPlanIn(
  tx: Querier,
  deliveryId: string,
  submissions: readonly PlanSubmission[],
  now: number,
): Promise<boolean> {
  type Delivery = { state: string; received_at: string };
  const delivery = await tx.row<Delivery>(pq.DELIVERY_STATE_FOR_UPDATE, [deliveryId]);
  if (delivery?.state !== "received") return false;
  await lockPrs(tx, submissions);

  for (const submission of submissions) {
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

/** In one order everywhere (sorted), so two plans that lock several PRs cannot deadlock. */
async function lockPrs(tx: Querier, submissions: readonly PlanSubmission[]): Promise<void> {
  const prs = new Map<string, [string, number]>();
  for (const { repo, prNumber } of submissions) {
    if (prNumber !== null) prs.set(`${repo}#${prNumber}`, [repo, prNumber]);
  }
  const sorted = [...prs.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [, [repo, prNumber]] of sorted) await tx.run(pq.LOCK_PR, [repo, prNumber]);
}

/** Which issues this PR moves, and whether it is still open: what `waitForAllPrs` asks. */
async function recordPrIssues(
  tx: Querier,
  submission: PlanSubmission,
  eventAt: string,
): Promise<void> {
  const { repo, prNumber, prState, connection } = submission;
  await tx.run(q.SET_PR_STATE, [prState, eventAt, repo, prNumber, eventAt]);
  for (const found of submission.plan.keys) {
    if (found.role !== "moving") continue;
    await tx.run(q.UPSERT_PR_ISSUE, [repo, prNumber, connection, found.key, prState, eventAt]);
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
  ]);
}
