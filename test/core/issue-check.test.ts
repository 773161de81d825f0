import { describe, expect, it } from "vitest";
import { type IssueState, renderIssueCheck } from "../../src/core/issue-check.js";

const issue = (key: string, statusKey: string, display: string): IssueState => ({
  key,
  connection: "yandex",
  status: { key: statusKey, display },
});
const testing = issue("PROJ-1", "testing", "Testing");
const ready = issue("PROJ-2", "readyForMerge", "Ready for merge");
const unreadable: IssueState = {
  key: "PROJ-3",
  connection: "yandex",
  error: "issue PROJ-3 not found",
};

describe("the trackbridge/issue check", () => {
  it.each<[string, IssueState[], string[] | undefined, string, string]>([
    ["no gate: only reports", [testing], undefined, "neutral", "PROJ-1 (Testing)"],
    [
      "gate met by key",
      [ready],
      ["readyForMerge"],
      "success",
      "Ready to merge: PROJ-2 (Ready for merge)",
    ],
    [
      "gate met by display name, any case",
      [testing],
      ["TESTING"],
      "success",
      "Ready to merge: PROJ-1 (Testing)",
    ],
    [
      "one issue still moving",
      [testing, ready],
      ["readyForMerge"],
      "failure",
      "Waiting for PROJ-1 (Testing)",
    ],
    [
      "an unreadable issue holds the gate",
      [ready, unreadable],
      ["readyForMerge"],
      "failure",
      "Waiting for PROJ-3 (unreadable)",
    ],
    ["no issue at all", [], ["readyForMerge"], "success", "No issue to wait for"],
  ])("%s", (_name, issues, gate, conclusion, title) => {
    const check = renderIssueCheck(issues, gate);
    expect(check.conclusion).toBe(conclusion);
    expect(check.title).toBe(title);
  });

  it("lists each issue with its status and what the gate asks", () => {
    const { summary } = renderIssueCheck([testing, unreadable], ["readyForMerge", "testing"]);
    expect(summary).toContain("| PROJ-1 | Testing ✅ |");
    expect(summary).toContain("| PROJ-3 | could not read: issue PROJ-3 not found ⏳ |");
    expect(summary).toContain("Merge gate: every issue in `readyForMerge`, `testing`.");
  });
});
