/** The README's capability table is the registry's: `npm run readme:capabilities` rewrites it. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { capabilityMarkdown, withCapabilityTable } from "../../src/trackers/capability-table.js";
import { CAPABILITY_LABEL } from "../../src/trackers/kind.js";
import { TRACKER_KINDS } from "../../src/trackers/kinds.js";

describe("the README's capability table", () => {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

  it("is what the registry declares (run `npm run readme:capabilities` after changing a kind)", () => {
    expect(withCapabilityTable(readme)).toBe(readme);
  });

  it("has a column per adapter mode and a row per capability", () => {
    const table = capabilityMarkdown();
    for (const kind of TRACKER_KINDS) {
      for (const mode of kind.modes) expect(table.split("\n")[1]).toContain(` ${mode.label} `);
    }
    for (const label of Object.values(CAPABILITY_LABEL)) expect(table).toContain(`| ${label} |`);
  });
});
