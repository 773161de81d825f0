/**
 * The Jira REST endpoints trackbridge uses, on v2 and v3 paths: issue get/edit, transitions
 * list/execute, comments, remote links, the field list, project statuses, project versions (list and create)
 * and `update.fixVersions` in an issue edit.
 */
import type { SimField } from "../shared/admin.js";
import { matchPath } from "../shared/admin.js";
import type { SimReply, SimRequest } from "../shared/http-server.js";
import { type IssueStore, isForbidden, type SimIssue, type SimVersion } from "../shared/store.js";
import type { SimStatus, SimWorkflow } from "../shared/workflow.js";
import { adfToText, isAdfDoc } from "./adf.js";
import {
  issueId,
  jiraError,
  type RenderContext,
  renderComment,
  renderField,
  renderIssue,
  renderProject,
  renderStatus,
  renderTransition,
  renderVersion,
} from "./render.js";

const ISSUE = /^\/rest\/api\/(2|3|latest)\/issue\/([^/]+)$/;
const TRANSITIONS = /^\/rest\/api\/(2|3|latest)\/issue\/([^/]+)\/transitions$/;
const COMMENTS = /^\/rest\/api\/(2|3|latest)\/issue\/([^/]+)\/comment$/;
const REMOTE_LINKS = /^\/rest\/api\/(2|3|latest)\/issue\/([^/]+)\/remotelink$/;
const ASSIGNEE = /^\/rest\/api\/(2|3|latest)\/issue\/([^/]+)\/assignee$/;
const CREATE = /^\/rest\/api\/(2|3|latest)\/issue\/?$/;
const FIELDS = /^\/rest\/api\/(2|3|latest)\/field$/;
const MYSELF = /^\/rest\/api\/(2|3|latest)\/myself$/;
const SEARCH = /^\/rest\/api\/(2|3|latest)\/search(\/jql)?$/;
const PROJECT_SEARCH = /^\/rest\/api\/(?:2|3|latest)\/project\/search$/;
const PROJECT = /^\/rest\/api\/(?:2|3|latest)\/project\/([^/]+)$/;
const PROJECT_STATUSES = /^\/rest\/api\/(?:2|3|latest)\/project\/([^/]+)\/statuses$/;
const PROJECT_VERSIONS = /^\/rest\/api\/(?:2|3|latest)\/project\/([^/]+)\/versions$/;
const VERSION = /^\/rest\/api\/(?:2|3|latest)\/version$/;
/** Cloud only: Data Center has no REST resource for a workflow's transitions. */
const WORKFLOWS = /^\/rest\/api\/3\/workflows$/;

/** The issue types `project/{key}/statuses` lists; issues themselves are all Tasks. */
const ISSUE_TYPES = [
  { id: "10003", name: "Sub-task", subtask: true },
  { id: "10002", name: "Task", subtask: false },
];

const NOT_FOUND = "Issue does not exist or you do not have permission to see it.";
const DEFAULT_PAGE = 50;

export interface JiraRouteDeps {
  store: IssueStore;
  fields: Map<string, SimField>;
  /** Path versions this deployment serves: Cloud has 2 and 3, Data Center only 2. */
  versions: ReadonlySet<string>;
}

const error = (status: number, messages: string[], errors?: Record<string, string>): SimReply => ({
  status,
  body: jiraError(messages, errors),
});

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

/**
 * `POST /rest/api/3/workflows` with `projectAndIssueTypes`: the workflows of those projects
 * and issue types, in the transition-links format (`toStatusReference`, `links[].fromStatusReference`),
 * with the statuses' categories. 403 when the token may not read workflows.
 */
