/** The result table: one row per measured quantity, with its target and whether it was met. */

export interface Row {
  part: string;
  metric: string;
  result: string;
  /** The goal, in words; empty when the row is context (e.g. the bare Probot floor). */
  target: string;
  /** null: no target, or not measurable in this run. */
  met: boolean | null;
}

export interface PartOutput {
  rows: Row[];
  /** Everything measured, for bench/results/latest.json. */
  data: unknown;
  /** Extra Markdown (a detail table) printed under the part and kept in RESULTS.md. */
  detail?: string;
}

export function markdownTable(headers: string[], lines: string[][]): string {
  const escapeCell = (cell: string) => cell.replaceAll("|", "\\|");
  return [
    `| ${headers.join(" | ")} |`,
    `| ${headers.map(() => "---").join(" | ")} |`,
    ...lines.map((line) => `| ${line.map(escapeCell).join(" | ")} |`),
  ].join("\n");
}

export function rowsTable(rows: readonly Row[]): string {
  const status = (met: boolean | null) => (met === null ? "—" : met ? "met" : "MISSED");
  return markdownTable(
    ["Part", "Metric", "Result", "Target", "Status"],
    rows.map((row) => [row.part, row.metric, row.result, row.target || "—", status(row.met)]),
  );
}

export const ms = (value: number) => `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`;
export const mb = (value: number) => `${value.toFixed(1)} MB`;
