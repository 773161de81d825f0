/**
 * One check run per commit shows every event's results, not just the last event's: a
 * comment that adds one key must not wipe a failure reported for another, and a deployment
 * on the PR's head must not lift the `require_key` gate. For each issue and kind of action
 * the latest event's job wins; the latest PR event decides the gate and the config error.
 */
import type { PlannedAction } from "../core/types.js";
import type { JobRecord, PlanSubmission } from "../delivery/types.js";

export interface ReportPart {
  submission: PlanSubmission;
  jobs: JobRecord[];
}

function slot(action: PlannedAction): string {
  return action.kind === "set_field"
    ? `${action.key} set_field ${action.field}`
    : `${action.key} ${action.kind}`;
}

/**
 * Merges the reports about one commit, oldest first, into one submission and its jobs.
 *
 * @example
 * mergeReports([opened, comment]) // opened's rows for PROJ-1, the comment's for PROJ-2
 */
export function mergeReports(parts: readonly ReportPart[]): ReportPart {
  const latest = parts.at(-1);
  if (!latest) throw new Error("mergeReports needs at least one report");
  const latestPr = [...parts].reverse().find((part) => part.submission.prNumber !== null) ?? latest;

  const jobs = new Map<string, JobRecord>();
  const keys = new Map<string, PlanSubmission["plan"]["keys"][number]>();
  const notes = new Set<string>();
  for (const part of parts) {
    for (const job of part.jobs) {
      jobs.delete(slot(job.action));
      jobs.set(slot(job.action), job);
    }
    for (const found of part.submission.plan.keys)
      if (!keys.has(found.key)) keys.set(found.key, found);
    for (const note of part.submission.plan.notes) notes.add(note);
  }
  // Why a key got no action comes from the latest event that saw the key.
  const skippedByKey = new Map<string, PlanSubmission["plan"]["skipped"]>();
  for (const part of parts) {
    for (const found of part.submission.plan.keys) {
      skippedByKey.set(
        found.key,
        part.submission.plan.skipped.filter((entry) => entry.key === found.key),
      );
    }
  }
  const skipped = [...skippedByKey.values()].flat();

  const { configError: _dropped, ...base } = latest.submission;
  const submission: PlanSubmission = {
    ...base,
    plan: {
      keys: [...keys.values()],
      actions: [],
      skipped,
      notes: [...notes],
    },
    report: { ...latest.submission.report, requireKey: latestPr.submission.report.requireKey },
    ...(latest.submission.configError ? { configError: latest.submission.configError } : {}),
  };
  return { submission, jobs: [...jobs.values()] };
}
