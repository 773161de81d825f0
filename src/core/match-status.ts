/**
 * How a configured target ("readyForTest", "Ready for test", "51") is matched against a
 * tracker's statuses and transitions. Pure: the executor and the planner share it.
 */
import type { TrackerStatus, TrackerTransition } from "./types.js";

function sameName(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/**
 * True when `target` names this status: its key exactly, or its display name in any case.
 *
 * @example
 * statusMatches({ key: "readyForTest", display: "Ready for test" }, "ready for TEST") // true
 * statusMatches({ key: "10003", display: "Ready for test" }, "10003") // true
 */
export function statusMatches(status: TrackerStatus, target: string): boolean {
  return status.key === target.trim() || sameName(status.display, target);
}

/**
 * The transition that takes the issue to `target`: one whose destination status matches
 * (key, or display name in any case), else one whose id is `target`.
 *
 * @example
 * findTransition([{ id: "51", display: "Send to test", to: { key: "10003", display: "Ready for test" } }], "51")
 * // → that transition
 */
export function findTransition(
  transitions: readonly TrackerTransition[],
  target: string,
): TrackerTransition | undefined {
  return (
    transitions.find((t) => statusMatches(t.to, target)) ??
    transitions.find((t) => t.id === target.trim())
  );
}
