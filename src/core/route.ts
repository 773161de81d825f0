/**
 * Routing a move through a tracker's workflow: the shortest sequence of transitions from
 * where an issue stands to the target status. Pure, like the retry policy: the graph comes
 * from the tracker (or from transitions seen before), the executor walks the route one step
 * at a time and asks again from wherever the issue really is after each step.
 */
import { findTransition, statusMatches } from "./match-status.js";
import type { TrackerStatus, TrackerTransition } from "./types.js";

/** A route never has more steps than this: a longer one is a misconfiguration, not a path. */
export const MAX_ROUTE_STEPS = 8;

/** One edge of a workflow: `transition` leaves the status whose key is `from`. */
export interface WorkflowEdge {
  from: string;
  transition: TrackerTransition;
}

/** What is known of one workflow: its statuses (with categories when known) and edges. */
export interface WorkflowGraph {
  statuses: TrackerStatus[];
  edges: WorkflowEdge[];
  /** Key of the status new issues start in, when the tracker says it. */
  initial?: string;
  /** "tracker": read from the workflow API; "learned": only transitions lists seen so far. */
  source: "tracker" | "learned";
  /** Why the tracker's graph could not be read (Data Center, permission refused). */
  unreadable?: string;
}

export type RouteResult =
  | { ok: true; steps: TrackerTransition[] }
  | { ok: false; reason: "no_path" | "too_long" };

/**
 * Adds edges to a graph, dropping repeats (same source status and transition id).
 *
 * @example
 * mergeEdges(graph, "open", issue.transitions) // what the tracker just showed from Open
 */
export function mergeEdges(
  graph: WorkflowGraph,
  from: string,
  transitions: readonly TrackerTransition[],
): WorkflowGraph {
  const seen = new Set(graph.edges.map((edge) => `${edge.from}\u0000${edge.transition.id}`));
  const added = transitions
    .filter((t) => !seen.has(`${from}\u0000${t.id}`))
    .map((transition) => ({ from, transition }));
  return added.length === 0 ? graph : { ...graph, edges: [...graph.edges, ...added] };
}

/**
 * The shortest route from status `from` (a key) to `target` (key, display name, or a
 * transition id as the config may give it), at most `maxSteps` long. Breadth-first over
 * status keys with a visited set, so a cycle in the workflow can never make it loop. Only
 * the last step may enter a done-category status.
 *
 * @example
 * findRoute(strict, "open", "readyForTest")
 * // { ok: true, steps: [Start progress → In progress, Send to review → In review, Send to test → Ready for test] }
 */
export function findRoute(
  graph: WorkflowGraph,
  from: string,
  target: string,
  maxSteps = MAX_ROUTE_STEPS,
): RouteResult {
  const outgoing = new Map<string, TrackerTransition[]>();
  for (const edge of graph.edges) {
    const list = outgoing.get(edge.from) ?? [];
    list.push(edge.transition);
    outgoing.set(edge.from, list);
  }
  // A route never passes through a done status: closing and reopening an issue on the way
  // would notify people, set resolutions and count as a completion.
  const done = new Set(
    [...graph.statuses, ...graph.edges.map((edge) => edge.transition.to)]
      .filter((status) => status.category === "done")
      .map((status) => status.key),
  );
  const cameBy = new Map<string, { prev: string; transition: TrackerTransition }>();
  const visited = new Set([from]);
  let frontier = [from];
  for (let depth = 1; frontier.length > 0; depth++) {
    const next: string[] = [];
    for (const status of frontier) {
      const transitions = outgoing.get(status) ?? [];
      // A transition whose target or id names the target ends the route here.
      const direct = findTransition(transitions, target);
      if (direct) {
        if (depth > maxSteps) return { ok: false, reason: "too_long" };
        return { ok: true, steps: [...pathTo(cameBy, from, status), direct] };
      }
      for (const transition of transitions) {
        if (visited.has(transition.to.key) || done.has(transition.to.key)) continue;
        visited.add(transition.to.key);
        cameBy.set(transition.to.key, { prev: status, transition });
        next.push(transition.to.key);
      }
    }
    frontier = next;
  }
  return { ok: false, reason: "no_path" };
}

function pathTo(
  cameBy: Map<string, { prev: string; transition: TrackerTransition }>,
  from: string,
  to: string,
): TrackerTransition[] {
  const steps: TrackerTransition[] = [];
  for (let at = to; at !== from; ) {
    const step = cameBy.get(at);
    if (!step) break;
    steps.unshift(step.transition);
    at = step.prev;
  }
  return steps;
}

/**
 * The route through the config's waypoints (`routes: { readyForTest: [inProgress, inReview] }`)
 * to `target`. Waypoints the issue has already passed (it stands on one, or on the target
 * side of one) are not walked again: the route starts after the last waypoint it stands on.
 * When only the first legs are known, the route is those legs: the config names the rest.
 * Without waypoints this is `findRoute`.
 *
 * @example
 * findRouteVia(learned, current, "readyForTest", ["inProgress", "inReview"])
 */
