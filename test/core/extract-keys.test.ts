import { describe, expect, it } from "vitest";
import {
  DEFAULT_DENY_LIST,
  DEFAULT_MAX_CHARS_PER_SOURCE,
  extractBranchKeys,
  extractKeys,
  extractTextKeys,
  type KeyOptions,
  type KeySourcesInput,
  MAX_ITEMS_PER_LIST,
} from "../../src/core/extract-keys.js";
import type { FoundKey, KeySource } from "../../src/core/types.js";

const keysIn = (text: string, options?: KeyOptions) =>
  extractTextKeys(text, options).map((found) => found.key);

describe("key grammar (text)", () => {
  it.each<[string, string[]]>([
    ["PROJ-1", ["PROJ-1"]],
    ["Fixes PROJ-123 today", ["PROJ-123"]],
    ["AB-9", ["AB-9"]],
    ["ABC_DEF-12 is a Jira-style key", ["ABC_DEF-12"]],
    ["P2P-7 has a digit in the project", ["P2P-7"]],
    ["PROJ_-3 may end in an underscore", ["PROJ_-3"]],
    ["A-1 has a one-letter project", []],
    ["2PROJ-1 starts with a digit", []],
    ["PROJ-0 is not an issue", []],
    ["PROJ-012 has a leading zero", []],
    ["PROJ- 12 has a space", []],
    ["PROJ--12 has two hyphens", []],
    ["PROJ-1234567890 has ten digits", ["PROJ-1234567890"]],
    ["PROJ-12345678901 has eleven digits", []],
    ["PROJ-1 and OPS-22 and PROJ-1 again", ["PROJ-1", "OPS-22"]],
    ["ABC-DEF-12 keeps the last project", ["DEF-12"]],
  ])("%j → %j", (text, expected) => {
    expect(keysIn(text)).toEqual(expected);
  });
});

describe("boundaries and versions", () => {
  it.each<[string, string[]]>([
    ["9PROJ-1 (digit before)", []],
    ["PROJ-1x (letter after)", []],
    ["PROJ-12abc", []],
    ["(PROJ-1)", ["PROJ-1"]],
    ["[PROJ-1]", ["PROJ-1"]],
    ["#PROJ-1", ["PROJ-1"]],
    ["PROJ-1,OPS-2;AB-3", ["PROJ-1", "OPS-2", "AB-3"]],
    ["https://tracker.example/browse/PROJ-12", ["PROJ-12"]],
    ["https://tracker.example/PROJ-12?focus=1", ["PROJ-12"]],
    ["Done in PROJ-12.", ["PROJ-12"]],
    ["PROJ-12. Next sentence", ["PROJ-12"]],
    ["PROJ-12.5 is a version", []],
    ["PROJ-12.x is a version", []],
    ["PROJ-12.md is a file", []],
    ["PROJ-12-3 stops at the hyphen", ["PROJ-12"]],
    ["PROJ-12_notes: underscore after counts", ["PROJ-12"]],
    // `_` before is part of the word: the project is the whole run, never its tail.
    ["JSP_JIR-123", ["JSP_JIR-123"]],
    ["1_PROJ-1 (word starts with a digit)", []],
    // Leading underscores are Markdown emphasis and are dropped.
    ["_PROJ-1_ and __OPS-2__", ["PROJ-1", "OPS-2"]],
    // Cyrillic is not a Latin letter: it is a boundary like a space.
    ["ЖPROJ-1", ["PROJ-1"]],
    ["PROJ-1Ж", ["PROJ-1"]],
    ["задачаPROJ-7готова", ["PROJ-7"]],
    ["éPROJ-1 (non-ASCII letters are boundaries)", ["PROJ-1"]],
  ])("%j → %j", (text, expected) => {
    expect(keysIn(text)).toEqual(expected);
  });
});

