/**
 * Events that only add keys (an edited title or body, a new comment) must act on the keys
 * they add and leave the others alone: re-applying "the PR's current state" to a key that
 * was already moved further (say, approved → Ready for test) would move it backwards.
 */
import type { Plan } from "./types.js";

/**
 * Keeps the actions of keys that are not in `previousKeys`; the others are reported as skipped.
 *
 * @example
 * restrictToNewKeys(plan, new Set(["PROJ-1"])) // PROJ-1's actions dropped, PROJ-2's kept
 */
export function restrictToNewKeys(plan: Plan, previousKeys: ReadonlySet<string>): Plan {
  const actions = plan.actions.filter((action) => !previousKeys.has(action.key));
  const skipped = [
    ...plan.skipped.filter((entry) => !previousKeys.has(entry.key)),
    ...plan.keys
      .filter((found) => previousKeys.has(found.key))
      .map((found) => ({ key: found.key, reason: "already handled by an earlier event" })),
  ];
  return { ...plan, actions, skipped };
}
