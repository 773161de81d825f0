/**
 * Request Tracker's "default" lifecycle as the simulator's workflow: initial statuses are the
 * `new` category, active ones `indeterminate`, inactive ones `done`; the lifecycle's actions
 * are the transitions. The simulator names a status by its display name, as RT does.
 */
import { DEFAULT_LIFECYCLE } from "../../trackers/request-tracker/default-lifecycle.js";
import type { SimStatus, SimWorkflow } from "../shared/workflow.js";

const status = (name: string, category: SimStatus["category"]): SimStatus => ({
  key: name,
  display: name,
  id: name,
  ...(category ? { category } : {}),
});

export function defaultRtLifecycle(): SimWorkflow {
  return {
    statuses: [
      ...DEFAULT_LIFECYCLE.initial.map((name) => status(name, "new")),
      ...DEFAULT_LIFECYCLE.active.map((name) => status(name, "indeterminate")),
      ...DEFAULT_LIFECYCLE.inactive.map((name) => status(name, "done")),
    ],
    transitions: DEFAULT_LIFECYCLE.actions.map(([from, to, label]) => ({
      id: `${from}->${to}`,
      display: label,
      from: [from],
      to,
    })),
    initial: "new",
  };
}