export function findRouteVia(
  graph: WorkflowGraph,
  from: TrackerStatus,
  target: string,
  via: readonly string[] = [],
  maxSteps = MAX_ROUTE_STEPS,
): RouteResult {
  let standsOn = -1;
  via.forEach((waypoint, index) => {
    if (statusMatches(from, waypoint)) standsOn = index;
  });
  // A waypoint the workflow cannot lead back to from here was passed already (a retried
  // route resumes past it): try the route from the next waypoint on.
  let result: RouteResult = { ok: false, reason: "no_path" };
  for (let first = standsOn + 1; first <= via.length; first++) {
    result = routeThrough(
      graph,
      from.key,
      [...via.slice(first), target],
      maxSteps,
      first < via.length,
    );
    if (result.ok) return result;
  }
  return result;
}

function routeThrough(
  graph: WorkflowGraph,
  from: string,
  legs: readonly string[],
  maxSteps: number,
  hasWaypoints: boolean,
): RouteResult {
  const steps: TrackerTransition[] = [];
  let at = from;
  for (const leg of legs) {
    const route = findRoute(graph, at, leg, maxSteps - steps.length);
    // Past the first leg the config vouches for the way: the executor re-plans after each
    // step, from transitions it will have seen by then (Jira Data Center knows no more).
    if (!route.ok) return steps.length > 0 && hasWaypoints ? { ok: true, steps } : route;
    steps.push(...route.steps);
    at = route.steps.at(-1)?.to.key ?? at;
  }
  return { ok: true, steps };
}

/**
 * How many steps each status is from the workflow's start: a tie-breaker for "further
 * along" between two statuses of the same category. Undefined when the start is unknown.
 *
 * @example
 * distancesFromStart(strict).get("readyForTest") // 3
 */
export function distancesFromStart(graph: WorkflowGraph): Map<string, number> | undefined {
  if (graph.source !== "tracker" || graph.initial === undefined) return undefined;
  const distances = new Map([[graph.initial, 0]]);
  let frontier = [graph.initial];
  for (let depth = 1; frontier.length > 0; depth++) {
    const next: string[] = [];
    for (const edge of graph.edges) {
      if (!frontier.includes(edge.from) || distances.has(edge.transition.to.key)) continue;
      distances.set(edge.transition.to.key, depth);
      next.push(edge.transition.to.key);
    }
    frontier = next;
  }
  return distances;
}

/**
 * The status a config target names, from the graph's statuses or its edges' targets.
 *
 * @example
 * statusOf(graph, "Ready for test") // { key: "readyForTest", display: "Ready for test", category: "in_progress" }
 */
export function statusOf(graph: WorkflowGraph, target: string): TrackerStatus | undefined {
  return (
    graph.statuses.find((status) => statusMatches(status, target)) ??
    findTransition(
      graph.edges.map((edge) => edge.transition),
      target,
    )?.to
  );
}

/**
 * The route as the check run shows it.
 *
 * @example
 * describeRoute({ display: "Open" }, steps) // "Open → In progress → In review → Ready for test"
 */
export function describeRoute(
  from: Pick<TrackerStatus, "display">,
  steps: readonly TrackerTransition[],
): string {
  return [from.display, ...steps.map((step) => step.to.display)].join(" → ");
}

/**
 * Why no route was found, naming the config that fixes it.
 *
 * @example
 * noRouteMessage({ target: "readyForTest", from: open, graph, scope: "queue PROJ, type Task" })
 * // "no route to readyForTest from Open (…): add `routes: { readyForTest: [<status>, …] }` to .github/trackbridge.yml"
 */
export function noRouteMessage(input: {
  target: string;
  from: TrackerStatus;
  graph: WorkflowGraph;
  reason: "no_path" | "too_long";
  scope?: string;
}): string {
  const { target, from, graph, reason, scope } = input;
  const where = scope ? ` in the workflow of ${scope}` : "";
  if (reason === "too_long") {
    return `no route to ${target} from ${from.display}${where} within ${MAX_ROUTE_STEPS} steps`;
  }
  const known = graph.edges
    .filter((edge) => edge.from === from.key)
    .map((edge) => `${edge.transition.display} → ${edge.transition.to.display}`);
  const available = known.length > 0 ? known.join(", ") : "none";
  const graphNote =
    graph.source === "tracker"
      ? ""
      : `; the workflow graph could not be read${graph.unreadable ? ` (${graph.unreadable})` : ""}, so only transitions seen before are known`;
  return `no route to ${target} from ${from.display}${where} (available: ${available}${graphNote}): add \`routes: { ${target}: [<status>, …] }\` to .github/trackbridge.yml, listing the statuses to pass through`;
}
