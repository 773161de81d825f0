/**
 * Executes one planned action against a tracker, with as few calls as the port allows:
 * a move is one read (issue + transitions) and, only when needed, one transition per step
 * of its route through the workflow. Every action is safe to repeat: a re-run finds the
 * status reached (or how far a route got), the link or the marker.
 */
import { statusMatches } from "../core/match-status.js";
import {
  moveVerdict,
  needsWorkflowGraph,
  type MoveAction as VerdictInput,
} from "../core/move-verdict.js";
import {
  findRouteVia,
  MAX_ROUTE_STEPS,
  mergeEdges,
  noRouteMessage,
  type WorkflowGraph,
} from "../core/route.js";
import type {
  ActionResult,
  PlannedAction,
  TrackerStatus,
  TrackerTransition,
} from "../core/types.js";
import {
  assign,
  createIssue,
  type OtherDirectionDeps,
  type Outcome,
  unavailable,
  unlink,
} from "./apply-other-direction.js";
import { CapabilityUnavailableError } from "./capability-guard.js";
import { TrackerError } from "./errors.js";
import type { FixVersionOptions, Tracker, TrackerIssue } from "./port.js";

type Action<K extends PlannedAction["kind"]> = Extract<PlannedAction, { kind: K }>;
type MoveAction = VerdictInput & Pick<Action<"move">, "key">;

const MAX_VALUE_IN_SUMMARY = 200;

/**
 * Runs `action`; resolves with what happened, rejects with a `TrackerError` when the tracker
 * refused or failed (the caller decides between retrying and reporting).
 *
 * @example
 * await applyAction(tracker, { kind: "move", key: "PROJ-1", target: "readyForTest", trigger: "merged", protect: ["closed"] })
 * // → { ok: true, summary: "moved Open → In progress → In review → Ready for test", action }
 */
export async function applyAction(
  tracker: Tracker,
  action: PlannedAction,
  deps: FixVersionOptions & OtherDirectionDeps = {},
): Promise<ActionResult> {
  const outcome = await run(tracker, action, deps);
  return typeof outcome === "string"
    ? { action, ok: true, summary: outcome }
    : { action, ok: true, ...outcome };
}

function run(
  tracker: Tracker,
  action: PlannedAction,
  deps: FixVersionOptions & OtherDirectionDeps,
): Promise<string | Outcome> {
  switch (action.kind) {
    case "create":
      return createIssue(tracker, action, deps);
    case "unlink":
      return unlink(tracker, action);
    case "assign":
      return assign(tracker, action, deps);
    case "move":
      return move(tracker, action);
    case "link":
      return link(tracker, action);
    case "set_field":
      return setField(tracker, action);
    case "fix_version":
      return fixVersion(tracker, action, deps);
    case "comment":
      return comment(tracker, action);
    case "feature": // The server's Productboard section runs these (productboard/follow-feature.ts).
      return Promise.reject(unavailable(tracker, "run Productboard feature jobs"));
  }
}

/** Where the issue stands during a route: its status and the transitions leaving it. */
interface Standing {
  status: TrackerStatus;
  transitions: TrackerTransition[];
}

/**
 * Reads the issue (with its transitions) and, when the verdict depends on it, the workflow
 * graph, and says whether the move moves it. The sync's dry run asks this too, so its
 * preview is the worker's own verdict.
 */
export async function judgeMove(tracker: Tracker, action: MoveAction) {
  const issue = await tracker.getIssue(action.key, { transitions: true });
  const standing = { status: issue.status, transitions: issue.transitions ?? [] };
  // The graph costs requests (once per TTL): read only when a route or the rule needs it.
  const graph = needsWorkflowGraph(standing, action) ? await tracker.workflow(issue) : undefined;
  return { issue, graph, verdict: moveVerdict(standing, action, graph) };
}

/**
 * Moves the issue to the target, through as many transitions as its workflow requires.
 * Each step stands on its own: it starts from where the issue really is (the last read, or
 * Yandex's answer to the step before), so a route that failed halfway is resumed, not redone.
 */
