/**
 * The `trackbridge/issue` check: each issue a pull request moves, with its status as the
 * tracker reports it now, and — with `merge_gate` in the repo config — a failure until every
 * one of them is in a gate status. QA then controls merges from the tracker, and branch
 * protection can require the check. Pure: the app reads the statuses and writes the run.
 */

import { statusMatches } from "./match-status.js";
import { escapeCell } from "./render-check-run.js";
import type { TrackerStatus } from "./types.js";

export const ISSUE_CHECK_NAME = "trackbridge/issue";

/** One linked issue as read from its tracker; `error` when it could not be read. */
export type IssueState =
  | { key: string; connection: string; status: TrackerStatus }
  | { key: string; connection: string; error: string };

export interface IssueCheck {
  title: string;
  summary: string;
  conclusion: "success" | "neutral" | "failure";
}

/**
 * @example
 * renderIssueCheck([{ key: "PROJ-1", connection: "yandex", status: { key: "testing", display: "Testing" } }], ["readyForMerge"])
 * // { conclusion: "failure", title: "Waiting for PROJ-1 (Testing)", summary: "…" }
 */
export function renderIssueCheck(
  issues: readonly IssueState[],
  gate: readonly string[] | undefined,
): IssueCheck {
  const passes = (issue: IssueState) =>
    "status" in issue && gate !== undefined && gate.some((s) => statusMatches(issue.status, s));
  const waiting = gate === undefined ? [] : issues.filter((issue) => !passes(issue));
  const rows = issues.map((issue) => {
    const status = "status" in issue ? issue.status.display : `could not read: ${issue.error}`;
    const mark = gate === undefined ? "" : passes(issue) ? " ✅" : " ⏳";
    return `| ${escapeCell(issue.key)} | ${escapeCell(status)}${mark} |`;
  });
  const table =
    issues.length === 0
      ? "This pull request moves no issue."
      : ["| Issue | Status |", "| --- | --- |", ...rows].join("\n");
  const gateLine =
    gate === undefined
      ? "No `merge_gate` in the repo config: this check only reports."
      : `Merge gate: every issue in ${gate.map((s) => `\`${s}\``).join(", ")}.`;
  const summary = `${table}\n\n${gateLine}`;

  if (gate === undefined) {
    return { conclusion: "neutral", title: statusTitle(issues), summary };
  }
  if (waiting.length === 0) {
    const title =
      issues.length === 0 ? "No issue to wait for" : `Ready to merge: ${statusTitle(issues)}`;
    return { conclusion: "success", title, summary };
  }
  return { conclusion: "failure", title: `Waiting for ${statusTitle(waiting)}`, summary };
}

function statusTitle(issues: readonly IssueState[]): string {
  if (issues.length === 0) return "No linked issue";
  const shown = issues
    .slice(0, 3)
    .map((issue) => `${issue.key} (${"status" in issue ? issue.status.display : "unreadable"})`);
  const more = issues.length > 3 ? ` and ${issues.length - 3} more` : "";
  return `${shown.join(", ")}${more}`;
}