function readWorkflows(store: IssueStore, body: unknown): SimReply {
  if (!store.workflowApi) {
    return error(403, ["You don't have permission to view these workflows."]);
  }
  const pairs =
    isObject(body) && Array.isArray(body.projectAndIssueTypes) ? body.projectAndIssueTypes : [];
  const workflows = new Map<string, SimWorkflow>();
  for (const pair of pairs) {
    const projectId = isObject(pair) ? String(pair.projectId) : "";
    const queue = store.projectById(projectId);
    if (queue) workflows.set(store.workflowId(queue), store.workflowFor(queue));
  }
  const category = { new: "TODO", indeterminate: "IN_PROGRESS", done: "DONE" } as const;
  const statuses = new Map<string, SimStatus>();
  for (const workflow of workflows.values())
    for (const s of workflow.statuses) statuses.set(s.id, s);
  return {
    status: 200,
    body: {
      statuses: [...statuses.values()].map((s) => ({
        id: s.id,
        name: s.display,
        statusReference: s.id,
        statusCategory: category[s.category ?? "indeterminate"],
      })),
      workflows: [...workflows].map(([id, workflow]) => {
        const ref = (key: string) => workflow.statuses.find((s) => s.key === key)!.id;
        return {
          id,
          name: id,
          statuses: workflow.statuses.map((s) => ({ statusReference: s.id })),
          transitions: [
            {
              id: "1",
              name: "Create",
              type: "INITIAL",
              toStatusReference: ref(workflow.initial ?? workflow.statuses[0]!.key),
              links: [],
            },
            ...workflow.transitions.map((t) => ({
              id: t.id,
              name: t.display,
              type: "DIRECTED",
              toStatusReference: ref(t.to),
              links: t.from.map((from) => ({ fromStatusReference: ref(from) })),
            })),
          ],
        };
      }),
    },
  };
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

function listComments(ctx: RenderContext, issue: SimIssue, req: SimRequest): SimReply {
  const startAt = Math.max(Number(req.query.get("startAt")) || 0, 0);
  const maxResults = Math.min(
    Math.max(Number(req.query.get("maxResults")) || DEFAULT_PAGE, 1),
    100,
  );
  const page = issue.comments.slice(startAt, startAt + maxResults);
  return {
    status: 200,
    body: {
      startAt,
      maxResults,
      total: issue.comments.length,
      comments: page.map((c) => renderComment(ctx, issue, c)),
    },
  };
}

function addComment(ctx: RenderContext, issue: SimIssue, body: unknown): SimReply {
  const value = isObject(body) ? body.body : undefined;
  if (ctx.version === 3) {
    if (!isAdfDoc(value)) {
      return error(400, [], {
        comment: "Comment body is not valid! Operation value must be an Atlassian Document.",
      });
    }
    const comment = ctx.store.addComment(issue, adfToText(value), value);
    return { status: 201, body: renderComment(ctx, issue, comment) };
  }
  if (typeof value !== "string" || value.trim() === "") {
    return error(400, [], { comment: "Comment body can not be empty!" });
  }
  const comment = ctx.store.addComment(issue, value);
  return { status: 201, body: renderComment(ctx, issue, comment) };
}

/** Create-or-update keyed by `globalId`: 201 when created, 200 when an existing one was updated. */
function addRemoteLink(ctx: RenderContext, issue: SimIssue, body: unknown): SimReply {
  const object = isObject(body) && isObject(body.object) ? body.object : {};
  const errors: Record<string, string> = {};
  if (typeof object.url !== "string" || object.url === "")
    errors.url = "'url' is a required field.";
  if (typeof object.title !== "string" || object.title === "")
    errors.title = "'title' is a required field.";
  if (Object.keys(errors).length > 0) return error(400, [], errors);
  const input = body as Record<string, unknown>;
  const { link, created } = ctx.store.upsertLink(issue, {
    url: object.url as string,
    title: object.title as string,
    ...(typeof input.globalId === "string" ? { globalId: input.globalId } : {}),
    ...(typeof input.relationship === "string" ? { relationship: input.relationship } : {}),
  });
  return {
    status: created ? 201 : 200,
    body: { id: link.id, self: `${ctx.base}/issue/${issueId(issue)}/remotelink/${link.id}` },
  };
}

/**
 * `POST /issue` with `fields.project` (`{key}` or `{id}`), `summary`, `issuetype` (`{name}` or
 * `{id}`), `description` (ADF on v3, a string on v2) and `labels`: 201 `{id, key, self}`.
 */
function createIssue(ctx: RenderContext, body: unknown): SimReply {
  const fields = isObject(body) && isObject(body.fields) ? body.fields : {};
  const project = isObject(fields.project) ? fields.project : {};
  const queue =
    typeof project.key === "string"
      ? project.key
      : project.id !== undefined
        ? ctx.store.projectById(String(project.id))
        : undefined;
  const errors: Record<string, string> = {};
  if (!queue) errors.project = "Specify a valid project ID or key";
  if (typeof fields.summary !== "string" || fields.summary.trim() === "")
    errors.summary = "You must specify a summary of the issue.";
  if (!isObject(fields.issuetype)) errors.issuetype = "Specify an issue type";
  if (ctx.version === 3 && fields.description !== undefined && !isAdfDoc(fields.description))
    errors.description = "Operation value must be an Atlassian Document";
  const labels = Array.isArray(fields.labels) ? fields.labels : [];
  if (labels.some((label) => typeof label !== "string" || /\s/.test(label)))
    errors.labels = "Labels cannot contain spaces.";
  if (Object.keys(errors).length > 0) return error(400, [], errors);
  const description =
    fields.description === undefined
      ? {}
      : {
          description:
            ctx.version === 3 ? adfToText(fields.description) : String(fields.description),
        };
  const issue = ctx.store.createNext(queue!, {
    fields: { summary: fields.summary as string, ...description, labels },
  });
  return {
    status: 201,
    body: { id: issueId(issue), key: issue.key, self: `${ctx.base}/issue/${issueId(issue)}` },
  };
}

/** `PUT /issue/{key}/assignee`: `{accountId}` on Cloud, `{name}` on Data Center; null unassigns. */
function assign(ctx: RenderContext, issue: SimIssue, body: unknown): SimReply {
  const field = ctx.version === 3 ? "accountId" : "name";
  const value = isObject(body) ? body[field] : undefined;
  if (value !== null && typeof value !== "string")
    return error(400, [], { assignee: `Expected ${field}` });
  ctx.store.setAssignee(issue, value);
  return { status: 204 };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The one JQL shape the poll sends: `project in ("A", "B") AND updated >= "-5m"`. */
/** The create's marker search: `labels = "trackbridge:acme/web#12"`. */
const LABEL_JQL = /^labels = "([^"]+)"$/;
const POLL_JQL = /^project in \(([^)]*)\) AND updated >= "-(\d+)m"$/;