describe("case", () => {
  it.each<[string, KeyOptions, string[]]>([
    ["proj-1 in text", {}, []],
    ["Proj-1 in text", {}, []],
    ["PROJ-1 in text", {}, ["PROJ-1"]],
    ["xPROJ-1: a letter before joins the project", {}, []],
    ["xPROJ-1: a letter before joins the project", { ignoreCase: true }, ["XPROJ-1"]],
    ["proj-1 with ignoreCase", { ignoreCase: true }, ["PROJ-1"]],
    ["Jsp_jir-5 with ignoreCase", { ignoreCase: true }, ["JSP_JIR-5"]],
    ["utf-8 with ignoreCase is still denied", { ignoreCase: true }, []],
  ])("%j %j → %j", (text, options, expected) => {
    expect(keysIn(text, options)).toEqual(expected);
  });
});

describe("branch names", () => {
  it.each<[string, KeyOptions, string[]]>([
    ["feature/proj-123-login", {}, ["PROJ-123"]],
    ["proj-12-fix", {}, ["PROJ-12"]],
    ["PROJ-12", {}, ["PROJ-12"]],
    ["bugfix/Proj-7_typo", {}, ["PROJ-7"]],
    ["proj-1-and-ops-2", {}, ["PROJ-1", "OPS-2"]],
    ["proj-1/proj-1-again", {}, ["PROJ-1"]],
    ["renovate/node-20.x", {}, []],
    ["dependabot/npm_and_yarn/lodash-4.17.21", {}, []],
    ["patch-1", {}, []],
    ["revert-42-feature/proj-5", {}, ["PROJ-5"]],
    ["release-2", {}, []],
    ["feature/a-1", {}, []],
    ["proj-0-zero", {}, []],
    ["ops-3-and-proj-4", { projects: ["proj"] }, ["PROJ-4"]],
    ["team-9-x", { deny: ["team"] }, []],
  ])("%j %j → %j", (branch, options, expected) => {
    expect(extractBranchKeys(branch, options)).toEqual(expected);
  });
});

describe("skipped Markdown", () => {
  it.each<[string, string[]]>([
    ["```\nPROJ-1\n```\nOPS-2", ["OPS-2"]],
    ["~~~\nPROJ-1\n~~~\nOPS-2", ["OPS-2"]],
    ["```ts\nPROJ-1\n```", []],
    ["   ```\nPROJ-1\n   ```\nOPS-2", ["OPS-2"]],
    ["    ```\nPROJ-1 (4-space indent: no fence)", ["PROJ-1"]],
    ["````\n```\nPROJ-1\n````\nOPS-2", ["OPS-2"]],
    ["```\n~~~\nPROJ-1\n```\nOPS-2", ["OPS-2"]],
    ["~~~\n```\nPROJ-1\n~~~\nOPS-2", ["OPS-2"]],
    ["```\nPROJ-1\n``` not a closer\nOPS-2", []],
    ["```\nunterminated\nPROJ-1", []],
    ["``` `x` ```\nPROJ-1 (backtick in info: inline code, no fence)", ["PROJ-1"]],
    ["```\r\nPROJ-1\r\n```\r\nOPS-2", ["OPS-2"]],
    ["> PROJ-1\nOPS-2", ["OPS-2"]],
    ["   > PROJ-1", []],
    [">PROJ-1", []],
    ["    > PROJ-1 (4 spaces: not a quote)", ["PROJ-1"]],
    ["a > PROJ-1 (not at line start)", ["PROJ-1"]],
    ["<!-- PROJ-1 --> OPS-2", ["OPS-2"]],
    ["<!--\nPROJ-1\n-->\nOPS-2", ["OPS-2"]],
    ["<!-- PROJ-1", []],
    ["AB-1 <!-- PROJ-1 --> OPS-2 <!-- CD-4 --> EF-5", ["AB-1", "OPS-2", "EF-5"]],
    ["<!-->PROJ-1", ["PROJ-1"]],
    ["<!-- ```\n--> PROJ-1", ["PROJ-1"]],
    ["PROJ<!-- x -->-1", []],
    ["`PROJ-1` in inline code counts", ["PROJ-1"]],
    ["`<!--` PROJ-1 (a comment opener in inline code opens nothing)", ["PROJ-1"]],
    ["`` ` `` PROJ-1", ["PROJ-1"]],
    ["> <!-- a quote line opens no comment\nPROJ-1", ["PROJ-1"]],
  ])("%j → %j", (text, expected) => {
    expect(keysIn(text)).toEqual(expected);
  });
});

