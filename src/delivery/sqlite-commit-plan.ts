/**
 * The body of `commitPlan`, run inside the SQLite store's write transaction: everything a
 * delivery's plans change is written together or not at all.
 */

import { planRank } from "../core/lifecycle-rank.js";
import type { PlannedAction } from "../core/types.js";
import * as q from "./queries.js";
import { toEventTime } from "./sqlite-rows.js";
import type { Sql } from "./sqlite-sql.js";
import type { PlanSubmission } from "./types.js";

export function commitPlanIn(
  sql: Sql,
  deliveryId: string,
  submissions: readonly PlanSubmission[],
  now: number,
): boolean {
  const delivery = sql.get<{ state: string; received_at: string }>(q.DELIVERY_STATE, [deliveryId]);
  if (delivery?.state !== "received") return false;

  for (const submission of submissions) {
    const report = [
      deliveryId,
      JSON.stringify(submission),
      now,
      submission.report.repo,
      submission.report.headSha,
    ];
    const reportId = sql.get<{ id: number }>(q.INSERT_REPORT, report)?.id ?? 0;
    const eventAt = toEventTime(
      submission.eventAt,
      delivery.received_at,
      submission.eventRank ?? planRank(submission.plan.actions),
    );
    if (submission.prNumber !== null) recordPrIssues(sql, submission, eventAt);
    // An invalid repo config is reported, never executed.
    if (submission.configError !== undefined) continue;
    for (const action of submission.plan.actions) {
      insertJob(sql, {
        submission,
        action,
        reportId,
        eventAt,
        receivedAt: delivery.received_at,
        now,
      });
    }
  }
  sql.run(q.MARK_PLANNED, [deliveryId]);
  return true;
}

/** Which issues this PR moves, and whether it is still open: what `waitForAllPrs` asks. */
function recordPrIssues(sql: Sql, submission: PlanSubmission, eventAt: string): void {
  const { repo, prNumber, prState, connection } = submission;
  sql.run(q.SET_PR_STATE, [prState, eventAt, repo, prNumber, eventAt]);
  for (const found of submission.plan.keys) {
    if (found.role !== "moving") continue;
    sql.run(q.UPSERT_PR_ISSUE, [repo, prNumber, connection, found.key, prState, eventAt]);
  }
}

function insertJob(
  sql: Sql,
  input: {
    submission: PlanSubmission;
    action: PlannedAction;
    reportId: number;
    eventAt: string;
    receivedAt: string;
    now: number;
  },
): void {
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
    const newer = sql.get<{ delivery_id: string }>(q.NEWER_PENDING_MOVE, [
      ...samePrAndIssue,
      eventAt,
      receivedAt,
    ]);
    if (newer) {
      // This event arrived late: the newer one already waiting decides the status.
      state = "superseded";
      summary = `superseded by a newer event (delivery ${newer.delivery_id})`;
    } else {
      sql.run(q.SUPERSEDE_OLDER_MOVES, [
        `superseded by a newer event (delivery ${submission.deliveryId})`,
        now,
        ...samePrAndIssue,
        eventAt,
        receivedAt,
        submission.deliveryId,
      ]);
    }
  }
  sql.run(q.INSERT_JOB, [
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
