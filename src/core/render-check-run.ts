/**
 * Renders what trackbridge did for a pull request as a check run, so failures such as "no
 * transition to Ready for test from Open" are seen by the people on the PR instead of
 * sitting in a log. Pure: the caller sends the output to GitHub.
 */
import type { FoundKey, KeyRole, KeySource, SkippedKey } from "./types.js";

/** GitHub rejects a check run whose output.summary or output.text exceeds this many characters. */
export const CHECK_RUN_TEXT_LIMIT = 65535;
/** Titles are shown on one line; long ones are cut so the key list stays readable. */
const TITLE_LIMIT = 120;
/** One huge cell (a tracker's error body, say) must not push every other row out. */
const CELL_LIMIT = 1000;
const KEYS_IN_TITLE = 3;

export interface CheckRunRow {
  key: string;
  /** e.g. "move to readyForTest", "link", "set benchLink". */
  action: string;
  /** e.g. "moved Open → Ready for test", "already in Ready for test", "not found". */
  result: string;
  ok: boolean;
}

export interface CheckRunInput {
  keys: FoundKey[];
  rows: CheckRunRow[];
  skipped: SkippedKey[];
  notes: string[];
  /** The prettified config error; set when `.github/trackbridge.yml` did not validate. */
  configError?: string;
  requireKey: boolean;
  /** Actions still queued (the tracker is slow or down); the check run is updated later. */
  pending?: number;
}

export interface CheckRunOutput {
  title: string;
  summary: string;
  text: string;
  conclusion: "success" | "neutral" | "failure";
}

/**
 * Makes a string safe inside one Markdown table cell: pipes escaped, line breaks flattened.
 *
 * @example
 * escapeCell("a | b\nc") // "a \\| b c"
 */
export function escapeCell(value: string): string {
  const flat = value
    .replace(/\r\n|\r|\n/g, " ")
    .replace(/\|/g, "\\|")
    .trim();
  if (flat.length <= CELL_LIMIT) return flat;
  return `${flat.slice(0, CELL_LIMIT - 1)}…`;
}

/**
 * Builds the check run's title, summary, text and conclusion.
 *
 * The conclusion is `failure` only when the config is invalid or `require_key` is set and no
 * moving key was found; failed tracker actions keep it `neutral` (they are not the PR
 * author's fault) and the title counts them.
 *
 * @example
 * renderCheckRun({ keys: [{ key: "PROJ-1", role: "moving", source: "branch" }],
 *   rows: [{ key: "PROJ-1", action: "move to readyForTest", result: "moved Open → Ready for test", ok: true }],
 *   skipped: [], notes: [], requireKey: false })
 * // { title: "PROJ-1 → Ready for test", conclusion: "neutral", summary: "| Key | Found in | …", text: "…" }
 */
export function renderCheckRun(input: CheckRunInput): CheckRunOutput {
  const hasMovingKey = input.keys.some((key) => key.role === "moving");
  const conclusion =
    input.configError !== undefined || (input.requireKey && !hasMovingKey) ? "failure" : "neutral";
  return {
    title: clip(renderTitle(input, hasMovingKey), TITLE_LIMIT),
    summary: renderSummary(input, hasMovingKey),
    text: clip(LEGEND, CHECK_RUN_TEXT_LIMIT),
    conclusion,
  };
}

const LEGEND = [
  "**Moving** keys (in the branch name, or named in the title, body, comments or commits) are moved to the status `.github/trackbridge.yml` names for what happened to the pull request.",
  '**Reference** keys (after "refs", "part of", "see", …) are only linked to this pull request.',
  "Limit keys to your projects with `keys.projects` in `.github/trackbridge.yml`.",
].join("\n\n");

function renderTitle(input: CheckRunInput, hasMovingKey: boolean): string {
  if (input.configError !== undefined) return "Config invalid";
  if (input.keys.length === 0) return "No issue keys found";
  if (input.requireKey && !hasMovingKey) return "No moving issue key found";

  const failed = input.rows.filter((row) => !row.ok).length;
  if (failed > 0) {
    return `${failed} of ${input.rows.length} ${plural(input.rows.length, "action")} failed`;
  }
  const keys = uniqueKeys(input.keys);
  const pending = input.pending ?? 0;
  if (pending > 0) return `${listKeys(keys)}: ${pending} ${plural(pending, "action")} pending`;

  const statusGroups = groupKeysByStatus(input.rows);
  if (statusGroups.size > 0) {
    return [...statusGroups]
      .map(([status, grouped]) => `${listKeys(grouped)} → ${status}`)
      .join("; ");
  }
  if (input.rows.length > 0) return `Linked ${listKeys(keys)}`;
  const firstSkip = input.skipped[0];
  return firstSkip ? `${listKeys(keys)}: ${firstSkip.reason}` : `Found ${listKeys(keys)}`;
}

