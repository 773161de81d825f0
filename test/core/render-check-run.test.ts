import { describe, expect, it } from "vitest";
import {
  CHECK_RUN_TEXT_LIMIT,
  type CheckRunInput,
  escapeCell,
  renderCheckRun,
} from "../../src/core/render-check-run.js";
import type { FoundKey } from "../../src/core/types.js";

const moving = (key: string, source: FoundKey["source"] = "branch"): FoundKey => ({
  key,
  role: "moving",
  source,
});
const reference = (key: string, source: FoundKey["source"] = "body"): FoundKey => ({
  key,
  role: "reference",
  source,
});
const moved = (key: string, from: string, to: string) => ({
  key,
  action: `move to ${to}`,
  result: `moved ${from} → ${to}`,
  ok: true,
});
const linked = (key: string) => ({ key, action: "link", result: "linked", ok: true });

function input(overrides: Partial<CheckRunInput>): CheckRunInput {
  return { keys: [], rows: [], skipped: [], notes: [], requireKey: false, ...overrides };
}

describe("renderCheckRun: title and conclusion", () => {
  const cases: Array<{
    name: string;
    input: CheckRunInput;
    title: string;
    conclusion: "success" | "neutral" | "failure";
  }> = [
    {
      name: "one key moved",
      input: input({
        keys: [moving("PROJ-123")],
        rows: [moved("PROJ-123", "Open", "Ready for test"), linked("PROJ-123")],
      }),
      title: "PROJ-123 → Ready for test",
      conclusion: "neutral",
    },
    {
      name: "already in the target status",
      input: input({
        keys: [moving("PROJ-1")],
        rows: [{ key: "PROJ-1", action: "move", result: "already in Ready for test", ok: true }],
      }),
      title: "PROJ-1 → Ready for test",
      conclusion: "neutral",
    },
    {
      name: "two keys to the same status",
      input: input({
        keys: [moving("PROJ-1"), moving("PROJ-2", "title")],
        rows: [moved("PROJ-1", "Open", "In review"), moved("PROJ-2", "Open", "In review")],
      }),
      title: "PROJ-1, PROJ-2 → In review",
      conclusion: "neutral",
    },
    {
      name: "two keys to different statuses",
      input: input({
        keys: [moving("PROJ-1"), moving("OPS-2", "title")],
        rows: [moved("PROJ-1", "Open", "In review"), moved("OPS-2", "New", "Testing")],
      }),
      title: "PROJ-1 → In review; OPS-2 → Testing",
      conclusion: "neutral",
    },
    {
      name: "many keys are shortened",
      input: input({
        keys: ["A-1", "A-2", "A-3", "A-4", "A-5"].map((key) => moving(key)),
        rows: ["A-1", "A-2", "A-3", "A-4", "A-5"].map((key) => moved(key, "Open", "Done")),
      }),
      title: "A-1, A-2, A-3 and 2 more → Done",
      conclusion: "neutral",
    },
    {
      name: "no keys",
      input: input({}),
      title: "No issue keys found",
      conclusion: "neutral",
    },
    {
      name: "no keys with require_key",
      input: input({ requireKey: true }),
      title: "No issue keys found",
      conclusion: "failure",
    },
    {
      name: "only reference keys with require_key",
      input: input({ requireKey: true, keys: [reference("PROJ-9")], rows: [linked("PROJ-9")] }),
      title: "No moving issue key found",
      conclusion: "failure",
    },
    {
      name: "a moving key satisfies require_key",
      input: input({
        requireKey: true,
        keys: [moving("PROJ-1")],
        rows: [moved("PROJ-1", "Open", "Done")],
      }),
      title: "PROJ-1 → Done",
      conclusion: "neutral",
    },
    {
      name: "config invalid",
      input: input({
        configError:
          ".github/trackbridge.yml is invalid:\n✖ Invalid input\n  → at statuses.approved",
        keys: [moving("PROJ-1")],
      }),
      title: "Config invalid",
      conclusion: "failure",
    },
    {
      name: "failed actions stay neutral and are counted",
      input: input({
        keys: [moving("PROJ-1"), moving("PROJ-2")],
        rows: [
          {
            key: "PROJ-1",
            action: "move",
            result: "no transition to Done from Open (available: In progress)",
            ok: false,
          },
          { key: "PROJ-2", action: "move", result: "not found", ok: false },
          linked("PROJ-1"),
        ],
      }),
      title: "2 of 3 actions failed",
      conclusion: "neutral",
    },
    {
      name: "one failed action",
      input: input({
        keys: [moving("PROJ-1")],
        rows: [{ key: "PROJ-1", action: "move", result: "protected: Closed", ok: false }],
      }),
      title: "1 of 1 action failed",
      conclusion: "neutral",
    },
    {
      name: "only links",
      input: input({ keys: [reference("PROJ-3")], rows: [linked("PROJ-3")] }),
      title: "Linked PROJ-3",
      conclusion: "neutral",
    },
    {
      name: "skipped only",
      input: input({
        keys: [moving("PROJ-3")],
        skipped: [{ key: "PROJ-3", reason: 'no status configured for "approved"' }],
      }),
      title: 'PROJ-3: no status configured for "approved"',
      conclusion: "neutral",
    },
    {
      name: "pending actions",
      input: input({ keys: [moving("PROJ-4")], pending: 2 }),
      title: "PROJ-4: 2 actions pending",
      conclusion: "neutral",
    },
  ];

  it.each(cases)("$name", ({ input: given, title, conclusion }) => {
    const output = renderCheckRun(given);
    expect(output.title).toBe(title);
    expect(output.conclusion).toBe(conclusion);
  });

  it("keeps the title short", () => {
    const long = "S".repeat(500);
    const output = renderCheckRun(
      input({ keys: [moving("PROJ-1")], rows: [moved("PROJ-1", "Open", long)] }),
    );
    expect(output.title.length).toBeLessThanOrEqual(120);
    expect(output.title.endsWith("…")).toBe(true);
  });
});