/**
 * Cloud's `GET /search/jql` (pages by `nextPageToken`) and Data Center's `GET /search`
 * (`startAt`, `total`). Other JQL answers 400 as Jira does for a query it cannot run.
 */
function search(ctx: RenderContext, req: SimRequest): SimReply {
  const jql = req.query.get("jql") ?? "";
  const label = LABEL_JQL.exec(jql);
  if (label) {
    const issues = ctx.store.withLabel(label[1]!).map((issue) => ({
      id: String(issue.seq),
      key: issue.key,
      fields: { updated: issue.updatedAt },
    }));
    return { status: 200, body: { startAt: 0, maxResults: 100, total: issues.length, issues } };
  }
  const match = POLL_JQL.exec(jql);
  if (!match) return error(400, [`The simulator cannot run this JQL: ${jql}`]);
  const projects = match[1]!.split(",").map((p) => p.trim().replace(/^"|"$/g, ""));
  const since = Date.now() - Number(match[2]) * 60_000;
  const all = ctx.store.updatedSince(projects, since);
  const maxResults = Math.min(
    Math.max(Number(req.query.get("maxResults")) || DEFAULT_PAGE, 1),
    100,
  );
  const cloud = req.path.endsWith("/jql");
  const startAt =
    Number((cloud ? req.query.get("nextPageToken") : req.query.get("startAt")) ?? 0) || 0;
  const page = all.slice(startAt, startAt + maxResults);
  const issues = page.map((issue) => ({
    id: String(issue.seq),
    key: issue.key,
    fields: { updated: issue.updatedAt },
  }));
  const end = startAt + page.length;
  if (cloud) {
    return {
      status: 200,
      body: { issues, ...(end < all.length ? { nextPageToken: String(end) } : {}) },
    };
  }
  return { status: 200, body: { startAt, maxResults, total: all.length, issues } };
}

