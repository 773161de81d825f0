/**
 * Whether a planned move moves the issue, from where the issue stands: already there,
 * protected, left where it is (never backwards), or moves. The worker's move and the sync's
 * dry run both ask this, so the preview says what the real run will do.
 *
 * The workflow graph costs requests, so it is asked for only when `needsWorkflowGraph` says
 * the verdict depends on it (a route to find, a status's category or depth to learn).
 */
import { findTransition, statusMatches } from "./match-status.js";
import { neverBackwards, stageOf } from "./never-backwards.js";
import { distancesFromStart, statusOf, type WorkflowGraph } from "./route.js";
import type { PlannedAction, TrackerStatus, TrackerTransition } from "./types.js";

export type MoveAction = Pick<
  Extract<PlannedAction, { kind: "move" }>,
  "target" | "protect" | "trigger" | "statuses" | "reopen" | "followsPr"
>;

export interface MoveStanding {
  /** The status now. */
  status: TrackerStatus;
  /** The transitions the tracker offers from it now. */
  transitions: readonly TrackerTransition[];
}

export type MoveVerdict =
  | { kind: "already" | "protected" | "stays"; summary: string }
  /** `targetStatus`: the status the target names, when a transition or the graph named it. */
  | { kind: "moves"; targetStatus?: TrackerStatus };

/**
 * True when the verdict needs the workflow graph: no direct transition to route by, or a
 * status whose category or place in the PR's life is unknown.
 *
 * @example
 * needsWorkflowGraph({ status: open, transitions: [] }, { target: "readyForTest", ... }) // true: a route is needed
 */
export function needsWorkflowGraph(standing: MoveStanding, action: MoveAction): boolean {
  if (settled(standing.status, action)) return false;
  return (
    !findTransition(standing.transitions, action.target) ||
    standing.status.category === undefined ||
    stageOf(standing.status, action.statuses ?? {}) === undefined
  );
}

/**
 * The verdict on one move; `graph` as `needsWorkflowGraph` asked for it (undefined when not).
 *
 * @example
 * moveVerdict({ status: testing, transitions }, approvedToReadyForTest, strictGraph)
 * // { kind: "stays", summary: "left in Testing (further along than Ready for test)" }
 */
export function moveVerdict(
  standing: MoveStanding,
  action: MoveAction,
  graph: WorkflowGraph | undefined,
): MoveVerdict {
  const already = settled(standing.status, action);
  if (already) return already;
  const direct = findTransition(standing.transitions, action.target);
  const current = withCategory(standing.status, graph) ?? standing.status;
  const targetStatus = withCategory(direct?.to ?? (graph && statusOf(graph, action.target)), graph);
  const verdict = neverBackwards({
    current,
    target: action.target,
    ...(targetStatus ? { targetStatus } : {}),
    trigger: action.trigger,
    statuses: action.statuses ?? {},
    reopen: action.reopen ?? false,
    followsPr: action.followsPr ?? false,
    ...(graph ? { distances: distancesFromStart(graph) } : {}),
  });
  if (!verdict.move) return { kind: "stays", summary: verdict.summary };
  return targetStatus ? { kind: "moves", targetStatus } : { kind: "moves" };
}

function settled(status: TrackerStatus, action: MoveAction): MoveVerdict | undefined {
  if (statusMatches(status, action.target)) {
    return { kind: "already", summary: `already in ${status.display}` };
  }
  if (action.protect.some((protectedStatus) => statusMatches(status, protectedStatus))) {
    return { kind: "protected", summary: `protected: ${status.display}` };
  }
  return undefined;
}

/** The status with its category from the graph, when the tracker's answer lacked it. */
export function withCategory(
  status: TrackerStatus | undefined,
  graph: WorkflowGraph | undefined,
): TrackerStatus | undefined {
  if (!status || status.category !== undefined || !graph) return status;
  const category = graph.statuses.find((s) => s.key === status.key)?.category;
  return category ? { ...status, category } : status;
}