describe("allow-list and deny-list", () => {
  it.each<[string, KeyOptions, string[]]>([
    ["UTF-8", {}, []],
    ["UCS-2", {}, []],
    ["SHA-256", {}, []],
    ["MD-5", {}, []],
    ["ISO-8601", {}, []],
    ["ISO-8859-1", {}, []],
    ["IEC-62304", {}, []],
    ["RFC-9110", {}, []],
    ["CVE-2024-3094", {}, []],
    ["CWE-79", {}, []],
    ["GPT-4", {}, []],
    ["COVID-19", {}, []],
    ["AES-256 and RSA-2048", {}, []],
    ["TLS-1 SSL-3 HTTP-2", {}, []],
    ["ECMA-262 ES-2015 PEP-8 IEEE-754", {}, []],
    ["WIN-32 ARM-64 X86-64", {}, []],
    ["UTC-5 GMT-3", {}, []],
    ["node LTS-20", {}, []],
    ["PR-12 and GH-7", {}, []],
    ["PROJ-1 UTF-8", {}, ["PROJ-1"]],
    ["TEAM-1 PROJ-2", { deny: ["team"] }, ["PROJ-2"]],
    ["PROJ-1 OPS-2 AB-3", { projects: ["PROJ", "ops"] }, ["PROJ-1", "OPS-2"]],
    ["ARM-64 PROJ-1", { projects: ["ARM"] }, ["ARM-64"]],
    ["UTF-8 PROJ-1", { projects: ["UTF"], deny: ["UTF"] }, ["UTF-8"]],
    ["PROJECT-1 PROJ-2", { projects: ["PROJ"] }, ["PROJ-2"]],
    ["UTF-8 PROJ-1", { projects: [] }, ["PROJ-1"]],
  ])("%j %j → %j", (text, options, expected) => {
    expect(keysIn(text, options)).toEqual(expected);
  });

  it("the default deny-list holds the required prefixes, upper-case", () => {
    const required = ["UTF", "UCS", "SHA", "MD", "ISO", "IEC", "RFC", "CVE", "CWE", "GPT"]
      .concat(["COVID", "AES", "RSA", "TLS", "SSL", "HTTP", "ECMA", "ES", "PEP", "IEEE"])
      .concat(["WIN", "UTC", "GMT", "ARM", "LTS"]);
    expect(DEFAULT_DENY_LIST).toEqual(expect.arrayContaining(required));
    for (const prefix of DEFAULT_DENY_LIST) expect(prefix).toBe(prefix.toUpperCase());
  });
});

describe("roles", () => {
  it.each<[string, Array<[string, "moving" | "reference"]>, KeyOptions?]>([
    ["PROJ-1", [["PROJ-1", "moving"]]],
    ["refs PROJ-1", [["PROJ-1", "reference"]]],
    ["Ref: PROJ-1", [["PROJ-1", "reference"]]],
    ["References PROJ-1", [["PROJ-1", "reference"]]],
    ["SEE PROJ-1", [["PROJ-1", "reference"]]],
    ["towards #PROJ-1", [["PROJ-1", "reference"]]],
    ["Related to PROJ-1", [["PROJ-1", "reference"]]],
    ["relates to: PROJ-1", [["PROJ-1", "reference"]]],
    ["This is part of PROJ-1", [["PROJ-1", "reference"]]],
    ["part\nof PROJ-1", [["PROJ-1", "reference"]]],
    ["part. of PROJ-1", [["PROJ-1", "moving"]]],
    ["of PROJ-1", [["PROJ-1", "moving"]]],
    [
      "refs PROJ-1, PROJ-2 and PROJ-3",
      [
        ["PROJ-1", "reference"],
        ["PROJ-2", "reference"],
        ["PROJ-3", "reference"],
      ],
    ],
    [
      "Related to:\n- PROJ-1\n- PROJ-2",
      [
        ["PROJ-1", "reference"],
        ["PROJ-2", "reference"],
      ],
    ],
    [
      "refs PROJ-1 and fixes PROJ-2",
      [
        ["PROJ-1", "reference"],
        ["PROJ-2", "moving"],
      ],
    ],
    [
      "see PROJ-1. PROJ-2 is done",
      [
        ["PROJ-1", "reference"],
        ["PROJ-2", "moving"],
      ],
    ],
    [
      "Refs PROJ-1\n\nPROJ-2 after a blank line",
      [
        ["PROJ-1", "reference"],
        ["PROJ-2", "moving"],
      ],
    ],
    ["see the docs for PROJ-1", [["PROJ-1", "moving"]]],
    ["seeds PROJ-1 (whole words only)", [["PROJ-1", "moving"]]],
    ["refs [PROJ-1](https://tracker.example/browse/PROJ-1)", [["PROJ-1", "reference"]]],
    ["see https://tracker.example/browse/PROJ-1", [["PROJ-1", "reference"]]],
    ["refs **PROJ-1**", [["PROJ-1", "reference"]]],
    ["refs PROJ-1, fixes PROJ-1 (moving wins)", [["PROJ-1", "moving"]]],
    ["PROJ-1 first, refs PROJ-1 later (moving wins)", [["PROJ-1", "moving"]]],
    ["refs OPS-1, PROJ-2 (OPS is not allowed)", [["PROJ-2", "reference"]], { projects: ["PROJ"] }],
    ["refs UTF-8, PROJ-2 (a denied key continues the list)", [["PROJ-2", "reference"]]],
  ])("%j", (text, expected, options = {}) => {
    const found = extractTextKeys(text, options).map((k) => [k.key, k.role]);
    expect(found).toEqual(expected);
  });
});

