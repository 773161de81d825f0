import { describe, expect, it } from "vitest";
import { type MaskWork, maskIgnoredMarkdown } from "../../src/core/mask-markdown.js";

const blank = (text: string) => text.replace(/[^\n]/g, " ");
const ticks = (n: number) => "`".repeat(n);

describe("maskIgnoredMarkdown: exact output", () => {
  it.each<[string, string, string]>([
    ["nothing to mask", "PROJ-1 -> OPS-2 `x`", "PROJ-1 -> OPS-2 `x`"],
    ["a quote line", "a\n> PROJ-1\nb", "a\n        \nb"],
    ["an indented quote line", "   > PROJ-1", "           "],
    ["4 spaces: no quote", "    > PROJ-1", "    > PROJ-1"],
    ["a comment between texts", "a <!-- x --> b", "a            b"],
    ["two comments glued by one character", "<!---->x<!---->", "       x       "],
    ["a comment over lines", "a <!--\nx\n--> b", "a     \n \n    b"],
    ["a comment never closed", "a <!-- x\nPROJ-1\n> q", "a       \n      \n   "],
    ["a code span hides an opener", "`<!--` PROJ-1", "`<!--` PROJ-1"],
    ["runs of other lengths hide nothing", "`` <!-- ` --> ```", "``            ```"],
    ["unmatched runs, then a comment", "```` ``` `` ` x <!-- c -->", "```` ``` `` ` x           "],
    ["a span closed by the same length", "`` ` <!-- `` -->", "`` ` <!-- `` -->"],
    ["spans around a comment", "`a` <!-- c --> `b`", "`a`            `b`"],
    ["the rest of a comment's last line", "<!--\nx --> `<!--` y", "    \n      `<!--` y"],
    ["an opener after a comment's last line", "<!--\n--> ` <!-- y", "    \n    `       "],
    ["a fence", "```\nPROJ-1\n```\nOPS-2", "   \n      \n   \nOPS-2"],
    ["nested fences", "````\n```\nA-1\n```\n````\nB-2", "    \n   \n   \n   \n    \nB-2"],
    ["a tilde fence around backticks", "~~~\n```\n~~~~\nB-2", "   \n   \n    \nB-2"],
    ["an unclosed fence", "x\n```\nA-1\n", "x\n   \n   \n"],
    ["backtick in the info string: no fence", "``` `x` ```\nA-1", "``` `x` ```\nA-1"],
    ["CR line ends in a fence", "```\r\nA\r\n```\r\nB", "    \n  \n    \nB"],
    ["a fence inside a comment opens nothing", "<!--\n```\n-->\nA-1", "    \n   \n   \nA-1"],
    ["a comment inside a fence opens nothing", "```\n<!--\n```\nA-1", "   \n    \n   \nA-1"],
    ["a quote line opens no comment", "> <!--\nA-1", "      \nA-1"],
  ])("%s", (_name, text, expected) => {
    expect(maskIgnoredMarkdown(text)).toBe(expected);
  });

  it("returns the very same string when there is nothing to mask", () => {
    const text = `${"A".repeat(100_000)}-1 refs PROJ-2`;
    expect(maskIgnoredMarkdown(text)).toBe(text);
  });
});

