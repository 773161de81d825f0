/**
 * Numeric keys (issue 21 §1): a connection that numbers its tickets has a key prefix, and
 * `RM-4521`, `RM#4521` (and `rm-4521` with ignore_case) mean its ticket 4521; a bare `#4521`
 * is GitHub's own and never a key; Redmine's keywords count only when the repo opts in.
 */
import { describe, expect, it } from "vitest";
import { generateCorpus } from "../../bench/corpus.js";
import { numberedConnections, withConnectionKeys } from "../../src/core/connection-keys.js";
import { extractKeys, extractTextKeys, type KeyOptions } from "../../src/core/extract-keys.js";
import {
  configToKeyOptions,
  parseRepoConfig,
  type RepoConfig,
} from "../../src/core/repo-config.js";

const REDMINE = { prefix: "RM", connection: "redmine", keywords: false };
const keysIn = (text: string, options: KeyOptions) =>
  extractTextKeys(text, options).map((k) => `${k.key}:${k.role}`);

describe("numeric keys in text", () => {
  it.each<[string, KeyOptions, string[]]>([
    ["RM-4521 done", { numeric: REDMINE }, ["RM-4521:moving"]],
    ["RM#4521 done", { numeric: REDMINE }, ["RM-4521:moving"]],
    [
      "rm-4521 and rm#12",
      { numeric: REDMINE, ignoreCase: true },
      ["RM-4521:moving", "RM-12:moving"],
    ],
    ["rm-4521 without ignore_case", { numeric: REDMINE }, []],
    ["#4521 is GitHub's", { numeric: REDMINE }, []],
    ["Merge pull request #4521 from acme/fix", { numeric: REDMINE }, []],
    ["fixes #4521 without the opt-in", { numeric: REDMINE }, []],
    ["PROJ-7 is not the connection's", { numeric: REDMINE }, []],
    ["OPS#7 is no key at all", { numeric: REDMINE }, []],
    ["refs RM-3", { numeric: REDMINE }, ["RM-3:reference"]],
    ["RM#3.5 is a version", { numeric: REDMINE }, []],
    ["RM#0 has no ticket", { numeric: REDMINE }, []],
    ["UTF-8 CVE-2024-3094 RM-9", { numeric: REDMINE }, ["RM-9:moving"]],
    ["Without a numeric connection RM#12 is nothing", {}, []],
  ])("%j → %j", (text, options, expected) => {
    expect(keysIn(text, options)).toEqual(expected);
  });
});

describe("Redmine keywords (keys.redmine_keywords)", () => {
  const keywords = { numeric: { ...REDMINE, keywords: true } };
  it.each<[string, string[]]>([
    ["fixes #12", ["RM-12:moving"]],
    ["Closes #12", ["RM-12:moving"]],
    ["refs #12", ["RM-12:reference"]],
    ["references #12 and IssueID #13", ["RM-12:reference", "RM-13:reference"]],
    ["#12 fixes", []],
    ["fixes the bug in #12", []],
    ["fixes: #12", []],
    ["fixes #12abc", []],
    ["see #12", []],
    ["fixes #12, thanks to #99", ["RM-12:moving"]],
  ])("%j → %j", (text, expected) => {
    expect(keysIn(text, keywords)).toEqual(expected);
  });

  it("says on the check run which connection the number went to", () => {
    const { keys, notes } = extractKeys(
      { title: "Login fix", commits: ["fixes #12 login", "refs #12 again"] },
      keywords,
    );
    expect(keys).toEqual([{ key: "RM-12", role: "moving", source: "commits" }]);
    expect(notes).toEqual(['"fixes #12" in commits → RM-12 (connection redmine)']);
  });

  it("reads RM-12 in a branch name, never a keyword there", () => {
    expect(extractKeys({ branch: "feature/rm-12-login" }, keywords).keys).toEqual([
      { key: "RM-12", role: "moving", source: "branch" },
    ]);
  });
});

