/**
 * The Jira endpoints about a project rather than one issue: the workflow graph (Cloud), the JQL search (by label, and the poll), projects, their statuses and versions (list, create, and `fixVersions` in an issue edit), and the error shape all routes answer with.
 */

import { matchPath } from "../shared/admin.js";
import type { SimReply, SimRequest } from "../shared/http-server.js";
import type { IssueStore, SimIssue, SimVersion } from "../shared/store.js";
import type { SimStatus, SimWorkflow } from "../shared/workflow.js";
import {
  jiraError,
  type RenderContext,
  renderProject,
  renderStatus,
  renderVersion,
} from "./render.js";

export const PROJECT_SEARCH = /^\/rest\/api\/(?:2|3|latest)\/project\/search$/;

export const PROJECT = /^\/rest\/api\/(?:2|3|latest)\/project\/([^/]+)$/;

export const PROJECT_STATUSES = /^\/rest\/api\/(?:2|3|latest)\/project\/([^/]+)\/statuses$/;

export const PROJECT_VERSIONS = /^\/rest\/api\/(?:2|3|latest)\/project\/([^/]+)\/versions$/;

export const VERSION = /^\/rest\/api\/(?:2|3|latest)\/version$/;

/** Cloud only: Data Center has no REST resource for a workflow's transitions. */
export const WORKFLOWS = /^\/rest\/api\/3\/workflows$/;

/** The issue types `project/{key}/statuses` lists; issues themselves are all Tasks. */
export const ISSUE_TYPES = [
  { id: "10003", name: "Sub-task", subtask: true },
  { id: "10002", name: "Task", subtask: false },
];

export const DEFAULT_PAGE = 50;

export const error = (
  status: number,
  messages: string[],
  errors?: Record<string, string>,
): SimReply => ({
  status,
  body: jiraError(messages, errors),
});

/**
 * `POST /rest/api/3/workflows` with `projectAndIssueTypes`: the workflows of those projects
 * and issue types, in the transition-links format (`toStatusReference`, `links[].fromStatusReference`),
 * with the statuses' categories. 403 when the token may not read workflows.
 */
export function readWorkflows(store: IssueStore, body: unknown): SimReply {
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

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The one JQL shape the poll sends: `project in ("A", "B") AND updated >= "-5m"`. */
/** The create's marker search: `labels = "trackbridge:acme/web#12"`. */
export const LABEL_JQL = /^labels = "([^"]+)"$/;

export const POLL_JQL = /^project in \(([^)]*)\) AND updated >= "-(\d+)m"$/;

/**
 * Cloud's `GET /search/jql` (pages by `nextPageToken`) and Data Center's `GET /search`
 * (`startAt`, `total`). Other JQL answers 400 as Jira does for a query it cannot run.
 */
export function search(ctx: RenderContext, req: SimRequest): SimReply {
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
export function searchProjects(ctx: RenderContext, req: SimRequest): SimReply {
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
export function handleVersions(ctx: RenderContext, req: SimRequest): SimReply | undefined {
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
export function versionsToAdd(
  store: IssueStore,
  issue: SimIssue,
  ops: unknown,
): SimVersion[] | string {
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