describe("maskIgnoredMarkdown: long adversarial shapes", () => {
  const big = 100_000;
  const closedSpans = "`a` ``b`` ".repeat(big / 10);
  const hiddenOpener = "`<!--`";
  it.each<[string, string, string]>([
    [
      "one long run, unmatched, then a comment",
      `x ${ticks(big)} <!-- x --> A-1`,
      `x ${ticks(big)}            A-1`,
    ],
    [
      "a long run closed by one as long hides the opener",
      `x ${ticks(big)}<!--${ticks(big)}-->`,
      `x ${ticks(big)}<!--${ticks(big)}-->`,
    ],
    [
      "a long run and one a backtick shorter hide nothing",
      `x ${ticks(big)}<!--${ticks(big - 1)}-->`,
      `x ${ticks(big)}${" ".repeat(big + 6)}`,
    ],
    [
      "runs of growing length, then a comment",
      `${Array.from({ length: 400 }, (_, k) => ticks(k + 1)).join("x")} <!-- -->`,
      `${Array.from({ length: 400 }, (_, k) => ticks(k + 1)).join("x")}         `,
    ],
    [
      "many closed spans, then one hiding an opener, then a comment",
      `${closedSpans}${hiddenOpener} <!-- x -->`,
      `${closedSpans}${hiddenOpener}           `,
    ],
    [
      "many comments and spans on one line",
      `${"<!---->` `".repeat(big / 10)}<!-- x`,
      `${"       ` `".repeat(big / 10)}      `,
    ],
    ["fence lines in pairs", `${"```\n".repeat(big)}A-1`, `${"   \n".repeat(big)}A-1`],
    ["quote lines", `${"> A-1\n".repeat(big)}B-2`, `${"     \n".repeat(big)}B-2`],
    [
      "openers, never closed",
      `${"<!-- x ".repeat(big / 7)}\nA-1`,
      blank(`${"<!-- x ".repeat(big / 7)}\nA-1`),
    ],
  ])("%s", (_name, text, expected) => {
    const masked = maskIgnoredMarkdown(text);
    expect(masked.length).toBe(expected.length);
    expect(masked === expected).toBe(true);
  });
});

describe("maskIgnoredMarkdown: what any output keeps", () => {
  // Seeded, so a failure reproduces.
  let seed = 42;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const pieces = ["`", "``", "```", "~~~", "<!--", "-->", ">", " ", "   ", "\n", "\r", "x", "A-1"];
  const texts = Array.from({ length: 300 }, () =>
    Array.from(
      { length: Math.floor(random() * 40) },
      () => pieces[Math.floor(random() * pieces.length)]!,
    ).join(""),
  );

  it("keeps the length and the newlines, and only blanks characters", () => {
    for (const text of texts) {
      const masked = maskIgnoredMarkdown(text);
      expect(masked.length).toBe(text.length);
      for (let i = 0; i < text.length; i++) {
        const kept = masked[i] === text[i];
        const blanked = masked[i] === " " && text[i] !== "\n";
        expect(kept || blanked, `${JSON.stringify(text)} at ${i}`).toBe(true);
      }
    }
  });
});

describe("maskIgnoredMarkdown: linear work (counted steps, no timing)", () => {
  const fill = (unit: string, size: number) => unit.repeat(Math.ceil(size / unit.length));
  const growing = (size: number) => {
    const runs: string[] = [];
    let length = 0;
    for (let k = 1; length < size; k++) {
      runs.push(ticks(k));
      length += k + 1;
    }
    return runs.join("x");
  };
  // Each builds a text of about `size` characters that makes the masker read code spans.
  const shapes: Array<[string, (size: number) => string]> = [
    ["` `` ``` runs, an opener at the end", (size) => `${fill("` `` ``` ", size)}<!--`],
    ["runs of growing length, an opener at the end", (size) => `${growing(size)}<!--`],
    ["one long run, an opener at the end", (size) => `x ${ticks(size)}<!--`],
    ["comments and spans glued on one line", (size) => fill("<!---->` ``", size)],
    ["lines of spans and comments", (size) => fill("`` ` <!-- -->\n", size)],
    ["fence lines in pairs", (size) => fill("```\n", size)],
    ["no fence: a backtick in the info", (size) => fill("```x`\n", size)],
    ["quote lines", (size) => fill("> x\n", size)],
    ["openers, never closed", (size) => fill("<!-- x ", size)],
    ["comments over lines", (size) => fill("<!--\n-->", size)],
  ];

  it.each(shapes)("%s", (_name, make) => {
    const steps = (size: number) => {
      const work: MaskWork = { steps: 0 };
      maskIgnoredMarkdown(make(size), work);
      return work.steps;
    };
    const small = steps(20_000);
    const large = steps(320_000);
    // A few steps per character at most, and 16 times the text is about 16 times the work
    // (a per-line or per-run rescan of the line would be far above both).
    expect(large).toBeLessThanOrEqual(4 * 320_000);
    expect(large / small).toBeLessThanOrEqual(16 * 1.1);
    expect(small).toBeGreaterThan(0);
  });
});