describe("renderCheckRun: the table", () => {
  it("has one row per action result, with where the key was found and its role", () => {
    const { summary } = renderCheckRun(
      input({
        keys: [moving("PROJ-1", "branch"), moving("PROJ-1", "title"), reference("OPS-2", "body")],
        rows: [moved("PROJ-1", "Open", "Ready for test"), linked("PROJ-1"), linked("OPS-2")],
      }),
    );
    expect(summary.split("\n").filter((line) => line.startsWith("|"))).toEqual([
      "| Key | Found in | Role | Action | Result |",
      "| --- | --- | --- | --- | --- |",
      "| PROJ-1 | branch, title | moving | move to Ready for test | moved Open → Ready for test |",
      "| PROJ-1 | branch, title | moving | link | linked |",
      "| OPS-2 | body | reference | link | linked |",
    ]);
  });

  it("gives keys without actions a row with the skipped reason, and marks failures", () => {
    const { summary } = renderCheckRun(
      input({
        keys: [moving("PROJ-1"), moving("PROJ-2")],
        rows: [{ key: "PROJ-1", action: "move to Done", result: "not found", ok: false }],
        skipped: [{ key: "PROJ-2", reason: 'no status configured for "draft"' }],
      }),
    );
    expect(summary).toContain("| PROJ-1 | branch | moving | move to Done | ❌ not found |");
    expect(summary).toContain(
      '| PROJ-2 | branch | moving | — | skipped: no status configured for "draft" |',
    );
  });

  it("shows pending keys as pending", () => {
    const { summary } = renderCheckRun(input({ keys: [moving("PROJ-1")], pending: 1 }));
    expect(summary).toContain("| PROJ-1 | branch | moving | — | pending |");
    expect(summary).toContain("1 action still queued");
  });

  it("escapes pipes and line breaks inside cells", () => {
    const { summary } = renderCheckRun(
      input({
        keys: [moving("PROJ-1")],
        rows: [
          { key: "PROJ-1", action: "move", result: "tracker said: a | b\nsecond line", ok: false },
        ],
      }),
    );
    expect(summary).toContain("| ❌ tracker said: a \\| b second line |");
  });

  it("puts notes under the table", () => {
    const { summary } = renderCheckRun(
      input({
        keys: [moving("PROJ-1")],
        rows: [linked("PROJ-1")],
        notes: ["body truncated at 65536 characters"],
      }),
    );
    expect(summary).toMatch(/\| linked \|\n\n\*\*Notes\*\*\n- body truncated at 65536 characters$/);
  });

  it("shows the config error in a code block that its content cannot close", () => {
    const error = ".github/trackbridge.yml is invalid:\n✖ ```\n  → at statuses.approved";
    const { summary } = renderCheckRun(input({ configError: error }));
    expect(summary).toContain(`\`\`\`\`\n${error}\n\`\`\`\``);
    expect(summary).not.toContain("| Key |");
  });

  it("explains require_key when there is no moving key", () => {
    const { summary } = renderCheckRun(input({ requireKey: true }));
    expect(summary).toContain("No issue keys");
    expect(summary).toContain("`require_key: true`");
  });

  it("explains roles in the text", () => {
    const { text } = renderCheckRun(input({}));
    expect(text).toContain("**Moving**");
    expect(text).toContain("**Reference**");
  });
});

describe("renderCheckRun: GitHub's size limits", () => {
  it("drops rows that do not fit and says how many", () => {
    const keys = Array.from({ length: 3000 }, (_, index) => moving(`PROJ-${index + 1}`));
    const rows = keys.map(({ key }) => ({
      key,
      action: "move to Ready for test",
      result: `no transition to Ready for test from Open (available: ${"x".repeat(40)})`,
      ok: false,
    }));
    const { summary } = renderCheckRun(input({ keys, rows, notes: ["a note"] }));
    expect(summary.length).toBeLessThanOrEqual(CHECK_RUN_TEXT_LIMIT);
    const shown = summary.split("\n").filter((line) => line.startsWith("| PROJ-")).length;
    expect(shown).toBeGreaterThan(100);
    expect(shown).toBeLessThan(3000);
    expect(summary).toContain(`…and ${3000 - shown} more rows not shown`);
    expect(summary).toContain("- a note");
  });

  it("cuts a huge config error with a note", () => {
    const { summary } = renderCheckRun(input({ configError: "e".repeat(100_000) }));
    expect(summary.length).toBeLessThanOrEqual(CHECK_RUN_TEXT_LIMIT);
    expect(summary).toMatch(/truncated: GitHub limits a check run to 65535 characters\._$/);
  });

  it("caps one very long cell", () => {
    const { summary } = renderCheckRun(
      input({
        keys: [moving("PROJ-1")],
        rows: [{ key: "PROJ-1", action: "move", result: "r".repeat(5000), ok: false }],
      }),
    );
    expect(summary.length).toBeLessThan(2000);
    expect(summary).toContain("r…");
  });
});

describe("escapeCell", () => {
  it.each([
    { raw: "plain", escaped: "plain" },
    { raw: "a | b", escaped: "a \\| b" },
    { raw: "one\ntwo\r\nthree\rfour", escaped: "one two three four" },
    { raw: "  padded\n", escaped: "padded" },
    { raw: "||", escaped: "\\|\\|" },
  ])("$raw", ({ raw, escaped }) => {
    expect(escapeCell(raw)).toBe(escaped);
  });
});
