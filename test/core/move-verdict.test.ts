/**
 * The one verdict on a move that the worker and the sync's dry run share: table-tested on
 * the strict workflow, with statuses as a tracker answers them (Yandex's issue status has no
 * category: the graph gives it).
 */
import { describe, expect, it } from "vitest";
import { type MoveAction, moveVerdict, needsWorkflowGraph } from "../../src/core/move-verdict.js";
import type { TrackerStatus, TrackerTransition } from "../../src/core/types.js";
import { S, strictGraph } from "./workflows.js";

const STATUSES = {
  draft: "open",
  opened: "inProgress",
  approved: "readyForTest",
  changes_requested: "needsImprovement",
  merged: "readyForTest",
};

const bare = (status: TrackerStatus): TrackerStatus => ({
  key: status.key,
  display: status.display,
});
const offers = (from: keyof typeof S): TrackerTransition[] =>
  strictGraph()
    .edges.filter((edge) => edge.from === S[from].key)
    .map((edge) => edge.transition);

const action = (overrides: Partial<MoveAction> = {}): MoveAction => ({
  target: "readyForTest",
  trigger: "approved",
  protect: ["closed"],
  statuses: STATUSES,
  ...overrides,
});

describe("moveVerdict", () => {
  const cases: Array<{
    name: string;
    from: keyof typeof S;
    action?: Partial<MoveAction>;
    withCategory?: boolean;
    needsGraph: boolean;
    verdict: ReturnType<typeof moveVerdict>;
  }> = [
    {
      name: "already in the target: no graph, no move",
      from: "readyForTest",
      needsGraph: false,
      verdict: { kind: "already", summary: "already in Ready for test" },
    },
    {
      name: "a protected status stays, whatever the graph",
      from: "closed",
      needsGraph: false,
      verdict: { kind: "protected", summary: "protected: Closed" },
    },
    {
      name: "QA's Testing (not in the config) is further along: only the graph's distances tell",
      from: "testing",
      needsGraph: true,
      verdict: {
        kind: "stays",
        summary: "left in Testing (further along than Ready for test)",
      },
    },
    {
      name: "a status the config names for an earlier stage moves on (a route is needed)",
      from: "inProgress",
      needsGraph: true,
      verdict: { kind: "moves", targetStatus: S.readyForTest },
    },
    {
      name: "a direct transition, a known stage and category: no graph needed",
      from: "needsImprovement",
      withCategory: true,
      needsGraph: false,
      verdict: { kind: "moves", targetStatus: S.readyForTest },
    },
    {
      name: "the PR's own later event follows it back (followsPr)",
      from: "readyForTest",
      action: { target: "inProgress", trigger: "opened", followsPr: true },
      needsGraph: true,
      verdict: { kind: "moves", targetStatus: S.inProgress },
    },
    {
      name: "… and without followsPr a late opened leaves it",
      from: "readyForTest",
      action: { target: "inProgress", trigger: "opened" },
      needsGraph: true,
      verdict: {
        kind: "stays",
        summary: "left in Ready for test (further along than In progress)",
      },
    },
    {
      name: "done stays unless reopen: true",
      from: "closed",
      action: { protect: [], target: "inProgress", trigger: "opened" },
      needsGraph: true,
      verdict: {
        kind: "stays",
        summary: "left in Closed (done; the config's reopen: true would move it)",
      },
    },
    {
      name: "reopen: true moves a done issue",
      from: "closed",
      action: { protect: [], target: "open", trigger: "draft", reopen: true },
      needsGraph: true,
      verdict: { kind: "moves", targetStatus: S.open },
    },
  ];

  it.each(cases)("$name", (row) => {
    const status = row.withCategory ? S[row.from] : bare(S[row.from]);
    const standing = { status, transitions: offers(row.from) };
    const move = action(row.action);
    expect(needsWorkflowGraph(standing, move)).toBe(row.needsGraph);
    const graph = row.needsGraph ? strictGraph() : undefined;
    expect(moveVerdict(standing, move, graph)).toEqual(row.verdict);
  });

  it("without the graph, Testing would look movable: the graph is what decides", () => {
    const standing = { status: bare(S.testing), transitions: offers("testing") };
    expect(moveVerdict(standing, action(), undefined)).toEqual({ kind: "moves" });
  });
});
