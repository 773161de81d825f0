/**
 * Pure mapping of Yandex Tracker v2 JSON to the port's types.
 *
 * API fields used:
 * - issue: `key`, `aliases` (old keys after a move), `status.key`, `status.display`, and with
 *   `?expand=transitions` a `transitions` array. The docs name the expand but do not show its
 *   shape; we read it as the `GET /v2/issues/{key}/transitions` array
 *   (`[{id, display, to: {key, display}}]`), which is what the simulator returns.
 * - comment: `id` (number), `text`.
 * - issue `assignee.{id, display}` (the id is the user's uid); `POST /v2/issues` answers the
 *   created issue (`key`); `_search` with `{filter: {unique}}` finds the issue a `unique` made
 *   (the filter on `unique` is not confirmed by the docs; the 409 on a repeat is).
 * - issue `queue.key` and `type.{key, display}`: which workflow the issue follows.
 * - transition `screen`: the transition has a screen (its fields are not listed).
 * - workflows: `GET /v2/queues/{q}/workflows` → `{ "<id>": [type key or {key}] }`;
 *   `GET /v2/workflows/{id}` → `steps[].status`, `steps[].actions[].{id, name, target}`,
 *   `initialAction.target`; `GET /v2/statuses` → `[].{key, type}` (new, paused, inProgress,
 *   needInfo, done, cancelled).
 */
import { asObject, text } from "../json.js";
import type {
  TrackerComment,
  TrackerIssue,
  TrackerStatus,
  TrackerTransition,
  TrackerUser,
  WorkflowGraph,
  WorkflowScope,
} from "../port.js";

export function mapStatus(value: unknown): TrackerStatus {
  const status = asObject(value);
  const key = text(status.key);
  return { key, display: text(status.display) || key };
}

export function mapTransitions(value: unknown): TrackerTransition[] {
  if (!Array.isArray(value)) return [];
  return value.map((item) => {
    const t = asObject(item);
    const id = text(t.id);
    const transition: TrackerTransition = {
      id,
      display: text(t.display) || id,
      to: mapStatus(t.to),
    };
    if (t.screen !== undefined && t.screen !== null) transition.hasScreen = true;
    return transition;
  });
}

export function mapScope(issue: Record<string, unknown>): WorkflowScope | undefined {
  const queue = text(asObject(issue.queue).key);
  const type = asObject(issue.type);
  const typeKey = text(type.key);
  if (!queue || !typeKey) return undefined;
  return {
    project: queue,
    issueType: typeKey,
    name: `${queue} (${text(type.display) || typeKey})`,
  };
}

/** The first queue of `GET /v2/queues` with its default issue type (`key`, `defaultType`). */
export function mapFirstQueueScope(body: unknown): WorkflowScope | null {
  const queue = asObject(Array.isArray(body) ? body[0] : undefined);
  return mapScope({ queue, type: queue.defaultType }) ?? null;
}

/** The workflow id bound to `typeKey` in a queue's `{ id: [types] }` map. */
export function workflowIdFor(value: unknown, typeKey: string): string | undefined {
  for (const [id, types] of Object.entries(asObject(value))) {
    if (!Array.isArray(types)) continue;
    if (types.some((t) => (typeof t === "string" ? t : text(asObject(t).key)) === typeKey))
      return id;
  }
  return undefined;
}

/**
 * The workflow ids a queue's `{ id: [types] }` map names, the one bound to `task` (else the
 * first) leading: the main workflow `trackbridge init` reads the order from.
 */
export function queueWorkflowIds(value: unknown): string[] {
  const ids = Object.keys(asObject(value));
  const main = workflowIdFor(value, "task");
  return main === undefined ? ids : [main, ...ids.filter((id) => id !== main)];
}

const CATEGORY: Record<string, TrackerStatus["category"]> = {
  new: "todo",
  paused: "todo",
  inProgress: "in_progress",
  needInfo: "in_progress",
  done: "done",
  cancelled: "done",
};

