/** GitHub issue references as keys (a GitHub project's key style): table-driven. */
import { describe, expect, it } from "vitest";
import { extractKeys, extractTextKeys } from "../../src/core/extract-keys.js";
import { githubIssueKey, scanGitHubRefs } from "../../src/core/scan-github-refs.js";

const REPO = "acme/web";
const github = { style: { kind: "github" as const, repo: REPO } };

describe("scanGitHubRefs", () => {
  it.each([
    ["Closes #12", [["acme/web#12", "moving"]]],
    [
      "fixes Acme/API#3 and #4",
      [
        ["acme/api#3", "moving"],
        ["acme/web#4", "moving"],
      ],
    ],
    [
      "refs #1, #2 and other/repo#9",
      [
        ["acme/web#1", "reference"],
        ["acme/web#2", "reference"],
        ["other/repo#9", "reference"],
      ],
    ],
    [
      "part of #5. Closes #6",
      [
        ["acme/web#5", "reference"],
        ["acme/web#6", "moving"],
      ],
    ],
    ["see https://github.com/acme/api/issues/77", [["acme/api#77", "reference"]]],
    ["https://github.com/acme/api/pull/77 is a PR", []],
    ["issue#12 a#b #0 #012 C# 1#2 x-#3 &#39;", []],
    ["(#12)", [["acme/web#12", "moving"]]],
  ])("%s", (text, expected) => {
    expect(scanGitHubRefs(text, REPO).map((h) => [h.key, h.role])).toEqual(expected);
  });

  it("normalizes a written key, and refuses what is not one", () => {
    expect(githubIssueKey("Acme/Web#12")).toBe("acme/web#12");
    expect(githubIssueKey("#12")).toBeNull();
    expect(githubIssueKey("PROJ-12")).toBeNull();
  });
});

describe("extractKeys with the GitHub style", () => {
  it("reads references from text, none from the branch, and skips code", () => {
    const { keys } = extractKeys(
      {
        branch: "12-login",
        title: "Login (#12)",
        body: "Closes #12\n\n```\n#99\n```\nPROJ-4",
        comments: ["refs acme/api#3"],
        commits: ["fix #13"],
      },
      github,
    );
    expect(keys).toEqual([
      { key: "acme/web#12", role: "moving", source: "title" },
      { key: "acme/api#3", role: "reference", source: "comments" },
      { key: "acme/web#13", role: "moving", source: "commits" },
    ]);
  });

  it.each([
    ["12-login-form", ["acme/web#12"]],
    ["feature/12-login", ["acme/web#12"]],
    ["12-x/followup", []],
    ["login-12", []],
    ["012-x", []],
    ["main", []],
  ])("with branches: the issue of GitHub's issue branch %s", (branch, expected) => {
    const style = { kind: "github" as const, repo: "Acme/Web", branches: true };
    expect(extractKeys({ branch }, { style }).keys.map((k) => k.key)).toEqual(expected);
  });

  it("adds GitHub's closing references as moving keys, once", () => {
    const { keys } = extractKeys(
      { body: "Closes #12", closing: ["acme/web#12", "Acme/Web#40", "not a key"] },
      github,
    );
    expect(keys).toEqual([
      { key: "acme/web#12", role: "moving", source: "body" },
      { key: "acme/web#40", role: "moving", source: "body" },
    ]);
  });

  it("a bare #12 is no key for any other tracker, and closing references are not read", () => {
    expect(extractKeys({ body: "Closes #12", closing: ["acme/web#12"] }).keys).toEqual([]);
    expect(extractTextKeys("Closes #12, PROJ-3")).toEqual([{ key: "PROJ-3", role: "moving" }]);
  });

  it("does not read a reference cut at the end of a long text", () => {
    const { keys } = extractKeys({ body: "Closes #123" }, { ...github, maxCharsPerSource: 10 });
    expect(keys).toEqual([]);
  });
});
