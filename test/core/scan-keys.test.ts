import { describe, expect, it } from "vitest";
import { type KeyHit, type ScanWork, scanKeys } from "../../src/core/scan-keys.js";

const scan = (text: string): Array<[string, KeyHit["role"]]> =>
  scanKeys(text, { anyCase: false, truncated: false, accepts: () => true }).map((hit) => [
    hit.key,
    hit.role,
  ]);

// The phrase words are recognised by length and letters in place, without cutting the word
// out: words that share a length or a first letter with one must not pass for it.
describe("referencing words, in any case, whole words only", () => {
  it.each<[string, KeyHit["role"]]>([
    ["REF PROJ-1", "reference"],
    ["rEfS PROJ-1", "reference"],
    ["REFERENCES PROJ-1", "reference"],
    ["sEE PROJ-1", "reference"],
    ["ToWaRdS PROJ-1", "reference"],
    ["RELATED TO PROJ-1", "reference"],
    ["reLateS tO PROJ-1", "reference"],
    ["PART OF PROJ-1", "reference"],
    ["refs OPS-2 AND PROJ-1", "reference"],
    ["refs UTF PROJ-1", "moving"],
    ["refs OPS-2 Or PROJ-1", "reference"],
    ["rex PROJ-1", "moving"],
    ["refx PROJ-1", "moving"],
    ["ref1 PROJ-1", "moving"],
    ["ref_ PROJ-1", "moving"],
    ["referencez PROJ-1", "moving"],
    ["referencess PROJ-1", "moving"],
    ["sea PROJ-1", "moving"],
    ["towardz PROJ-1", "moving"],
    ["relatex to PROJ-1", "moving"],
    ["relate to PROJ-1", "moving"],
    ["related of PROJ-1", "moving"],
    ["part to PROJ-1", "moving"],
    ["parT 0f PROJ-1", "moving"],
    ["partof PROJ-1", "moving"],
    ["related, to PROJ-1", "moving"],
    ["to PROJ-1", "moving"],
    ["refs OPS-2 an PROJ-1", "moving"],
    ["refs OPS-2 o1 PROJ-1", "moving"],
    ["refs OPS-2 of PROJ-1", "moving"],
    ["refs OPS-2 anD PROJ-1", "reference"],
    ["refs OPS-2 a_d PROJ-1", "moving"],
    ["refs OPS-2 _and PROJ-1", "moving"],
  ])("%j → PROJ-1 is %s", (text, role) => {
    expect(scan(text).find(([key]) => key === "PROJ-1")).toEqual(["PROJ-1", role]);
  });
});

// The scanner skips text where no key can start and resumes at the last word that sets its
// state whatever came before. Words that do not (list words, the second word of a phrase, a
// URL's scheme, words inside a link destination) must not be taken as that word.
describe("resuming before a key: the words before it are read as in one pass", () => {
  it.each<[string, KeyHit["role"]]>([
    ["refs OPS-2 x and PROJ-1", "moving"],
    ["refs OPS-2 x or PROJ-1", "moving"],
    ["x part of PROJ-1", "reference"],
    ["x related to PROJ-1", "reference"],
    ["refs OPS-2 x of PROJ-1", "moving"],
    ["refs OPS-2 x refs://t PROJ-1", "moving"],
    ["see x [a](refs PROJ-1", "moving"],
    ["x (refs PROJ-1", "reference"],
    ["refs OPS-2 x https://t/a/b PROJ-1", "moving"],
    ["x refs https://t/a/b PROJ-1", "reference"],
    ["x refs\n\nPROJ-1", "moving"],
    ["x refs\nPROJ-1", "reference"],
  ])("%j → PROJ-1 is %s", (text, role) => {
    expect(scan(text).find(([key]) => key === "PROJ-1")).toEqual(["PROJ-1", role]);
  });
});

describe("scanKeys: linear work before the keys (counted characters, no timing)", () => {
  // Words that settle nothing ("and", a key after `/`) make the walk back before each key as
  // long as it can be: it must stop where the scan stands, not go back to the start.
  it.each([
    ["list words between keys", `${"and ".repeat(40)}/PROJ-1 `],
    ["a link destination between keys", `[a](http://t/${"x/".repeat(40)}) PROJ-1 `],
    ["keys close together", "AB-1x "],
  ])("%s", (_name, unit) => {
    const steps = (repeats: number) => {
      const work: ScanWork = { steps: 0 };
      scanKeys(
        unit.repeat(repeats),
        { anyCase: false, truncated: false, accepts: () => true },
        work,
      );
      return work.steps;
    };
    const small = steps(500);
    expect(small).toBeGreaterThan(0);
    expect(steps(4 * 500)).toBeLessThanOrEqual(4.5 * small);
  });
});