async function move(tracker: Tracker, action: Action<"move">): Promise<string> {
  const judged = await judgeMove(tracker, action);
  const { issue, verdict } = judged;
  let graph = judged.graph;
  // A moved issue answers under its new key; act on that one and say so.
  const now = issue.key === action.key ? "" : ` (now ${issue.key})`;
  if (verdict.kind !== "moves") return `${verdict.summary}${now}`;
  const from = issue.status.display;
  const transitions = issue.transitions ?? [];
  const targetStatus = verdict.targetStatus;

  // A target given as a transition id ("51") is reached when its status is.
  const goal = targetStatus?.key ?? action.target;
  const path = [from];
  const visited = new Set([issue.status.key]);
  let via = passed(action.via ?? [], issue.status);
  let standing: Standing = { status: issue.status, transitions };
  let refreshed = false;
  /** The tracker's refusal of a step, kept for when no other way is found. */
  let refusal: TrackerError | undefined;
  for (let step = 0; step < MAX_ROUTE_STEPS; step++) {
    // What the tracker offers now replaces what the graph says about this status.
    const known = liveFrom(graph ?? LEARNED_NOTHING, standing);
    const route = findRouteVia(known, standing.status, goal, via);
    if (!route.ok) {
      // The workflow may have changed since the graph was cached: read it once more.
      if (!refreshed && graph?.source === "tracker") {
        refreshed = true;
        graph = await tracker.workflow(issue, { refresh: true });
        step--;
        continue;
      }
      // The tracker's own words (a workflow's rule) say more than "no route" does.
      if (refusal) throw refusal;
      const message = noRouteMessage({
        target: action.target,
        from: standing.status,
        graph: known,
        reason: route.reason,
        ...(issue.scope ? { scope: issue.scope.name } : {}),
      });
      throw new TrackerError("no_transition", message, { connection: tracker.connection });
    }
    // The first step is always one the tracker offered just now.
    const next = route.steps[0]!;
    if (next.requiredFields?.length) {
      throw new TrackerError(
        "invalid",
        `transition "${next.display}" needs field ${next.requiredFields.join(", ")}: make it by hand in ${tracker.connection}, or route around it`,
        { connection: tracker.connection },
      );
    }
    let after: TrackerTransition[] | null;
    try {
      after = await execute(tracker, issue, next);
    } catch (error) {
      // Refused although just offered: someone moved the issue, or the workflow changed, or
      // (YouTrack: every state is offered) the workflow forbids this step: plan once more.
      if (refreshed || !isRefusal(error)) throw error;
      refreshed = true;
      if (error.kind === "no_transition") refusal = error;
      graph = await tracker.workflow(issue, { refresh: true });
      standing = await read(tracker, issue.key);
      if (statusMatches(standing.status, action.target))
        return `already in ${standing.status.display}${now}`;
      step--;
      continue;
    }
    if (after) {
      standing = { status: next.to, transitions: after };
    } else if (statusMatches(next.to, goal)) {
      standing = { status: next.to, transitions: [] };
    } else {
      standing = await read(tracker, issue.key);
    }
    path.push(standing.status.display);
    via = passed(via, standing.status);
    if (statusMatches(standing.status, goal)) return `moved ${path.join(" → ")}${now}`;
    // Someone (or an automation) moved the issue back meanwhile: never walk a circle.
    if (visited.has(standing.status.key)) break;
    visited.add(standing.status.key);
  }
  throw new TrackerError(
    "no_transition",
    `no route to ${action.target}: stopped after ${path.join(" → ")} (a route is at most ${MAX_ROUTE_STEPS} steps and never passes a status twice)`,
    { connection: tracker.connection },
  );
}

/** A step the tracker refused: invalid, or a transition its workflow forbids (YouTrack). */
function isRefusal(error: unknown): error is TrackerError {
  return (
    error instanceof TrackerError &&
    (error.kind === "invalid" || (error.kind === "no_transition" && error.status !== undefined))
  );
}

/** The waypoints still ahead once the issue stands on `status`. */
function passed(via: readonly string[], status: TrackerStatus): string[] {
  let at = -1;
  via.forEach((waypoint, index) => {
    if (statusMatches(status, waypoint)) at = index;
  });
  return via.slice(at + 1);
}

const LEARNED_NOTHING: WorkflowGraph = { statuses: [], edges: [], source: "learned" };

/** The graph with the status's outgoing edges replaced by what the tracker offers now. */
function liveFrom(graph: WorkflowGraph, standing: Standing): WorkflowGraph {
  const others = {
    ...graph,
    edges: graph.edges.filter((edge) => edge.from !== standing.status.key),
  };
  return mergeEdges(others, standing.status.key, standing.transitions);
}

async function read(tracker: Tracker, key: string): Promise<Standing> {
  const issue = await tracker.getIssue(key, { transitions: true });
  return { status: issue.status, transitions: issue.transitions ?? [] };
}

/** A transition with a screen the tracker does not describe fails with its field errors: say which transition. */
async function execute(tracker: Tracker, issue: TrackerIssue, transition: TrackerTransition) {
  try {
    return await tracker.executeTransition(issue.key, transition.id, {
      ...(issue.scope ? { scope: issue.scope } : {}),
      to: transition.to,
    });
  } catch (error) {
    if (error instanceof TrackerError && error.kind === "invalid" && transition.hasScreen) {
      throw new TrackerError(
        "invalid",
        `transition "${transition.display}" needs input on its screen: ${error.message}`,
        {
          connection: tracker.connection,
          ...(error.status ? { status: error.status } : {}),
          cause: error,
        },
      );
    }
    throw error;
  }
}

async function link(tracker: Tracker, action: Action<"link">): Promise<string> {
  const result = await tracker.linkPullRequest(action.key, {
    url: action.pr.url,
    title: action.pr.title,
    // The PR URL is stable and unique, so it is the remote link's identity.
    globalId: action.pr.url,
  });
  return result === "created" ? "linked" : "already linked";
}

async function setField(tracker: Tracker, action: Action<"set_field">): Promise<string> {
  await tracker.setField(action.key, action.field, action.value);
  const value =
    action.value.length > MAX_VALUE_IN_SUMMARY
      ? `${action.value.slice(0, MAX_VALUE_IN_SUMMARY)}…`
      : action.value;
  return `set ${action.field} = ${value}`;
}

async function fixVersion(
  tracker: Tracker,
  action: Action<"fix_version">,
  options: FixVersionOptions,
): Promise<string> {
  // A tracker without versions (Linear, RT…): the stamp is said, not retried or dead-lettered.
  const result = await tracker.addFixVersion(action.key, action.version, options).catch((e) => {
    if (e instanceof CapabilityUnavailableError) return e;
    throw e;
  });
  if (result instanceof Error)
    return `fix version ${action.version} not stamped: ${result.message}`;
  if (result === "exists") return `fix version ${action.version} already set`;
  return result === "created"
    ? `fix version ${action.version} (version created)`
    : `fix version ${action.version}`;
}

async function comment(tracker: Tracker, action: Action<"comment">): Promise<string> {
  const comments = await tracker.listComments(action.key);
  if (comments.some((c) => c.text.includes(action.marker))) return "comment already posted";
  await tracker.addComment(action.key, `${action.text}\n\n${action.marker}`);
  return "commented";
}
