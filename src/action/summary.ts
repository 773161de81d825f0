/**
 * The job summary: one table row per thing the Action did (or would do, in a dry run) to
 * each issue. Pure — `run.ts` writes the returned Markdown to GITHUB_STEP_SUMMARY.
 */
import type { PlannedAction } from "../core/types.js";

export interface SummaryRow {
  key: string;
  /** The field as the input named it, or "status" / "comment" for those actions. */
  field: string;
  value: string;
  /** What happened, in words: "set", "moved Open → Ready for test", the tracker's error. */
  result: string;
  outcome: "ok" | "failed" | "skipped" | "planned";
}

export interface SummaryInput {
  /** e.g. "Yandex Tracker at api.tracker.yandex.net" */
  tracker: string;
  rows: SummaryRow[];
  dryRun: boolean;
  notes: string[];
}

const ICON: Record<SummaryRow["outcome"], string> = {
  ok: "✅",
  failed: "❌",
  skipped: "⏭️",
  planned: "📝",
};

/**
 * The row for an action before it runs; `run.ts` fills in what happened.
 *
 * @example
 * plannedRow({ kind: "move", key: "PROJ-1", target: "readyForTest", trigger: "ready", protect: [] })
 * // { key: "PROJ-1", field: "status", value: "readyForTest", result: "would move to readyForTest", outcome: "planned" }
 */
export function plannedRow(action: PlannedAction): SummaryRow {
  const row = (field: string, value: string, result: string): SummaryRow => ({
    key: action.key,
    field,
    value,
    result,
    outcome: "planned",
  });
  switch (action.kind) {
    case "set_field":
      return row(action.field, action.value, `would set ${action.field}`);
    case "move":
      return row("status", action.target, `would move to ${action.target}`);
    case "comment":
      return row("comment", action.text, "would comment");
    case "link":
      return row("link", action.pr.url, "would link");
    case "fix_version":
      return row("fixVersions", action.version, `would add fix version ${action.version}`);
    case "create":
      return row("issue", action.summary, `would create an issue in ${action.project}`);
    case "unlink":
      return row("link", action.pr.url, "would unlink");
    case "assign":
      return row("assignee", action.person, `would assign to ${action.person}'s tracker login`);
    case "feature":
      return row("feature", action.key, `would ${action.op} the Productboard feature`);
  }
}

/**
 * Renders the summary as GitHub-flavoured Markdown.
 *
 * @example
 * renderSummary({ tracker: "Jira at acme.atlassian.net", dryRun: false, notes: [],
 *   rows: [{ key: "PROJ-1", field: "Bench link", value: "https://b", result: "set", outcome: "ok" }] })
 * // "### trackbridge\n\nJira at acme.atlassian.net\n\n| Issue | Field | Value | Result |\n…| PROJ-1 | Bench link | https://b | ✅ set |"
 */
export function renderSummary(input: SummaryInput): string {
  const lines = ["### trackbridge", "", cell(input.tracker), ""];
  if (input.dryRun) lines.push("> **Dry run**: nothing was written to the tracker.", "");
  if (input.rows.length > 0) {
    lines.push("| Issue | Field | Value | Result |", "| --- | --- | --- | --- |");
    for (const row of input.rows) {
      const result = `${ICON[row.outcome]} ${row.result}`;
      lines.push(`| ${[row.key, row.field, row.value, result].map(cell).join(" | ")} |`);
    }
    lines.push("");
  }
  for (const note of input.notes) lines.push(`- ${cell(note)}`);
  return `${lines.join("\n").trimEnd()}\n`;
}

/**
 * Keeps a value inside its table cell and out of the page's HTML: the summary renders HTML,
 * and a value comes from a deploy script, so `<`, `|` and newlines are escaped.
 */
function cell(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\|/g, "\\|")
    .replace(/\r?\n/g, "<br>");
}
