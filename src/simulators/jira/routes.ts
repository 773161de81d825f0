/**
 * The Jira REST endpoints trackbridge uses, on v2 and v3 paths: issue get/edit, transitions
 * list/execute, comments, remote links, the field list, project statuses, project versions (list and create)
 * and `update.fixVersions` in an issue edit.
 */
import type { SimField } from "../shared/admin.js";
import { matchPath } from "../shared/admin.js";
import type { SimReply, SimRequest } from "../shared/http-server.js";
import { jiraUserSearch } from "../shared/people-routes.js";
import { type IssueStore, isForbidden, type SimIssue, type SimVersion } from "../shared/store.js";
import { addComment, addRemoteLink, assign, createIssue, listComments } from "./issue-writes.js";
import {
  error,
  handleVersions,
  isObject,
  PROJECT_SEARCH,
  readWorkflows,
  search,
  searchProjects,
  versionsToAdd,
  WORKFLOWS,
} from "./project-routes.js";
import { type RenderContext, renderField, renderIssue, renderTransition } from "./render.js";

const ISSUE = /^\/rest\/api\/(2|3|latest)\/issue\/([^/]+)$/;
const TRANSITIONS = /^\/rest\/api\/(2|3|latest)\/issue\/([^/]+)\/transitions$/;
const COMMENTS = /^\/rest\/api\/(2|3|latest)\/issue\/([^/]+)\/comment$/;
const REMOTE_LINKS = /^\/rest\/api\/(2|3|latest)\/issue\/([^/]+)\/remotelink$/;
const ASSIGNEE = /^\/rest\/api\/(2|3|latest)\/issue\/([^/]+)\/assignee$/;
const CREATE = /^\/rest\/api\/(2|3|latest)\/issue\/?$/;
const FIELDS = /^\/rest\/api\/(2|3|latest)\/field$/;
const MYSELF = /^\/rest\/api\/(2|3|latest)\/myself$/;
const SEARCH = /^\/rest\/api\/(2|3|latest)\/search(\/jql)?$/;
const NOT_FOUND = "Issue does not exist or you do not have permission to see it.";
export interface JiraRouteDeps {
  store: IssueStore;
  fields: Map<string, SimField>;
  /** Path versions this deployment serves: Cloud has 2 and 3, Data Center only 2. */
  versions: ReadonlySet<string>;
}

const FORBIDDEN_WRITE: Record<string, string> = {
  transitions: "You do not have permission to transition this issue.",
  comment: "You do not have permission to comment on this issue.",
  remotelink: "You do not have permission to link issues in this project.",
  assignee: "You do not have permission to assign issues in this project.",
  issue: "You do not have permission to edit issues in this project.",
};

export function handleJira(req: SimRequest, deps: JiraRouteDeps): SimReply {
  const { store, fields } = deps;
  const version = /^\/rest\/api\/([^/]+)\//.exec(req.path)?.[1];
  if (!version || !deps.versions.has(version)) {
    return error(404, [`No REST resource at ${req.path}`]);
  }
  const ctx: RenderContext = {
    base: `${req.origin}/rest/api/${version}`,
    version: version === "3" ? 3 : 2,
    store,
  };

  // Cloud only (Data Center lists projects with GET /project).
  if (PROJECT_SEARCH.test(req.path) && deps.versions.has("3")) {
    if (req.method !== "GET") return error(405, ["Method not allowed"]);
    return searchProjects(ctx, req);
  }
  const versionReply = handleVersions(ctx, req);
  if (versionReply) return versionReply;
  if (WORKFLOWS.test(req.path)) {
    if (req.method !== "POST") return error(405, ["Method not allowed"]);
    return readWorkflows(store, req.body);
  }

  if (FIELDS.test(req.path) || MYSELF.test(req.path)) {
    if (req.method !== "GET") return error(405, ["Method not allowed"]);
    if (MYSELF.test(req.path)) return { status: 200, body: { displayName: "Robot", active: true } };
    return { status: 200, body: [...fields.values()].map(renderField) };
  }

  const users = jiraUserSearch(req);
  if (users) return users;
  if (SEARCH.test(req.path)) {
    if (req.method !== "GET") return error(405, ["Method not allowed"]);
    return search(ctx, req);
  }

  if (CREATE.test(req.path)) {
    if (req.method !== "POST") return error(405, ["Method not allowed"]);
    return createIssue(ctx, req.body);
  }

  const route =
    matchPath(req.path, ASSIGNEE) ??
    matchPath(req.path, TRANSITIONS) ??
    matchPath(req.path, COMMENTS) ??
    matchPath(req.path, REMOTE_LINKS) ??
    matchPath(req.path, ISSUE);
  if (!route) return error(404, [`No REST resource at ${req.path}`]);
  const issue = store.find(route[1]!);
  if (!issue) return error(404, [NOT_FOUND]);
  const resource = /\/(transitions|comment|remotelink|assignee)$/.exec(req.path)?.[1] ?? "issue";
  const write = req.method !== "GET";
  if (isForbidden(issue, write)) {
    return error(403, [
      write
        ? FORBIDDEN_WRITE[resource]!
        : "You do not have the permission to see the specified issue.",
    ]);
  }

  switch (`${req.method} ${resource}`) {
    case "GET issue": {
      const list = (name: string) =>
        (req.query.get(name) ?? "")
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean);
      const expand = list("expand");
      const body = renderIssue(ctx, issue, {
        fields: list("fields"),
        transitions: expand.includes("transitions") || expand.includes("transitions.fields"),
        transitionFields: expand.includes("transitions.fields"),
      });
      return { status: 200, body };
    }
    case "PUT issue":
      return edit(ctx, issue, req.body, fields);
    case "GET transitions":
      return {
        status: 200,
        body: {
          expand: "transitions",
          transitions: store.transitions(issue).map((t) => renderTransition(ctx, issue, t)),
        },
      };
    case "POST transitions":
      return transition(ctx, issue, req.body);
    case "GET comment":
      return listComments(ctx, issue, req);
    case "POST comment":
      return addComment(ctx, issue, req.body);
    case "GET remotelink":
      return {
        status: 200,
        body: issue.links.map((l) => ({
          id: l.id,
          self: `${ctx.base}/issue/${issue.key}/remotelink/${l.id}`,
          globalId: l.globalId,
          relationship: l.relationship,
          object: { url: l.url, title: l.title },
        })),
      };
    case "POST remotelink":
      return addRemoteLink(ctx, issue, req.body);
    case "DELETE remotelink": {
      // Only the by-globalId form is served; without it Jira would delete every link.
      const globalId = req.query.get("globalId");
      if (!globalId) return error(400, ["The simulator deletes remote links by globalId only."]);
      if (!ctx.store.removeLink(issue, globalId)) return error(404, ["Remote link not found."]);
      return { status: 204 };
    }
    case "PUT assignee":
      return assign(ctx, issue, req.body);
    default:
      return error(405, ["Method not allowed"]);
  }
}

