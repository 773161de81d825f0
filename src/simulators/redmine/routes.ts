/**
 * The Redmine REST routes the adapter uses. What is held to the real API (RM = redmine/redmine):
 * - `PUT /issues/{id}.json` answers 204 and SILENTLY IGNORES a `status_id` the workflow does
 *   not allow from the current status (Issue#safe_attributes=: the status is set only when it
 *   is in `new_statuses_allowed_to`), also when the workflow changed after the client read it.
 *   Custom fields that are not editable, or unknown, are dropped the same way.
 * - `include=allowed_statuses` lists the workflow's targets plus the current status.
 * - A `fixed_version_id` outside the issue's project is a 422 validation error.
 * - `/custom_fields.json` is served (it needs an administrator's key on a real Redmine).
 */
import type { SimField } from "../shared/admin.js";
import { matchPath } from "../shared/admin.js";
import type { SimReply, SimRequest } from "../shared/http-server.js";
import { type IssueStore, isForbidden, type SimIssue } from "../shared/store.js";
import { resolveStatus } from "../shared/workflow.js";
import { assign, createIssue, updateJournal } from "./issue-create.js";
import {
  numericId,
  redmineErrors,
  redmineTime,
  renderIssue,
  renderProject,
  renderStatus,
  TASK_TRACKER,
} from "./render.js";

export interface RedmineContext {
  store: IssueStore;
  fields: Map<string, SimField>;
  user: { id: number; login: string; firstname: string; lastname: string; api_key: string };
}

const NOT_FOUND: SimReply = { status: 404 };
const FORBIDDEN: SimReply = { status: 403 };
const MAX_LIMIT = 100;

export function handleRedmine(req: SimRequest, ctx: RedmineContext): SimReply {
  const { method, path } = req;
  const issueId = matchPath(path, /^\/issues\/(\d+)\.json$/);
  if (issueId) {
    const issue = ctx.store.findNumber(issueId[0]!);
    if (!issue) return NOT_FOUND;
    if (method === "GET") return readIssue(req, ctx, issue);
    if (method === "PUT") return updateIssue(req, ctx, issue);
    return { status: 405 };
  }
  if (method === "GET" && path === "/issues.json") return searchIssues(req, ctx);
  if (method === "POST" && path === "/issues.json") {
    return createIssue(req, ctx.store, (ref) => findProject(ctx.store, ref));
  }
  const journal = matchPath(path, /^\/journals\/(\d+)\.json$/);
  if (journal && method === "PUT") return updateJournal(req, ctx.store, journal[0]!);
  if (method === "GET" && path === "/issue_statuses.json") {
    return { status: 200, body: { issue_statuses: ctx.store.allStatuses().map(renderStatus) } };
  }
  if (method === "GET" && path === "/trackers.json") {
    const initial = ctx.store.workflowFor("").initial;
    const status = ctx.store.statusByKey("", initial ?? ctx.store.allStatuses()[0]!.key);
    const defaultStatus = { id: numericId(status.id), name: status.display };
    return {
      status: 200,
      body: { trackers: [{ ...TASK_TRACKER, default_status: defaultStatus }] },
    };
  }
  if (method === "GET" && path === "/custom_fields.json") {
    const custom_fields = [...ctx.fields.values()].map((f) => ({
      id: numericId(f.id),
      name: f.name,
      customized_type: "issue",
      field_format: "link",
    }));
    return { status: 200, body: { custom_fields } };
  }
  if (method === "GET" && path === "/users/current.json") {
    return { status: 200, body: { user: ctx.user } };
  }
  if (method === "GET" && path === "/projects.json") return listProjects(req, ctx);
  const versions = matchPath(path, /^\/projects\/([^/]+)\/versions\.json$/);
  if (versions) {
    const queue = findProject(ctx.store, versions[0]!);
    if (!queue) return NOT_FOUND;
    if (method === "GET") return listVersions(ctx, queue);
    if (method === "POST") return createVersion(req, ctx, queue);
    return { status: 405 };
  }
  const project = matchPath(path, /^\/projects\/([^/]+)\.json$/);
  if (project && method === "GET") {
    const queue = findProject(ctx.store, project[0]!);
    if (!queue) return NOT_FOUND;
    return { status: 200, body: { project: withTrackers(ctx.store, queue) } };
  }
  return NOT_FOUND;
}

function readIssue(req: SimRequest, ctx: RedmineContext, issue: SimIssue): SimReply {
  if (isForbidden(issue, false)) return FORBIDDEN;
  const include = (req.query.get("include") ?? "").split(",");
  const body = renderIssue(ctx.store, ctx.fields, issue, {
    allowedStatuses: include.includes("allowed_statuses"),
    journals: include.includes("journals"),
  });
  return { status: 200, body: { issue: body } };
}