describe("order, sources and roles across sources", () => {
  const everything: KeySourcesInput = {
    branch: "feature/br-1",
    title: "TI-2 and BR-1",
    body: "BO-3, refs TI-2",
    comments: ["CO-4", "refs CO-5"],
    commits: ["CM-6", "refs BO-3", "CO-5 done"],
  };
  const all: FoundKey[] = [
    { key: "BR-1", role: "moving", source: "branch" },
    { key: "TI-2", role: "moving", source: "title" },
    { key: "BO-3", role: "moving", source: "body" },
    { key: "CO-4", role: "moving", source: "comments" },
    { key: "CO-5", role: "moving", source: "comments" },
    { key: "CM-6", role: "moving", source: "commits" },
  ];
  it.each<[string, KeySourcesInput, KeySource[] | undefined, FoundKey[]]>([
    ["all sources, first appearance wins", everything, undefined, all],
    [
      "only branch and commits",
      everything,
      ["branch", "commits"],
      [
        { key: "BR-1", role: "moving", source: "branch" },
        { key: "CM-6", role: "moving", source: "commits" },
        { key: "BO-3", role: "reference", source: "commits" },
        { key: "CO-5", role: "moving", source: "commits" },
      ],
    ],
    ["from: [] reads nothing", everything, [], []],
    [
      "a branch key is moving even when the body only refers to it",
      { branch: "proj-1", body: "refs PROJ-1" },
      undefined,
      [{ key: "PROJ-1", role: "moving", source: "branch" }],
    ],
    [
      "a later moving mention upgrades an earlier reference",
      { body: "refs PROJ-1", commits: ["PROJ-1: fix"] },
      undefined,
      [{ key: "PROJ-1", role: "moving", source: "body" }],
    ],
    ["no input, no keys", {}, undefined, []],
  ])("%s", (_name, input, from, expected) => {
    const result = extractKeys(input, from ? { from } : {});
    expect(result.keys).toEqual(expected);
    expect(result.notes).toEqual([]);
  });
});