/** `GET project/search` (`startAt`, `maxResults`, `expand=issueTypes`): the projects that have issues or versions. */
function searchProjects(ctx: RenderContext, req: SimRequest): SimReply {
  const startAt = Math.max(0, Number(req.query.get("startAt")) || 0);
  const maxResults = Math.max(1, Number(req.query.get("maxResults")) || DEFAULT_PAGE);
  const all = ctx.store.queues().sort();
  const withTypes = (req.query.get("expand") ?? "").split(",").includes("issueTypes");
  const values = all.slice(startAt, startAt + maxResults).map((queue) => ({
    ...renderProject(ctx, queue),
    ...(withTypes ? { issueTypes: [{ id: "10002", name: "Task", subtask: false }] } : {}),
  }));
  return {
    status: 200,
    body: {
      startAt,
      maxResults,
      total: all.length,
      isLast: startAt + maxResults >= all.length,
      values,
    },
  };
}

/**
 * `GET project/{key}`, `GET project/{key}/statuses`, `GET project/{key}/versions`, `POST version`
 * with `{name, projectId}`. A project exists once it has an issue, a version or a workflow.
 */
function handleVersions(ctx: RenderContext, req: SimRequest): SimReply | undefined {
  const { store } = ctx;
  const queueOf = (ref: string) => (/^\d+$/.test(ref) ? store.projectById(ref) : ref);
  const versions = matchPath(req.path, PROJECT_VERSIONS);
  if (versions) {
    if (req.method !== "GET") return error(405, ["Method not allowed"]);
    const queue = queueOf(versions[0]!);
    if (!queue) return error(404, [`No project could be found with key '${versions[0]}'.`]);
    return { status: 200, body: store.listVersions(queue).map((v) => renderVersion(ctx, v)) };
  }
  const project = matchPath(req.path, PROJECT) ?? matchPath(req.path, PROJECT_STATUSES);
  if (project) {
    if (req.method !== "GET") return error(405, ["Method not allowed"]);
    const queue = queueOf(project[0]!);
    if (!queue || !store.hasQueue(queue)) {
      return error(404, [`No project could be found with key '${project[0]}'.`]);
    }
    if (!PROJECT_STATUSES.test(req.path)) return { status: 200, body: renderProject(ctx, queue) };
    // Every issue type of the simulator follows the project's one workflow.
    const statuses = store.workflowFor(queue).statuses.map((s) => renderStatus(ctx, s));
    return {
      status: 200,
      body: ISSUE_TYPES.map((type) => ({
        self: `${ctx.base}/issuetype/${type.id}`,
        ...type,
        statuses,
      })),
    };
  }
  if (!VERSION.test(req.path)) return undefined;
  if (req.method !== "POST") return error(405, ["Method not allowed"]);
  const body = isObject(req.body) ? req.body : {};
  const name = typeof body.name === "string" ? body.name.trim() : "";
  const ref = body.projectId ?? body.project;
  const queue = ref === undefined ? undefined : queueOf(String(ref));
  if (name === "") return error(400, [], { name: "You must specify a valid version name" });
  if (!queue) return error(400, [], { project: "You must specify a valid project." });
  const created = store.createVersion(queue, name);
  if (created === "duplicate") {
    return error(400, [], { name: "A version with this name already exists in this project." });
  }
  return { status: 201, body: renderVersion(ctx, created) };
}

/** `[{add: {name}}]` or `[{add: {id}}]`, each naming a version of the issue's project. */
function versionsToAdd(store: IssueStore, issue: SimIssue, ops: unknown): SimVersion[] | string {
  if (!Array.isArray(ops)) return "Operation value must be an array of operations.";
  const found: SimVersion[] = [];
  for (const op of ops) {
    const ref = isObject(op) && isObject(op.add) ? op.add : undefined;
    if (!ref) return "The simulator supports only 'add' for fixVersions.";
    const version = store
      .listVersions(issue.queue)
      .find((v) => v.id === String(ref.id) || v.name === ref.name);
    if (!version) return `Version name '${String(ref.name ?? ref.id)}' is not valid`;
    found.push(version);
  }
  return found;
}
