/**
 * Runs the Action's plans against the tracker: each issue's actions in order, each call
 * retried within the run's budget, an issue's later actions skipped once one fails. A GitHub
 * project's issue read from the branch alone is first confirmed on the project
 * (confirm-branch-issue.ts); one that is not is skipped and reported as not found.
 */
import { applyAction } from "../trackers/apply-action.js";
import type { TrackerConnection } from "../trackers/connection.js";
import type { Tracker } from "../trackers/port.js";
import { type BranchIssues, whyNotBranchIssue } from "./confirm-branch-issue.js";
import { explainFailure } from "./explain-error.js";
import type { IssuePlan } from "./plan-update.js";
import { type RetryBudget, withRetry } from "./retry.js";
import { plannedRow, type SummaryRow } from "./summary.js";

const SKIPPED = "skipped: an earlier change to this issue failed";

export interface Outcome {
  rows: SummaryRow[];
  updated: number;
  failures: Array<{ key: string; message: string }>;
  /** Branch issues not written to, and why (see confirm-branch-issue.ts). */
  notFound: Array<{ key: string; why: string }>;
}

export interface ExecuteContext {
  tracker: Tracker;
  connection: TrackerConnection;
  /** Shared by every call of the run. */
  budget: RetryBudget;
  /** The job log: what each action did. */
  log: (message: string) => void;
  /** A GitHub project's keys read from the branch alone, confirmed before any write. */
  branchIssues?: BranchIssues;
}

/** Runs each issue's actions in order; after a failure, that issue's later actions are skipped. */
export async function executePlans(plans: IssuePlan[], context: ExecuteContext): Promise<Outcome> {
  const { tracker, connection, budget, log, branchIssues: toConfirm } = context;
  const outcome: Outcome = { rows: [], updated: 0, failures: [], notFound: [] };

  /** The plan's action `at` failed: its row says why, and the issue's later actions are skipped. */
  const failAt = (plan: IssuePlan, at: number, error: unknown): void => {
    const action = plan.actions[at]!;
    const message = explainFailure(error, action, connection);
    outcome.failures.push({ key: action.key, message });
    outcome.rows.push({ ...plannedRow(action), result: message, outcome: "failed" });
    for (const later of plan.actions.slice(at + 1))
      outcome.rows.push({ ...plannedRow(later), result: SKIPPED, outcome: "skipped" });
  };

  /** Whether the plan's issue may be written to; when not, its rows say why. */
  const confirmed = async (plan: IssuePlan): Promise<boolean> => {
    if (!toConfirm?.keys.has(plan.key)) return true;
    let why: string | null;
    try {
      why = await withRetry(
        () => whyNotBranchIssue(tracker, plan.key, toConfirm.where),
        budget,
        plan.key,
      );
    } catch (error) {
      failAt(plan, 0, error);
      return false;
    }
    if (why === null) return true;
    outcome.notFound.push({ key: plan.key, why });
    for (const action of plan.actions)
      outcome.rows.push({ ...plannedRow(action), result: `skipped: ${why}`, outcome: "skipped" });
    return false;
  };

  for (const plan of plans) {
    if (!(await confirmed(plan))) continue;
    for (const [at, action] of plan.actions.entries()) {
      try {
        const result = await withRetry(() => applyAction(tracker, action), budget, `${action.key}`);
        log(`${action.key}: ${result.summary}`);
        // The field and value have their own columns; "set benchLink = …" would repeat them.
        const said = action.kind === "set_field" ? "set" : result.summary;
        outcome.rows.push({ ...plannedRow(action), result: said, outcome: "ok" });
        if (action.kind === "set_field") outcome.updated += 1;
      } catch (error) {
        failAt(plan, at, error);
        break;
      }
    }
  }
  return outcome;
}
