import { describe, expect, it } from "vitest";
import { lifecycleRank, planRank, REOPEN_RANK } from "../../src/core/lifecycle-rank.js";
import { restrictToNewKeys } from "../../src/core/restrict-to-new-keys.js";
import type { Plan } from "../../src/core/types.js";

describe("lifecycleRank orders events of one second", () => {
  it.each([
    ["opened", "approved"],
    ["draft", "changes_requested"],
    ["ready", "approved"],
    ["approved", "merged"],
    ["changes_requested", "closed"],
  ] as const)("%s before %s", (earlier, later) => {
    expect(lifecycleRank(earlier)).toBeLessThan(lifecycleRank(later));
  });
  it("a reopen ranks above a close; a plan without moves ranks 0", () => {
    expect(REOPEN_RANK).toBeGreaterThan(lifecycleRank("closed"));
    expect(planRank([])).toBe(0);
    expect(
      planRank([{ kind: "move", key: "P-1", target: "x", trigger: "merged", protect: [] }]),
    ).toBe(3);
  });
});

describe("restrictToNewKeys", () => {
  const plan: Plan = {
    keys: [
      { key: "PROJ-1", role: "moving", source: "branch" },
      { key: "PROJ-2", role: "moving", source: "comments" },
    ],
    actions: [
      { kind: "move", key: "PROJ-1", target: "x", trigger: "opened", protect: [] },
      { kind: "move", key: "PROJ-2", target: "x", trigger: "opened", protect: [] },
    ],
    skipped: [{ key: "PROJ-1", reason: "r" }],
    notes: ["n"],
  };
  it("keeps only what belongs to new keys", () => {
    expect(restrictToNewKeys(plan, new Set(["PROJ-1"]))).toEqual({
      keys: [{ key: "PROJ-2", role: "moving", source: "comments" }],
      actions: [{ kind: "move", key: "PROJ-2", target: "x", trigger: "opened", protect: [] }],
      skipped: [],
      notes: ["n"],
    });
  });
});