function transition(ctx: RenderContext, issue: SimIssue, body: unknown): SimReply {
  const id = isObject(body) && isObject(body.transition) ? body.transition.id : undefined;
  if (typeof id !== "string" && typeof id !== "number") {
    return error(400, ["Missing 'transition' identifier"]);
  }
  const found = ctx.store.transitions(issue).find((t) => t.id === String(id));
  if (!found) return error(400, [`Transition id '${id}' is not valid for this issue.`]);
  const given = isObject(body) && isObject(body.fields) ? body.fields : {};
  const missing = (found.requiredFields ?? []).filter(
    (name) => given[name.toLowerCase()] === undefined,
  );
  if (missing.length > 0) {
    return error(
      400,
      [],
      Object.fromEntries(missing.map((name) => [name.toLowerCase(), `${name} is required.`])),
    );
  }
  ctx.store.setStatus(issue, found.to);
  return { status: 204 };
}

function cannotSet(id: string): string {
  return `Field '${id}' cannot be set. It is not on the appropriate screen, or unknown.`;
}

function edit(
  ctx: RenderContext,
  issue: SimIssue,
  body: unknown,
  fields: Map<string, SimField>,
): SimReply {
  if (!isObject(body)) return error(400, ["The request body must be a JSON object."]);
  const errors: Record<string, string> = {};
  const updates: Record<string, unknown> = {};
  const check = (id: string, value: unknown) => {
    const field = fields.get(id);
    if (!field || field.settable === false) errors[id] = cannotSet(id);
    else if (field.type === "number" && value !== null && typeof value !== "number") {
      errors[id] = "Operation value must be a number.";
    } else if (ctx.version === 3 && id === "description" && typeof value === "string") {
      errors[id] =
        "Operation value must be an Atlassian Document (see the Atlassian Document Format)";
    } else updates[id] = value;
  };
  for (const [id, value] of Object.entries(isObject(body.fields) ? body.fields : {}))
    check(id, value);
  const addVersions: SimVersion[] = [];
  for (const [id, ops] of Object.entries(isObject(body.update) ? body.update : {})) {
    if (id === "fixVersions") {
      const found = versionsToAdd(ctx.store, issue, ops);
      if (typeof found === "string") errors[id] = found;
      else addVersions.push(...found);
      continue;
    }
    const op = Array.isArray(ops) && ops.length === 1 && isObject(ops[0]) ? ops[0] : undefined;
    if (op && "set" in op) check(id, op.set);
    else errors[id] = "The simulator supports only a single 'set' operation per field.";
  }
  if (Object.keys(errors).length > 0) return error(400, [], errors);
  for (const [id, value] of Object.entries(updates)) {
    if (value === null) delete issue.fields[id];
    else issue.fields[id] = value;
  }
  for (const version of addVersions) ctx.store.addFixVersion(issue, version);
  ctx.store.touch(issue);
  return { status: 204 };
}
