/**
 * The Yandex Tracker endpoints about a queue rather than one issue: queues, their workflows and statuses, versions (list, create, and `fixVersions` in an issue PATCH), the issue search, and the error shape all routes answer with.
 */

import { matchPath } from "../shared/admin.js";
import type { SimReply, SimRequest } from "../shared/http-server.js";
import type { IssueStore, SimIssue, SimVersion } from "../shared/store.js";
import type { SimStatus } from "../shared/workflow.js";
import { type RenderContext, renderIssue, renderVersion, yandexError } from "./render.js";
import type { YandexRouteDeps } from "./routes.js";

export const QUEUE_VERSIONS = /^\/(v[23])\/queues\/([^/]+)\/versions$/;

export const VERSIONS = /^\/(v[23])\/versions\/?$/;

export const QUEUES = /^\/(v[23])\/queues\/?$/;

export const QUEUE_WORKFLOWS = /^\/(v[23])\/queues\/([^/]+)\/workflows$/;

export const WORKFLOW = /^\/(v[23])\/workflows\/([^/]+)$/;

export const STATUSES = /^\/(v[23])\/statuses$/;

export const DEFAULT_PAGE = 50;

export const error = (
  status: number,
  message: string,
  errors?: Record<string, string>,
): SimReply => ({
  status,
  body: yandexError(status, message ? [message] : [], errors),
});

/**
 * `POST /v2/issues/_search` with `{"filter": {"queue": [...], "updatedAt": {"from": ISO}}}`,
 * paged by `perPage`/`page` with `X-Total-Pages`, as the poll uses it. Other filters: 400.
 */
export function searchIssues(ctx: RenderContext, req: SimRequest): SimReply {
  const filter = isObject(req.body) ? req.body.filter : undefined;
  if (!isObject(filter)) return error(400, "", { filter: "Required parameter" });
  if (typeof filter.unique === "string" && Object.keys(filter).length === 1) {
    const found = ctx.store.findByUnique(filter.unique);
    const body = found ? [renderIssue(ctx, found, false)] : [];
    return { status: 200, headers: { "x-total-pages": "1" }, body };
  }
  const unknown = Object.keys(filter).filter((name) => name !== "queue" && name !== "updatedAt");
  if (unknown.length > 0)
    return error(400, `The simulator does not filter on ${unknown.join(", ")}`);
  const queues = [filter.queue].flat().filter((q): q is string => typeof q === "string");
  const from = isObject(filter.updatedAt) ? filter.updatedAt.from : undefined;
  const since = typeof from === "string" ? Date.parse(from) : 0;
  if (Number.isNaN(since)) return error(400, "", { updatedAt: "Invalid date" });
  const all = ctx.store.updatedSince(queues, since);
  const perPage = Math.min(Math.max(Number(req.query.get("perPage")) || DEFAULT_PAGE, 1), 1000);
  const page = Math.max(Number(req.query.get("page")) || 1, 1);
  const pages = Math.max(Math.ceil(all.length / perPage), 1);
  const items = all.slice((page - 1) * perPage, page * perPage);
  return {
    status: 200,
    headers: { "x-total-pages": String(pages), "x-total-count": String(all.length) },
    body: items.map((issue) => renderIssue(ctx, issue, false)),
  };
}

/** `GET /v2/queues`: the queues that have issues or versions, each with its default type (Task), paged. */
export function listQueues(base: string, store: IssueStore, req: SimRequest): SimReply {
  const perPage = Math.max(1, Number(req.query.get("perPage")) || DEFAULT_PAGE);
  const page = Math.max(1, Number(req.query.get("page")) || 1);
  const all = store.queues().sort();
  return {
    status: 200,
    headers: {
      "x-total-count": String(all.length),
      "x-total-pages": String(Math.max(1, Math.ceil(all.length / perPage))),
    },
    body: all.slice((page - 1) * perPage, page * perPage).map((key) => ({
      self: `${base}/queues/${key}`,
      key,
      display: key,
      defaultType: { self: `${base}/issuetypes/2`, id: "2", key: "task", display: "Task" },
    })),
  };
}

/**
 * The workflow graph: `GET /v2/queues/{queue}/workflows` (workflow id → issue types),
 * `GET /v2/workflows/{id}` (steps: a status with its outgoing actions and their targets),
 * `GET /v2/statuses` (each status with its `type`). Undefined for any other path.
 */