/** Reads the status each key ended in from results like "moved A → B" or "already in B". */
function groupKeysByStatus(rows: CheckRunRow[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  const done = new Set<string>();
  for (const row of rows) {
    if (!row.ok || done.has(row.key)) continue;
    const status =
      /^moved .*→\s*(.+)$/.exec(row.result)?.[1] ?? /^already in (.+)$/.exec(row.result)?.[1];
    if (status === undefined) continue;
    done.add(row.key);
    const grouped = groups.get(status.trim()) ?? [];
    grouped.push(row.key);
    groups.set(status.trim(), grouped);
  }
  return groups;
}

function renderSummary(input: CheckRunInput, hasMovingKey: boolean): string {
  const head: string[] = [];
  if (input.configError !== undefined) {
    head.push("The repository config is invalid, so nothing was moved. Fix these fields:");
    head.push(fenced(input.configError));
  } else if (input.keys.length === 0) {
    head.push("No issue keys (like `PROJ-123`) were found, so no issue was moved or linked.");
  }
  if (input.requireKey && !hasMovingKey && input.configError === undefined) {
    head.push(
      "This repository requires an issue key (`require_key: true`): put one in the branch name or the title.",
    );
  }
  const pending = input.pending ?? 0;
  if (pending > 0) {
    head.push(
      `${pending} ${plural(pending, "action")} still queued; this check run is updated when ${pending === 1 ? "it runs" : "they run"}.`,
    );
  }

  const tail: string[] = [];
  if (input.notes.length > 0) {
    tail.push(
      ["**Notes**", ...input.notes.map((note) => `- ${note.replace(/\r?\n/g, " ")}`)].join("\n"),
    );
  }

  const rows = tableRows(input);
  return fitTable(head, rows, tail);
}

const TABLE_HEADER = "| Key | Found in | Role | Action | Result |\n| --- | --- | --- | --- | --- |";

function tableRows(input: CheckRunInput): string[] {
  const sources = new Map<string, KeySource[]>();
  const roles = new Map<string, KeyRole>();
  for (const found of input.keys) {
    const list = sources.get(found.key) ?? [];
    if (!list.includes(found.source)) list.push(found.source);
    sources.set(found.key, list);
    if (roles.get(found.key) !== "moving") roles.set(found.key, found.role);
  }

  const line = (key: string, action: string, result: string) =>
    `| ${escapeCell(key)} | ${escapeCell(sources.get(key)?.join(", ") ?? "—")} | ${roles.get(key) ?? "—"} | ${escapeCell(action)} | ${escapeCell(result)} |`;

  // Group by key once (keys in found order, then any others), so large PRs stay linear.
  const byKey = new Map<string, { rows: CheckRunRow[]; skips: SkippedKey[] }>();
  const entry = (key: string) => {
    let found = byKey.get(key);
    if (!found) {
      found = { rows: [], skips: [] };
      byKey.set(key, found);
    }
    return found;
  };
  for (const key of uniqueKeys(input.keys)) entry(key);
  for (const row of input.rows) entry(row.key).rows.push(row);
  for (const skip of input.skipped) entry(skip.key).skips.push(skip);

  const lines: string[] = [];
  for (const [key, { rows, skips }] of byKey) {
    for (const row of rows) {
      lines.push(line(key, row.action, row.ok ? row.result : `❌ ${row.result}`));
    }
    for (const skip of skips) lines.push(line(key, "—", `skipped: ${skip.reason}`));
    if (rows.length === 0 && skips.length === 0) {
      lines.push(line(key, "—", (input.pending ?? 0) > 0 ? "pending" : "no action"));
    }
  }
  return lines;
}

/**
 * Joins the summary, dropping table rows from the end when GitHub's limit would be exceeded,
 * and saying how many were dropped.
 */
function fitTable(head: string[], rows: string[], tail: string[]): string {
  const join = (shown: string[], omitted: number) => {
    const table = shown.length > 0 || omitted > 0 ? [TABLE_HEADER, ...shown].join("\n") : "";
    const cut =
      omitted > 0
        ? `_…and ${omitted} more ${plural(omitted, "row")} not shown: GitHub limits a check run to ${CHECK_RUN_TEXT_LIMIT} characters._`
        : "";
    return [...head, table, cut, ...tail].filter((part) => part !== "").join("\n\n");
  };
  let full = join(rows, 0);
  if (full.length <= CHECK_RUN_TEXT_LIMIT) return full;

  // Keep as many rows as fit, reserving room for the "more rows" line.
  // Slack covers the omitted count getting fewer digits.
  const reserve = join([], rows.length).length + 16;
  let used = reserve;
  let shown = 0;
  while (shown < rows.length && used + (rows[shown]?.length ?? 0) + 1 <= CHECK_RUN_TEXT_LIMIT) {
    used += (rows[shown]?.length ?? 0) + 1;
    shown += 1;
  }
  full = join(rows.slice(0, shown), rows.length - shown);
  return clip(full, CHECK_RUN_TEXT_LIMIT);
}

function clip(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const marker =
    limit > 200 ? "\n\n_…truncated: GitHub limits a check run to 65535 characters._" : "…";
  return text.slice(0, limit - marker.length) + marker;
}

/** A code fence longer than any backtick run inside, so a config error cannot break out of it. */
function fenced(text: string): string {
  let longestRun = 2;
  for (const match of text.matchAll(/`+/g)) longestRun = Math.max(longestRun, match[0].length);
  const fence = "`".repeat(longestRun + 1);
  return `${fence}\n${text}\n${fence}`;
}

function uniqueKeys(keys: FoundKey[]): string[] {
  return [...new Set(keys.map((found) => found.key))];
}

function listKeys(keys: string[]): string {
  if (keys.length <= KEYS_IN_TITLE) return keys.join(", ");
  return `${keys.slice(0, KEYS_IN_TITLE).join(", ")} and ${keys.length - KEYS_IN_TITLE} more`;
}

function plural(count: number, word: string): string {
  return count === 1 ? word : `${word}s`;
}
