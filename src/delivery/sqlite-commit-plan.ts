/**
 * The body of `commitPlan`, run inside the SQLite store's write transaction: everything a
 * delivery's plans change is written together or not at all.
 */
import type Database from "better-sqlite3";
import type { PlannedAction } from "../core/types.js";
import * as q from "./queries.js";
import { toIso } from "./sqlite-rows.js";
import type { PlanSubmission } from "./types.js";

export function commitPlanIn(
  db: Database.Database,
  deliveryId: string,
  submissions: readonly PlanSubmission[],
  now: number,
): boolean {
  const delivery = db.prepare(q.DELIVERY_STATE).get(deliveryId) as
    | { state: string; received_at: string }
    | undefined;
  if (delivery?.state !== "received") return false;

  for (const submission of submissions) {
    const { id: reportId } = db
      .prepare(q.INSERT_REPORT)
      .get(deliveryId, JSON.stringify(submission), now) as { id: number };
    const eventAt = toIso(submission.eventAt, delivery.received_at);
    if (submission.prNumber !== null) recordPrIssues(db, submission, eventAt);
    // An invalid repo config is reported, never executed.
    if (submission.configError !== undefined) continue;
    for (const action of submission.plan.actions) {
      insertJob(db, {
        submission,
        action,
        reportId,
        eventAt,
        receivedAt: delivery.received_at,
        now,
      });
    }
  }
  db.prepare(q.MARK_PLANNED).run(deliveryId);
  return true;
}

/** Which issues this PR moves, and whether it is still open: what `waitForAllPrs` asks. */
function recordPrIssues(db: Database.Database, submission: PlanSubmission, eventAt: string): void {
  const { repo, prNumber, prState, connection } = submission;
  db.prepare(q.SET_PR_STATE).run(prState, eventAt, repo, prNumber, eventAt);
  const upsert = db.prepare(q.UPSERT_PR_ISSUE);
  for (const found of submission.plan.keys) {
    if (found.role === "moving")
      upsert.run(repo, prNumber, connection, found.key, prState, eventAt);
  }
}

function insertJob(
  db: Database.Database,
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
    const newer = db.prepare(q.NEWER_PENDING_MOVE).get(...samePrAndIssue, eventAt, receivedAt) as
      | { delivery_id: string }
      | undefined;
    if (newer) {
      // This event arrived late: the newer one already waiting decides the status.
      state = "superseded";
      summary = `superseded by a newer event (delivery ${newer.delivery_id})`;
    } else {
      db.prepare(q.SUPERSEDE_OLDER_MOVES).run(
        `superseded by a newer event (delivery ${submission.deliveryId})`,
        now,
        ...samePrAndIssue,
        eventAt,
        receivedAt,
        submission.deliveryId,
      );
    }
  }
  db.prepare(q.INSERT_JOB).run(
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
  );
}