describe("caps and notes", () => {
  const long = `PROJ-1 ${"x".repeat(1_048_576)} OPS-2`;
  const max = DEFAULT_MAX_CHARS_PER_SOURCE;
  it.each<[string, KeySourcesInput, KeyOptions, string[], string[]]>([
    [
      "a key past the body cap is not read",
      { body: long },
      {},
      ["PROJ-1"],
      [`body: read the first ${max} of ${long.length} characters`],
    ],
    [
      "a key cut in half by the cap is dropped, not shortened",
      { body: `${" ".repeat(max - 6)}PROJ-123456` },
      {},
      [],
      [`body: read the first ${max} of ${max + 5} characters`],
    ],
    [
      "a key ending with '.' right at the cut is dropped too",
      { title: "PROJ-12.5" },
      { maxCharsPerSource: 8 },
      [],
      ["title: read the first 8 of 9 characters"],
    ],
    [
      "a text exactly at the cap is whole",
      { title: "PROJ-123" },
      { maxCharsPerSource: 8 },
      ["PROJ-123"],
      [],
    ],
    [
      "comments beyond the list cap are not read",
      { comments: [...Array.from({ length: 900 }, () => "nothing"), "PROJ-9"] },
      {},
      [],
      [`comments: read ${MAX_ITEMS_PER_LIST} of 901`],
    ],
    [
      "commits beyond the list cap are not read; those within are",
      { commits: ["PROJ-1", ...Array.from({ length: 300 }, () => "OPS-2")] },
      {},
      ["PROJ-1", "OPS-2"],
      [`commits: read ${MAX_ITEMS_PER_LIST} of 301`],
    ],
    [
      "long comments are counted in one note",
      { comments: ["PROJ-1 xxxxxxxxxxxx", "short", "OPS-2 yyyyyyyyyyyyyy"] },
      { maxCharsPerSource: 10 },
      ["PROJ-1", "OPS-2"],
      ["comments: read the first 10 characters of each of 2 longer ones"],
    ],
    [
      "the branch has a cap too",
      { branch: "proj-1-abcdef" },
      { maxCharsPerSource: 4 },
      [],
      ["branch: read the first 4 of 13 characters"],
    ],
  ])("%s", (_name, input, options, keys, notes) => {
    const result = extractKeys(input, options);
    expect(result.keys.map((k) => k.key)).toEqual(keys);
    expect(result.notes).toEqual(notes);
  });
});

describe("adversarial 1 MB bodies (correctness only; the scanner is single-pass)", () => {
  const MB = 1_048_576;
  // Whole units only, so a unit cut in half cannot glue itself to what follows.
  const fill = (unit: string) => unit.repeat(Math.ceil(MB / unit.length));
  const whole: KeyOptions = { maxCharsPerSource: 4 * MB };
  it.each<[string, string, string[]]>([
    ["A-A-A-…", fill("A-"), []],
    ["AAAA…-", `${fill("A")}-`, []],
    ["AAAA…-1 (a 1 MB project is still a project)", `${fill("A")}-1`, [`${fill("A")}-1`]],
    ["AB-1AB-1… (letters glued after every number)", `${fill("AB-1")}x`, []],
    ["AB-1 AB-1 … deduplicated", fill("AB-1 "), ["AB-1"]],
    ["refs refs refs … PROJ-1", `${fill("refs ")}PROJ-1`, ["PROJ-1"]],
    ["<!-- repeated, closed on the last line", `${fill("<!--")}\n--> PROJ-1`, ["PROJ-1"]],
    ["<!-- repeated, never closed", `${fill("<!--")} PROJ-1`, []],
    ["``` lines in pairs, then a key", `${fill("```\n")}PROJ-1`, ["PROJ-1"]],
    ["``` repeated on one line", `${fill("```")}\nPROJ-1`, []],
    ["backtick runs of growing length", `${fill("`x``x```x````x")}\nPROJ-1`, ["PROJ-1"]],
    ["PROJ- then a million digits", `PROJ-${fill("1")}`, []],
    ["a key then a million digits", `PROJ-1 ${fill("9")}`, ["PROJ-1"]],
    ["> quote lines", `${fill("> PROJ-1\n")}\nOPS-2`, ["OPS-2"]],
    ["](  link openers", `${fill("](")} PROJ-1`, ["PROJ-1"]],
  ])("%s", (_name, body, expected) => {
    expect(extractKeys({ body }, whole).keys.map((k) => k.key)).toEqual(expected);
    // With the default cap only the first 64 KiB are read, and the result says so.
    const capped = extractKeys({ body });
    expect(capped.notes).toEqual([
      `body: read the first ${DEFAULT_MAX_CHARS_PER_SOURCE} of ${body.length} characters`,
    ]);
  });
});
