/**
 * A GitHub project's key read from a branch name alone is a bare number: `12-login-form` is
 * issue #12, but `2024-release` reads as #2024 just the same, and a write would add that
 * unrelated issue to the project and set its fields. So the rule: a branch's number counts
 * only when that issue is already an item of the configured project; otherwise the Action
 * says no issue was found. A key from the PR title or the `issue-key` input is named on
 * purpose and is not checked (a write adds it to the project, as documented).
 *
 * Cost: none extra when the issue exists. The check is the adapter's issue read, which the
 * write would make anyway and which the adapter caches for it. When GitHub finds no issue,
 * one more request (`whoAmI`, the project's read) tells a missing issue from a project the
 * connection cannot read: that one fails the step, as it did before the check.
 */
import { TrackerError } from "../trackers/errors.js";
import type { Tracker } from "../trackers/port.js";

/**
 * Why the branch's issue is not written to, or null when it is on the project.
 *
 * @example
 * await whyNotBranchIssue(tracker, "acme/web#2024", { branch: "2024-release", project: "acme/1" })
 * // 'branch "2024-release" reads as issue acme/web#2024, which is not an item of project acme/1'
 */
export async function whyNotBranchIssue(
  tracker: Tracker,
  key: string,
  where: { branch: string; project: string },
): Promise<string | null> {
  const reads = `branch "${where.branch}" reads as issue ${key}`;
  try {
    const issue = await tracker.getIssue(key);
    return issue.onProject === false
      ? `${reads}, which is not an item of project ${where.project}`
      : null;
  } catch (error) {
    if (!(error instanceof TrackerError) || error.kind !== "not_found") throw error;
    await tracker.whoAmI();
    // GitHub answers "not found" for an issue in a private repository the token cannot read too.
    return `${reads}, which does not exist or this token cannot read it`;
  }
}

/** Keys read from the branch alone, and where they were read, for the confirmation. */
export interface BranchIssues {
  keys: ReadonlySet<string>;
  where: { branch: string; project: string };
}

/** A dry run calls no tracker, so it cannot confirm: it says what a run will check. */
export function describeUnconfirmed(branchIssues: BranchIssues): string[] {
  const { branch, project } = branchIssues.where;
  return [...branchIssues.keys].map(
    (key) =>
      `${key} is read from branch "${branch}" alone: a run updates it only if it is an item of project ${project}`,
  );
}

/**
 * The step's message when no branch issue was confirmed, shaped as the "no issue key found"
 * one, so the person can rename the branch or pass `issue-key`.
 */
export function describeNoBranchIssue(reasons: string[]): string {
  return `No issue found: ${reasons.join("; ")}. Name the branch after an issue of the project (e.g. 12-login, as GitHub names a branch made from issue #12) or pass the key with the issue-key input.`;
}