function updateIssue(req: SimRequest, ctx: RedmineContext, issue: SimIssue): SimReply {
  if (isForbidden(issue, true)) return FORBIDDEN;
  const input = (req.body as { issue?: Record<string, unknown> } | undefined)?.issue;
  if (typeof input !== "object" || input === null) {
    return { status: 422, body: redmineErrors(["issue is missing"]) };
  }
  const { store } = ctx;
  let changed = false;
  if (input.fixed_version_id !== undefined && input.fixed_version_id !== null) {
    const version = store.findVersion(String(input.fixed_version_id));
    if (!version || version.queue !== issue.queue) {
      return { status: 422, body: redmineErrors(["Target version is not included in the list"]) };
    }
    issue.fixVersions = [version.id];
    changed = true;
  }
  if (input.assigned_to_id !== undefined) {
    const refused = assign(store, issue, input.assigned_to_id);
    if (refused) return refused;
  }
  if (input.status_id !== undefined) {
    const workflow = store.workflowFor(issue.queue);
    const target = resolveStatus(workflow, String(input.status_id));
    // The workflow as it is now, not as it was when the client read the issue.
    const transition = store
      .transitions(issue)
      .find((t) => target !== undefined && t.to === target.key);
    if (transition?.requiredFields?.length) {
      const blank = transition.requiredFields.map((name) => `${name} cannot be blank`);
      return { status: 422, body: redmineErrors(blank) };
    }
    if (transition && target) {
      store.setStatus(issue, target.key);
      changed = true;
    }
  }
  if (Array.isArray(input.custom_fields)) {
    for (const entry of input.custom_fields as Array<{ id?: unknown; value?: unknown }>) {
      const field = ctx.fields.get(String(entry?.id));
      if (!field || field.settable === false) continue;
      issue.fields[field.id] = entry.value;
      changed = true;
    }
  }
  if (typeof input.notes === "string" && input.notes.trim() !== "") {
    store.addComment(issue, input.notes);
    changed = false; // addComment touched the issue
  }
  if (changed) store.touch(issue);
  return { status: 204 };
}

/** `GET /issues.json?updated_on=>=<ISO>&status_id=*&project_id=&limit=&offset=`. */
function searchIssues(req: SimRequest, ctx: RedmineContext): SimReply {
  const { store } = ctx;
  const limit = Math.min(MAX_LIMIT, Number(req.query.get("limit") ?? 25) || 25);
  const offset = Number(req.query.get("offset") ?? 0) || 0;
  const updated = /^>=(.+)$/.exec(req.query.get("updated_on") ?? "");
  const since = updated ? Date.parse(updated[1]!) : Number.NaN;
  if (updated && Number.isNaN(since)) {
    return { status: 422, body: redmineErrors(["Updated is not a valid date"]) };
  }
  const projectRef = req.query.get("project_id");
  const queue = projectRef ? findProject(store, projectRef) : undefined;
  if (projectRef && !queue) return NOT_FOUND;
  const allStatuses = req.query.get("status_id") === "*";
  // `description=~text`: contains, as Redmine's query filter (SQL LIKE).
  const contains = /^~(.+)$/.exec(req.query.get("description") ?? "")?.[1];
  const matching = store.all().filter((issue) => {
    if (queue && issue.queue !== queue) return false;
    if (contains && !String(issue.fields.description ?? "").includes(contains)) return false;
    if (!allStatuses && store.status(issue).category === "done") return false;
    // Redmine compares at whole seconds.
    return !updated || Date.parse(redmineTime(issue.updatedAt)) >= since;
  });
  const page = matching.slice(offset, offset + limit);
  return {
    status: 200,
    body: {
      issues: page.map((issue) => renderIssue(store, ctx.fields, issue)),
      total_count: matching.length,
      offset,
      limit,
    },
  };
}

function listProjects(req: SimRequest, ctx: RedmineContext): SimReply {
  const limit = Math.min(MAX_LIMIT, Number(req.query.get("limit") ?? 25) || 25);
  const include = (req.query.get("include") ?? "").split(",");
  const queues = ctx.store.queues().sort();
  const projects = queues
    .slice(0, limit)
    .map((queue) =>
      include.includes("trackers")
        ? withTrackers(ctx.store, queue)
        : renderProject(ctx.store, queue),
    );
  return { status: 200, body: { projects, total_count: queues.length, offset: 0, limit } };
}

function withTrackers(store: IssueStore, queue: string) {
  return { ...renderProject(store, queue), trackers: [TASK_TRACKER] };
}

/** A project by numeric id or identifier (the queue key in lower case). */
function findProject(store: IssueStore, ref: string): string | undefined {
  const byId = store.projectById(ref);
  if (byId && store.hasQueue(byId)) return byId;
  return (
    store.queues().find((queue) => queue.toLowerCase() === ref.toLowerCase()) ??
    (store.hasQueue(ref.toUpperCase()) ? ref.toUpperCase() : undefined)
  );
}

function listVersions(ctx: RedmineContext, queue: string): SimReply {
  const project = renderProject(ctx.store, queue);
  const versions = ctx.store.listVersions(queue).map((v) => ({
    id: Number(v.id),
    project: { id: project.id, name: project.name },
    name: v.name,
    status: v.released ? "closed" : "open",
  }));
  return { status: 200, body: { versions, total_count: versions.length } };
}

function createVersion(req: SimRequest, ctx: RedmineContext, queue: string): SimReply {
  const name = (req.body as { version?: { name?: unknown } } | undefined)?.version?.name;
  if (typeof name !== "string" || name.trim() === "") {
    return { status: 422, body: redmineErrors(["Name cannot be blank"]) };
  }
  const created = ctx.store.createVersion(queue, name);
  if (created === "duplicate") {
    return { status: 422, body: redmineErrors(["Name has already been taken"]) };
  }
  const project = renderProject(ctx.store, queue);
  return {
    status: 201,
    body: {
      version: { id: Number(created.id), project: { id: project.id, name: project.name }, name },
    },
  };
}
