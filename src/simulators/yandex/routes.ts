/**
 * The Yandex Tracker v2 (and identical v3) endpoints trackbridge uses: issue get/patch,
 * transitions list/execute, comments list/add, move, field list, queue versions (list and
 * create) and `fixVersions` in an issue PATCH.
 */
import type { SimField } from "../shared/admin.js";
import { matchPath } from "../shared/admin.js";
import type { SimReply, SimRequest } from "../shared/http-server.js";
import { yandexUsers } from "../shared/people-routes.js";
import { type IssueStore, isForbidden, type SimIssue, type SimVersion } from "../shared/store.js";
import {
  DEFAULT_PAGE,
  error,
  handleVersions,
  isObject,
  listQueues,
  QUEUES,
  searchIssues,
  versionsToAdd,
  workflowRoutes,
} from "./queue-routes.js";
import { type RenderContext, renderComment, renderIssue, renderTransition } from "./render.js";
import { handleTriggers, type SimTrigger } from "./triggers.js";

const ISSUE = /^\/(v[23])\/issues\/([^/]+)$/;
const TRANSITIONS = /^\/(v[23])\/issues\/([^/]+)\/transitions$/;
const EXECUTE = /^\/(v[23])\/issues\/([^/]+)\/transitions\/([^/]+)\/_execute$/;
const COMMENTS = /^\/(v[23])\/issues\/([^/]+)\/comments$/;
const COMMENT = /^\/(v[23])\/issues\/([^/]+)\/comments\/(\d+)$/;
const ISSUES = /^\/(v[23])\/issues\/?$/;
const MOVE = /^\/(v[23])\/issues\/([^/]+)\/_move$/;
const FIELDS = /^\/(v[23])\/fields$/;
const MYSELF = /^\/(v[23])\/myself$/;
const SEARCH = /^\/(v[23])\/issues\/_search$/;
export interface YandexRouteDeps {
  store: IssueStore;
  fields: Map<string, SimField>;
  /** Triggers by queue, as created through the API. */
  triggers: Map<string, SimTrigger[]>;
}

export function handleYandex(req: SimRequest, deps: YandexRouteDeps): SimReply {
  const { store } = deps;
  const ctxFor = (version: string): RenderContext => ({ base: `${req.origin}/${version}`, store });

  const versions = handleVersions(req, store);
  if (versions) return versions;
  const graph = workflowRoutes(req, deps);
  if (graph) return graph;

  const users = yandexUsers(req, (login) => store.userId(login));
  if (users) return users;
  const plain = matchPath(req.path, FIELDS) ?? matchPath(req.path, MYSELF);
  if (plain) {
    if (req.method !== "GET") return error(405, "Method not allowed");
    if (FIELDS.test(req.path)) {
      const base = `${req.origin}/${plain[0]}`;
      return {
        status: 200,
        body: [...deps.fields.values()].map((f) => ({
          self: `${base}/fields/${f.id}`,
          id: f.id,
          name: f.name,
          readonly: f.settable === false,
          schema: { type: f.type ?? "string", required: false },
        })),
      };
    }
    return { status: 200, body: { uid: 1, login: "robot", display: "Robot" } };
  }

  const queues = matchPath(req.path, QUEUES);
  if (queues) {
    if (req.method !== "GET") return error(405, "Method not allowed");
    return listQueues(`${req.origin}/${queues[0]}`, store, req);
  }

  const triggers = handleTriggers(req, deps.triggers);
  if (triggers) return triggers;

  const search = matchPath(req.path, SEARCH);
  if (search) {
    if (req.method !== "POST") return error(405, "Method not allowed");
    return searchIssues(ctxFor(search[0]!), req);
  }

  const issues = matchPath(req.path, ISSUES);
  if (issues) {
    if (req.method !== "POST") return error(405, "Method not allowed");
    return createIssue(ctxFor(issues[0]!), req.body);
  }

  const route =
    matchPath(req.path, COMMENT) ??
    matchPath(req.path, EXECUTE) ??
    matchPath(req.path, TRANSITIONS) ??
    matchPath(req.path, COMMENTS) ??
    matchPath(req.path, MOVE) ??
    matchPath(req.path, ISSUE);
  if (!route) return error(404, `No such endpoint: ${req.method} ${req.path}`);
  const [version, key] = route as [string, string, ...string[]];
  const ctx = ctxFor(version);

  const issue = store.find(key);
  if (!issue) return error(404, "Issue does not exist.");
  const write = req.method !== "GET";
  if (isForbidden(issue, write)) {
    return error(
      403,
      write ? "You are not allowed to edit this issue" : "You are not allowed to view this issue",
    );
  }

  if (COMMENT.test(req.path)) return oneComment(ctx, issue, Number(route[2]), req);
  if (EXECUTE.test(req.path)) {
    if (req.method !== "POST") return error(405, "Method not allowed");
    return execute(ctx, issue, route[2]!, req.body);
  }
  if (TRANSITIONS.test(req.path)) {
    if (req.method !== "GET") return error(405, "Method not allowed");
    return {
      status: 200,
      body: store.transitions(issue).map((t) => renderTransition(ctx, issue, t)),
    };
  }
  if (COMMENTS.test(req.path)) {
    if (req.method === "GET") return listComments(ctx, issue, req);
    if (req.method === "POST") return addComment(ctx, issue, req.body);
    return error(405, "Method not allowed");
  }
  if (MOVE.test(req.path)) {
    if (req.method !== "POST") return error(405, "Method not allowed");
    const queue = req.query.get("queue");
    if (!queue) return error(400, "", { queue: "Required parameter" });
    return { status: 200, body: renderIssue(ctx, store.move(issue.key, queue), false) };
  }
  if (req.method === "GET") {
    const expand = (req.query.get("expand") ?? "").split(",");
    return { status: 200, body: renderIssue(ctx, issue, expand.includes("transitions")) };
  }
  if (req.method === "PATCH") return patch(ctx, issue, req, deps.fields);
  return error(405, "Method not allowed");
}

