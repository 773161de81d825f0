import { describe, expect, it } from "vitest";
import { plannedRow, renderSummary, type SummaryRow } from "../../src/action/summary.js";
import type { PlannedAction } from "../../src/core/types.js";

const row = (overrides: Partial<SummaryRow> = {}): SummaryRow => ({
  key: "PROJ-123",
  field: "benchLink",
  value: "https://pr-7.bench.example.test",
  result: "set",
  outcome: "ok",
  ...overrides,
});

describe("renderSummary", () => {
  it("renders one table row per action", () => {
    const markdown = renderSummary({
      tracker: "Yandex Tracker at api.tracker.yandex.net",
      dryRun: false,
      notes: [],
      rows: [
        row(),
        row({ field: "status", value: "Ready for test", result: "moved Open → Ready for test" }),
        row({ key: "PROJ-9", result: "Issue PROJ-9 not found", outcome: "failed" }),
      ],
    });
    expect(markdown).toBe(
      [
        "### trackbridge",
        "",
        "Yandex Tracker at api.tracker.yandex.net",
        "",
        "| Issue | Field | Value | Result |",
        "| --- | --- | --- | --- |",
        "| PROJ-123 | benchLink | https://pr-7.bench.example.test | ✅ set |",
        "| PROJ-123 | status | Ready for test | ✅ moved Open → Ready for test |",
        "| PROJ-9 | benchLink | https://pr-7.bench.example.test | ❌ Issue PROJ-9 not found |",
        "",
      ].join("\n"),
    );
  });

  it("says a dry run wrote nothing", () => {
    const markdown = renderSummary({
      tracker: "Jira at acme.atlassian.net",
      dryRun: true,
      notes: [],
      rows: [row({ result: "would set", outcome: "planned" })],
    });
    expect(markdown).toContain("> **Dry run**: nothing was written to the tracker.");
    expect(markdown).toContain(
      "| PROJ-123 | benchLink | https://pr-7.bench.example.test | 📝 would set |",
    );
  });

  it("lists notes and leaves the table out when nothing was done", () => {
    const markdown = renderSummary({
      tracker: "Jira at acme.atlassian.net",
      dryRun: false,
      notes: ['No issue key found in branch "main"'],
      rows: [],
    });
    expect(markdown).not.toContain("| Issue |");
    expect(markdown).toContain('- No issue key found in branch "main"');
  });

  it.each([
    ["a | b", "a \\| b"],
    ["<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"],
    ["line 1\nline 2", "line 1<br>line 2"],
    ["https://b.test/?a=1&b=2", "https://b.test/?a=1&amp;b=2"],
  ])("keeps %j inside its cell", (value, escaped) => {
    const markdown = renderSummary({
      tracker: "t",
      dryRun: false,
      notes: [],
      rows: [row({ value })],
    });
    const line = markdown.split("\n").find((text) => text.startsWith("| PROJ-123"));
    expect(line).toBe(`| PROJ-123 | benchLink | ${escaped} | ✅ set |`);
  });
});

describe("plannedRow", () => {
  it.each<[PlannedAction, Partial<SummaryRow>]>([
    [
      { kind: "set_field", key: "PROJ-1", field: "Bench link", value: "https://b" },
      { field: "Bench link", value: "https://b", result: "would set Bench link" },
    ],
    [
      { kind: "move", key: "PROJ-1", target: "readyForTest", trigger: "ready", protect: [] },
      { field: "status", value: "readyForTest", result: "would move to readyForTest" },
    ],
    [
      { kind: "comment", key: "PROJ-1", text: "Bench: https://b", marker: "m" },
      { field: "comment", value: "Bench: https://b", result: "would comment" },
    ],
  ])("%j", (action, expected) => {
    expect(plannedRow(action)).toEqual({ key: "PROJ-1", outcome: "planned", ...expected });
  });
});