export function mapWorkflow(workflow: unknown, statuses: unknown): WorkflowGraph {
  const types = new Map<string, TrackerStatus["category"]>();
  if (Array.isArray(statuses)) {
    for (const item of statuses.map(asObject)) types.set(text(item.key), CATEGORY[text(item.type)]);
  }
  const withCategory = (value: unknown): TrackerStatus => {
    const status = mapStatus(value);
    const category = types.get(status.key);
    return category ? { ...status, category } : status;
  };
  const body = asObject(workflow);
  const steps = Array.isArray(body.steps) ? body.steps.map(asObject) : [];
  const graph: WorkflowGraph = {
    statuses: steps.map((step) => withCategory(step.status)),
    edges: steps.flatMap((step) => {
      const from = text(asObject(step.status).key);
      const actions = Array.isArray(step.actions) ? step.actions.map(asObject) : [];
      return actions.map((action) => {
        const id = text(action.id);
        return {
          from,
          transition: { id, display: text(action.name) || id, to: withCategory(action.target) },
        };
      });
    }),
    source: "tracker",
  };
  const initial = text(asObject(asObject(body.initialAction).target).key);
  if (initial) graph.initial = initial;
  return graph;
}

/** `requestedKey` is kept as an alias when the tracker answered under another key. */
export function mapIssue(
  value: unknown,
  requestedKey: string,
  withTransitions: boolean,
): TrackerIssue {
  const issue = asObject(value);
  const key = text(issue.key) || requestedKey;
  const aliases = Array.isArray(issue.aliases) ? issue.aliases.map(text).filter(Boolean) : [];
  if (key !== requestedKey && !aliases.includes(requestedKey)) aliases.push(requestedKey);
  const mapped: TrackerIssue = { key, aliases, status: mapStatus(issue.status) };
  const scope = mapScope(issue);
  if (scope) mapped.scope = scope;
  if (withTransitions) mapped.transitions = mapTransitions(issue.transitions);
  return mapped;
}

export function mapComments(value: unknown): TrackerComment[] {
  if (!Array.isArray(value)) return [];
  return value.map((item) => {
    const c = asObject(item);
    return { id: text(c.id), text: text(c.text) };
  });
}

/** The `rel="next"` target of a `Link` header, if any. */
export function nextLink(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(",")) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (match) return match[1];
  }
  return undefined;
}

export interface VersionRef {
  id: string;
  name: string;
}

/** Queue versions (`GET /v2/queues/{q}/versions`, `POST /v2/versions`): `id` and `name`. */
export function mapVersions(body: unknown): VersionRef[] {
  if (!Array.isArray(body)) return [];
  return body.flatMap((v: { id?: unknown; name?: unknown }) =>
    v && (typeof v.id === "string" || typeof v.id === "number") && typeof v.name === "string"
      ? [{ id: String(v.id), name: v.name }]
      : [],
  );
}

/** The issue's queue (`queue.key`, else the key's prefix) and its `fixVersions` refs `{id, display}`. */
export function mapFixVersions(
  body: unknown,
  askedKey: string,
): { queue: string; fixVersions: VersionRef[] } {
  const issue = (body ?? {}) as { key?: unknown; queue?: { key?: unknown }; fixVersions?: unknown };
  const key = typeof issue.key === "string" ? issue.key : askedKey;
  const queue = typeof issue.queue?.key === "string" ? issue.queue.key : key.split("-")[0]!;
  const refs = Array.isArray(issue.fixVersions) ? issue.fixVersions : [];
  const fixVersions = refs.flatMap((v: { id?: unknown; display?: unknown }) =>
    v && typeof v.display === "string" ? [{ id: String(v.id), name: v.display }] : [],
  );
  return { queue, fixVersions };
}

/** `assignee` of an issue: `{id, display}`, or null when unassigned. */
export function mapAssignee(body: unknown): TrackerUser | null {
  const user = asObject(asObject(body).assignee);
  const id = text(user.id);
  return id ? { id, display: text(user.display) || id } : null;
}

/** The key of a created issue (`POST /v2/issues`) or of the first search hit. */
export function mapCreatedKey(body: unknown): string | undefined {
  const issue = asObject(Array.isArray(body) ? body[0] : body);
  return text(issue.key) || undefined;
}