function execute(
  ctx: RenderContext,
  issue: SimIssue,
  transitionId: string,
  body: unknown,
): SimReply {
  const transition = ctx.store.transitions(issue).find((t) => t.id === transitionId);
  if (!transition) {
    // Which status the real API uses here is not documented; 400 with the usual body.
    const from = ctx.store.status(issue).display;
    return error(
      400,
      `Transition ${transitionId} is not available for issue ${issue.key} in status ${from}`,
    );
  }
  const missing = (transition.requiredFields ?? []).filter(
    (name) => !isObject(body) || body[fieldKey(name)] === undefined,
  );
  if (missing.length > 0) {
    const errors = Object.fromEntries(
      missing.map((name) => [fieldKey(name), `Field ${name} is required`]),
    );
    return error(422, "", errors);
  }
  ctx.store.setStatus(issue, transition.to);
  const comment = isObject(body) ? body.comment : undefined;
  if (typeof comment === "string" && comment !== "") ctx.store.addComment(issue, comment);
  // 200 with the transitions available from the new status, not the issue.
  return {
    status: 200,
    body: ctx.store.transitions(issue).map((t) => renderTransition(ctx, issue, t)),
  };
}

function patch(
  ctx: RenderContext,
  issue: SimIssue,
  req: SimRequest,
  fields: Map<string, SimField>,
): SimReply {
  if (!isObject(req.body)) return error(400, "The request body must be a JSON object");
  const version = req.query.get("version");
  if (version !== null && Number(version) !== issue.version) {
    return error(409, `Edit conflict: the issue is at version ${issue.version}`);
  }
  const errors: Record<string, string> = {};
  const updates: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(req.body)) {
    const field = fields.get(name);
    if (name === "fixVersions") {
      const added = versionsToAdd(ctx.store, issue, value);
      if (typeof added === "string") errors[name] = added;
      else updates[name] = added;
    } else if (name === "assignee") {
      if (value === null || typeof value === "string") updates[name] = value;
      else errors[name] = "Expected a login or null";
    } else if (name === "status") errors[name] = "Status can only be changed by a transition";
    else if (!field) errors[name] = "Field not found";
    else if (field.settable === false) errors[name] = "Field is read-only";
    else updates[name] = isObject(value) && "set" in value ? value.set : value;
  }
  if (Object.keys(errors).length > 0) return error(400, "", errors);
  for (const [name, value] of Object.entries(updates)) {
    if (name === "fixVersions") {
      for (const version of value as SimVersion[]) ctx.store.addFixVersion(issue, version);
    } else if (name === "assignee") ctx.store.setAssignee(issue, value as string | null);
    else if (value === null) delete issue.fields[name];
    else issue.fields[name] = value;
  }
  ctx.store.touch(issue);
  return { status: 200, body: renderIssue(ctx, issue, false) };
}