export function workflowRoutes(req: SimRequest, deps: YandexRouteDeps): SimReply | undefined {
  const { store } = deps;
  const queueWorkflows = matchPath(req.path, QUEUE_WORKFLOWS);
  const workflow = matchPath(req.path, WORKFLOW);
  const statuses = matchPath(req.path, STATUSES);
  if (!queueWorkflows && !workflow && !statuses) return undefined;
  if (req.method !== "GET") return error(405, "Method not allowed");
  if (!store.workflowApi) return error(403, "You are not allowed to view workflows");
  const base = `${req.origin}/${(queueWorkflows ?? workflow ?? statuses)![0]}`;
  if (statuses) {
    return { status: 200, body: store.allStatuses().map((s) => renderStatusWithType(base, s)) };
  }
  if (queueWorkflows) {
    const queue = queueWorkflows[1]!;
    if (!store.hasQueue(queue)) return error(404, `Queue ${queue} does not exist.`);
    return {
      status: 200,
      body: { [store.workflowId(queue)]: [{ id: "2", key: "task", display: "Task" }] },
    };
  }
  const id = workflow![1]!;
  const found = store.workflowById(id);
  if (!found) return error(404, `Workflow ${id} does not exist`);
  const status = (key: string) => {
    const s = found.statuses.find((candidate) => candidate.key === key)!;
    return { self: `${base}/statuses/${s.id}`, id: s.id, key: s.key, display: s.display };
  };
  const initial = found.initial ?? found.statuses[0]!.key;
  return {
    status: 200,
    body: {
      self: `${base}/workflows/${id}`,
      id,
      name: id,
      version: 1,
      type: "visual",
      initialAction: { id: "create", name: "Create", target: status(initial) },
      steps: found.statuses.map((s) => ({
        status: status(s.key),
        actions: found.transitions
          .filter((t) => t.from.includes(s.key))
          .map((t) => ({ id: t.id, name: t.display, target: status(t.to) })),
      })),
    },
  };
}

export const YANDEX_TYPE = { new: "new", indeterminate: "inProgress", done: "done" } as const;

export function renderStatusWithType(base: string, status: SimStatus) {
  return {
    self: `${base}/statuses/${status.id}`,
    id: status.id,
    key: status.key,
    display: status.display,
    type: YANDEX_TYPE[status.category ?? "indeterminate"],
  };
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `GET /v2/queues/{queue}/versions` and `POST /v2/versions` with `{queue, name}`. */
export function handleVersions(req: SimRequest, store: IssueStore): SimReply | undefined {
  const list = matchPath(req.path, QUEUE_VERSIONS);
  const create = matchPath(req.path, VERSIONS);
  if (!list && !create) return undefined;
  const ctx: RenderContext = { base: `${req.origin}/${(list ?? create)![0]}`, store };
  if (list) {
    if (req.method !== "GET") return error(405, "Method not allowed");
    return { status: 200, body: store.listVersions(list[1]!).map((v) => renderVersion(ctx, v)) };
  }
  if (req.method !== "POST") return error(405, "Method not allowed");
  const body = isObject(req.body) ? req.body : {};
  const queue = typeof body.queue === "string" ? body.queue : undefined;
  const name = typeof body.name === "string" && body.name.trim() !== "" ? body.name : undefined;
  if (!queue || !name) {
    return error(422, "", {
      ...(queue ? {} : { queue: "Required" }),
      ...(name ? {} : { name: "Required" }),
    });
  }
  const created = store.createVersion(queue, name);
  if (created === "duplicate")
    return error(409, `Version ${name} already exists in queue ${queue}`);
  return { status: 201, body: renderVersion(ctx, created) };
}

/** `{"add": [id | {id}]}` or a plain list of ids/`{id}`; every id must be a version of the issue's queue. */
export function versionsToAdd(
  store: IssueStore,
  issue: SimIssue,
  value: unknown,
): SimVersion[] | string {
  const raw =
    isObject(value) && Array.isArray(value.add) ? value.add : Array.isArray(value) ? value : null;
  if (raw === null) return 'Expected {"add": [<version id>]}';
  const found: SimVersion[] = [];
  for (const item of raw) {
    const id = isObject(item) ? item.id : item;
    const version = store.findVersion(String(id));
    if (!version || version.queue !== issue.queue)
      return `Version ${String(id)} not found in queue ${issue.queue}`;
    found.push(version);
  }
  return found;
}
