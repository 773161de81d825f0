/**
 * One test per row of the README's "Never backwards" table. The config is the README's
 * example: opened → In progress, approved → Ready for test, changes requested → Needs
 * improvement, merged → Ready for test, closed → Needs improvement, draft → Open.
 */
import { describe, expect, it } from "vitest";
import {
  type NeverBackwardsInput,
  neverBackwards,
  stageOf,
} from "../../src/core/never-backwards.js";
import { distancesFromStart } from "../../src/core/route.js";
import type { TrackerStatus, Trigger } from "../../src/core/types.js";
import { S, strictGraph } from "./workflows.js";

const STATUSES: Partial<Record<Trigger, string>> = {
  draft: "open",
  opened: "inProgress",
  approved: "readyForTest",
  changes_requested: "needsImprovement",
  merged: "readyForTest",
  closed: "needsImprovement",
};

const TARGET_OF = (trigger: Trigger) => STATUSES[trigger]!;

function verdict(
  current: TrackerStatus,
  trigger: Trigger,
  options: Partial<NeverBackwardsInput> = {},
) {
  const target = TARGET_OF(trigger);
  const graph = strictGraph();
  return neverBackwards({
    current,
    target,
    targetStatus: graph.statuses.find((status) => status.key === target),
    trigger,
    statuses: STATUSES,
    reopen: false,
    distances: distancesFromStart(graph),
    ...options,
  });
}

const backlog: TrackerStatus = { key: "backlog", display: "Backlog", category: "todo" };

describe("never backwards: the README table", () => {
  it("1. an issue in a done-category status stays there", () => {
    expect(verdict(S.closed, "approved")).toEqual({
      move: false,
      summary: "left in Closed (done; the config's reopen: true would move it)",
    });
  });
  it("2. … unless the config says reopen: true", () => {
    expect(verdict(S.closed, "opened", { reopen: true })).toEqual({ move: true });
  });
  it("3. a status the config names for a later stage stays (a late opened after approval)", () => {
    expect(verdict(S.readyForTest, "opened")).toEqual({
      move: false,
      summary: "left in Ready for test (further along than In progress)",
    });
  });
  it("4. changes requested after approved on the same PR still moves", () => {
    expect(verdict(S.readyForTest, "changes_requested")).toEqual({ move: true });
  });
  it("5. a status the config names for an earlier stage moves on", () => {
    expect(verdict(S.inProgress, "approved")).toEqual({ move: true });
  });
  it("6. a status the config does not name, in a later category, stays", () => {
    expect(verdict(S.testing, "draft")).toEqual({
      move: false,
      summary: "left in Testing (further along than Open)",
    });
  });
  it("7. a status the config does not name, in an earlier category, moves on", () => {
    expect(verdict(backlog, "opened")).toEqual({ move: true });
  });
  it("8. same category, further into the workflow than the target: QA's Testing stays", () => {
    expect(verdict(S.testing, "approved")).toEqual({
      move: false,
      summary: "left in Testing (further along than Ready for test)",
    });
  });
  it("9. same category, not further into the workflow: moves on", () => {
    expect(verdict(S.inReview, "approved")).toEqual({ move: true });
  });
  it("10. same category and no workflow graph to compare: moves on", () => {
    expect(verdict(S.testing, "approved", { distances: undefined })).toEqual({ move: true });
  });
  it("11. category unknown (no graph, tracker does not say): the config's stages alone decide", () => {
    const bare = { key: "testing", display: "Testing" };
    expect(verdict(bare, "approved", { targetStatus: undefined })).toEqual({ move: true });
    const named = { key: "readyForTest", display: "Ready for test" };
    expect(verdict(named, "opened", { targetStatus: undefined }).move).toBe(false);
  });

  it("12. a newer event of the PR that moved the issue follows the PR's life (back to draft)", () => {
    expect(
      verdict(S.inReview, "draft", {
        statuses: { ...STATUSES, ready: "inReview" },
        followsPr: true,
      }),
    ).toEqual({
      move: true,
    });
    expect(
      verdict(S.inReview, "draft", { statuses: { ...STATUSES, ready: "inReview" } }).move,
    ).toBe(false);
  });
});

describe("stageOf", () => {
  it("takes the earliest stage a status is named for", () => {
    expect(stageOf(S.needsImprovement, STATUSES)).toBe(
      stageOf(S.readyForTest, { approved: "readyForTest" }),
    );
    expect(stageOf(S.testing, STATUSES)).toBeUndefined();
  });
});
