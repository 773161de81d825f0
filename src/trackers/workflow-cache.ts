/**
 * The workflow graphs an adapter knows, per queue/project and issue type: the tracker's own
 * graph, read at most once per TTL, merged with every transitions list the adapter has seen
 * (the only knowledge there is on Jira Data Center, or when the permission is refused).
 */
import { mergeEdges, type WorkflowGraph } from "../core/route.js";
import type { TrackerStatus, TrackerTransition } from "../core/types.js";
import { TrackerError } from "./errors.js";
import type { WorkflowScope } from "./port.js";

export const WORKFLOW_TTL_MS = 10 * 60_000;

/** What reading the tracker's graph gave: the graph, or why it cannot be read. */
export type GraphRead = WorkflowGraph | { unreadable: string };

interface Entry {
  read: Promise<GraphRead>;
  at: number;
}

export interface WorkflowCache {
  /** Remembers the transitions seen from `from` in this scope. */
  learn(
    scope: WorkflowScope | undefined,
    from: TrackerStatus,
    transitions: TrackerTransition[],
  ): void;
  get(
    scope: WorkflowScope | undefined,
    read: (scope: WorkflowScope) => Promise<GraphRead>,
    refresh?: boolean,
  ): Promise<WorkflowGraph>;
}

/**
 * @example
 * const workflows = createWorkflowCache();
 * workflows.learn(issue.scope, issue.status, issue.transitions);
 * await workflows.get(issue.scope, readGraph) // the tracker's graph plus what was learned
 */
export function createWorkflowCache(
  options: { ttlMs?: number; now?: () => number } = {},
): WorkflowCache {
  const ttlMs = options.ttlMs ?? WORKFLOW_TTL_MS;
  const now = options.now ?? Date.now;
  const graphs = new Map<string, Entry>();
  const learned = new Map<string, WorkflowGraph>();
  const id = (scope: WorkflowScope | undefined) =>
    scope ? `${scope.project}\u0000${scope.issueType}` : "";

  return {
    learn(scope, from, transitions) {
      const key = id(scope);
      const known = learned.get(key) ?? { statuses: [], edges: [], source: "learned" };
      learned.set(key, mergeEdges(known, from.key, transitions));
    },

    async get(scope, read, refresh = false) {
      const key = id(scope);
      const extra = learned.get(key)?.edges ?? [];
      if (!scope) {
        return {
          statuses: [],
          edges: extra,
          source: "learned",
          unreadable: "the issue's workflow is unknown",
        };
      }
      let entry = graphs.get(key);
      if (!entry || refresh || now() - entry.at > ttlMs) {
        entry = { read: readOrExplain(() => read(scope)), at: now() };
        graphs.set(key, entry);
        // A retryable failure is not cached: the next step asks again.
        entry.read.catch(() => {
          if (graphs.get(key) === entry) graphs.delete(key);
        });
      }
      const result = await entry.read;
      if ("unreadable" in result) {
        return { statuses: [], edges: extra, source: "learned", unreadable: result.unreadable };
      }
      let graph = result;
      for (const edge of extra) graph = mergeEdges(graph, edge.from, [edge.transition]);
      return graph;
    },
  };
}

/** A permanent refusal (403, 404, 400) becomes "unreadable"; retryable failures propagate. */
async function readOrExplain(read: () => Promise<GraphRead>): Promise<GraphRead> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof TrackerError && !error.retryable) return { unreadable: error.message };
    throw error;
  }
}
