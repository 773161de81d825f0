import { describe, expect, it } from "vitest";
import { renderSummary, type SummaryRow } from "../../src/action/summary.js";

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