/** Pages with `perPage` and the `id` of the last comment seen, linking the next page. */
function listComments(ctx: RenderContext, issue: SimIssue, req: SimRequest): SimReply {
  const perPage = Math.min(Math.max(Number(req.query.get("perPage")) || DEFAULT_PAGE, 1), 500);
  const after = Number(req.query.get("id") ?? 0) || 0;
  const rest = issue.comments.filter((c) => c.id > after);
  const page = rest.slice(0, perPage);
  const headers: Record<string, string> = {};
  const last = page.at(-1);
  if (rest.length > perPage && last) {
    headers.link = `<${ctx.base}/issues/${issue.key}/comments?perPage=${perPage}&id=${last.id}>; rel="next"`;
  }
  return { status: 200, headers, body: page.map((c) => renderComment(ctx, issue, c)) };
}

function addComment(ctx: RenderContext, issue: SimIssue, body: unknown): SimReply {
  const text = isObject(body) ? body.text : undefined;
  if (typeof text !== "string" || text.trim() === "") {
    return error(422, "", { text: "Required field" });
  }
  const comment = ctx.store.addComment(issue, text);
  return { status: 201, body: renderComment(ctx, issue, comment) };
}

/**
 * `POST /v2/issues`: `queue` (key or `{key}`) and `summary` required; `type`, `description`,
 * `assignee` and `unique` taken. A second issue with the same `unique` answers 409, as the
 * reference says (`create-issue`: "the duplicate won't be created").
 */
function createIssue(ctx: RenderContext, body: unknown): SimReply {
  const input = isObject(body) ? body : {};
  const queue = typeof input.queue === "string" ? input.queue : refKey(input.queue);
  const errors: Record<string, string> = {};
  if (!queue) errors.queue = "Required field";
  if (typeof input.summary !== "string" || input.summary.trim() === "")
    errors.summary = "Required field";
  if (Object.keys(errors).length > 0) return error(422, "", errors);
  const unique = typeof input.unique === "string" ? input.unique : undefined;
  if (unique && ctx.store.findByUnique(unique)) {
    return error(409, `Issue with unique value ${unique} already exists`);
  }
  if (!/^[A-Z][A-Z0-9_]*$/.test(queue!)) return error(404, `Queue ${queue} does not exist.`);
  const issue = ctx.store.createNext(queue!, {
    fields: {
      summary: input.summary as string,
      ...(typeof input.description === "string" ? { description: input.description } : {}),
    },
    ...(typeof input.assignee === "string" ? { assignee: input.assignee } : {}),
    ...(unique ? { unique } : {}),
  });
  return { status: 201, body: renderIssue(ctx, issue, false) };
}

function refKey(value: unknown): string | undefined {
  return isObject(value) && typeof value.key === "string" ? value.key : undefined;
}

/** `PATCH` (`{text}`) and `DELETE` of one comment: 200 with the comment, 204. */
function oneComment(ctx: RenderContext, issue: SimIssue, id: number, req: SimRequest): SimReply {
  const comment = ctx.store.findComment(issue, id);
  if (!comment) return error(404, "Comment does not exist.");
  if (req.method === "DELETE") {
    ctx.store.deleteComment(issue, id);
    return { status: 204 };
  }
  if (req.method !== "PATCH") return error(405, "Method not allowed");
  const text = isObject(req.body) ? req.body.text : undefined;
  if (typeof text !== "string" || text.trim() === "")
    return error(422, "", { text: "Required field" });
  comment.text = text;
  ctx.store.touch(issue);
  return { status: 200, body: renderComment(ctx, issue, comment) };
}

/** A screen field's key as the simulator names it: "Resolution" → "resolution". */
function fieldKey(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1).replace(/\s+/g, "");
}
