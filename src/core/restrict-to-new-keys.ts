/**
 * Events that only add keys (an edited title or body, a new comment) must act on the keys
 * they add and leave the others alone: re-applying "the PR's current state" to a key that
 * was already moved further (say, approved → Ready for test) would move it backwards.
 */
import type { Plan } from "./types.js";

/**
 * Keeps the keys, actions and skip reasons of keys that are not in `previousKeys`.
 *
 * @example
 * restrictToNewKeys(plan, new Set(["PROJ-1"])) // PROJ-1's actions dropped, PROJ-2's kept
 */
export function restrictToNewKeys(plan: Plan, previousKeys: ReadonlySet<string>): Plan {
  const actions = plan.actions.filter((action) => !previousKeys.has(action.key));
  // Earlier keys keep what their own events reported: the check run merges every event's rows.
  const keys = plan.keys.filter((found) => !previousKeys.has(found.key));
  const skipped = plan.skipped.filter((entry) => !previousKeys.has(entry.key));
  return { ...plan, keys, actions, skipped };
}