describe("the repo config and its connection's prefix", () => {
  const numbered = numberedConnections([
    { name: "redmine", type: "redmine", keyPrefix: "rm" },
    { name: "rt", type: "request-tracker", keyPrefix: "RT" },
    { name: "jira", type: "jira" },
  ]);
  const config = (raw: unknown): RepoConfig => {
    const parsed = parseRepoConfig(raw);
    if (!parsed.ok) throw new Error(parsed.error);
    return parsed.config;
  };
  const keyed = (raw: unknown, connection: string) =>
    withConnectionKeys(config(raw), connection, numbered, ".github/trackbridge.yml");

  it("a numbered connection's repository reads only its prefix's keys", () => {
    const result = keyed({ keys: { redmine_keywords: true } }, "redmine");
    if (!result.ok) throw new Error(result.error);
    expect(configToKeyOptions(result.config)).toMatchObject({
      projects: ["RM"],
      numeric: { prefix: "RM", connection: "redmine", keywords: true },
    });
  });

  it("another connection's repository never takes a numbered prefix as a project", () => {
    const result = keyed({}, "jira");
    if (!result.ok) throw new Error(result.error);
    const options = configToKeyOptions(result.config);
    expect(options.deny).toEqual(["RM", "RT"]);
    expect(
      extractKeys({ body: "PROJ-1 and RM-2 and RT-3" }, options).keys.map((k) => k.key),
    ).toEqual(["PROJ-1"]);
  });

  it.each<[unknown, string, RegExp]>([
    [
      { keys: { projects: ["PROJ", "RM"] } },
      "jira",
      /keys\.projects: "RM" is the key prefix of connection "redmine" \(redmine\)/,
    ],
    [
      { keys: { projects: ["PROJ"] } },
      "redmine",
      /connection "redmine" \(redmine\) numbers its tickets, and its keys are RM-123 only/,
    ],
    [
      { keys: { redmine_keywords: true } },
      "rt",
      /keys\.redmine_keywords: connection "rt" is not a Redmine connection/,
    ],
    [{ keys: { redmine_keywords: true } }, "jira", /"fixes #123" would be GitHub's #123/],
  ])("refuses %j on %s with a message naming the field", (raw, connection, message) => {
    const result = keyed(raw, connection);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toMatch(/^\.github\/trackbridge\.yml: /);
      expect(result.error).toMatch(message);
    }
  });
});

describe("corpus: no bare #N ever becomes a ticket key; RM-N and RT-N always map to their connection", () => {
  const { docs } = generateCorpus({ seed: 21, targetBytes: 400_000 });
  const options = (prefix: string, connection: string, keywords: boolean): KeyOptions => ({
    numeric: { prefix, connection, keywords },
    ignoreCase: true,
  });

  it("holds over every generated pull request", () => {
    expect(docs.length).toBeGreaterThan(50);
    let checked = 0;
    docs.forEach((doc, i) => {
      // Numbers that differ per form, so a key can only come from its own form.
      const [rm, rmHash, rt, bare, merge, fix, ghFix] = [1, 2, 3, 4, 5, 6, 7].map(
        (k) => i * 10 + k,
      );
      const input = {
        branch: i % 3 === 0 ? `feature/rm-${rm}-${doc.branch.replace(/[^a-z]/gi, "")}` : doc.branch,
        title: `${doc.title} (#${merge})`,
        body: `${doc.body}\n\nRM#${rmHash} and RT-${rt}. Also #${bare}. Closes #${ghFix}`,
        commits: [...doc.commits, `Merge pull request #${merge} from acme/x`, `fixes #${fix}`],
      };
      const redmine = extractKeys(input, options("RM", "redmine", false)).keys.map((k) => k.key);
      expect(redmine.sort()).toEqual(
        (i % 3 === 0 ? [`RM-${rm}`, `RM-${rmHash}`] : [`RM-${rmHash}`]).sort(),
      );
      const withKeywords = extractKeys(input, options("RM", "redmine", true)).keys.map(
        (k) => k.key,
      );
      for (const n of [bare, merge]) expect(withKeywords).not.toContain(`RM-${n}`);
      expect(withKeywords).toContain(`RM-${fix}`);
      expect(withKeywords).toContain(`RM-${ghFix}`); // "Closes #N" is a Redmine keyword once opted in
      const rtKeys = extractKeys(input, options("RT", "rt", false)).keys.map((k) => k.key);
      expect(rtKeys).toEqual([`RT-${rt}`]);
      checked++;
    });
    expect(checked).toBe(docs.length);
  });
});
