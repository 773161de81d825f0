/** What `trackbridge sync` prints: the dry run's table and the progress bar. */
import type { SyncRow } from "../handlers/sync-dispatch.js";

type Cells = { pr: string; key: string; current: string; target: string; why: string };

/**
 * @example
 * renderSyncTable([{ repo: "acme/web", pr: 4, connection: "yandex", key: "PROJ-4", current: "Open", target: "readyForTest", moves: true, why: "approved" }])
 * // PR  KEY     STATUS  →  TARGET        WHY
 * // #4  PROJ-4  Open    →  readyForTest  approved
 */
export function renderSyncTable(rows: SyncRow[]): string {
  if (rows.length === 0) return "no open pull request names an issue to move\n";
  const header: Cells = { pr: "PR", key: "KEY", current: "STATUS", target: "TARGET", why: "WHY" };
  const all = [header, ...rows.map(cellsOf)];
  const width = (pick: (row: Cells) => string) => Math.max(...all.map((row) => pick(row).length));
  const w = {
    pr: width((r) => r.pr),
    key: width((r) => r.key),
    current: width((r) => r.current),
    target: width((r) => r.target),
  };
  const line = (r: Cells) =>
    `${r.pr.padEnd(w.pr)}  ${r.key.padEnd(w.key)}  ${r.current.padEnd(w.current)}  →  ${r.target.padEnd(w.target)}  ${r.why}`.trimEnd();
  const changes = rows.filter((r) => r.moves).length;
  return `${all.map(line).join("\n")}\n\n${changes} of ${rows.length} issues would move (dry run: nothing was changed)\n`;
}

function cellsOf(row: SyncRow): Cells {
  return {
    pr: row.pr === null ? "-" : `#${row.pr}`,
    key: row.key,
    current: row.current ?? "?",
    target: row.moves ? row.target : "(stays)",
    why: row.why,
  };
}

const SETTLED = ["done", "failed", "dead", "skipped", "superseded"];
const BAR = 30;

/** One terminal line, redrawn in place (`\r`). */
export function renderProgress(counts: Record<string, number>): string {
  const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
  const settled = SETTLED.reduce((sum, state) => sum + (counts[state] ?? 0), 0);
  const filled = total === 0 ? 0 : Math.round((settled / total) * BAR);
  return `\r[${"#".repeat(filled)}${"-".repeat(BAR - filled)}] ${settled}/${total} actions`;
}
