/**
 * The YouTrack REST endpoints trackbridge uses: `GET|POST /api/issues/{id}` (custom fields
 * set by name with `$type`), `GET|POST /api/issues/{id}/comments`, `GET /api/issues?query=`,
 * `GET /api/users/me`, `GET /api/admin/projects` and `POST
 * /api/admin/customFieldSettings/bundles/version/{bundleID}/values`. Every answer honours
 * `fields`. Changes to `State` go through the project's state machine (updates.ts).
 */
import { matchPath } from "../shared/admin.js";
import type { SimReply, SimRequest } from "../shared/http-server.js";
import { youTrackUsers } from "../shared/people-routes.js";
import { isForbidden, type SimIssue } from "../shared/store.js";
import { type FieldsSpec, parseFields, selectFields } from "./fields.js";
import {
  projectId,
  type RenderContext,
  renderComment,
  renderIssue,
  renderProject,
  renderProjectFields,
  renderVersion,
  versionBundleId,
  ytError,
} from "./render.js";
import { updateIssue } from "./updates.js";

const ISSUE = /^\/api\/issues\/([^/]+)$/;
const COMMENTS = /^\/api\/issues\/([^/]+)\/comments$/;
const COMMENT = /^\/api\/issues\/([^/]+)\/comments\/([^/]+)$/;
const ISSUES = /^\/api\/issues\/?$/;
const ME = /^\/api\/users\/me$/;
const PROJECTS = /^\/api\/admin\/projects\/?$/;
const PROJECT_FIELDS = /^\/api\/admin\/projects\/([^/]+)\/customFields$/;
const VERSION_VALUES = /^\/api\/admin\/customFieldSettings\/bundles\/version\/([^/]+)\/values$/;

const error = (status: number, name: string, description: string): SimReply => ({
  status,
  body: ytError(name, description),
});
const notAllowed = () => error(405, "Method Not Allowed", "HTTP method is not supported");

/** `$top`/`$skip` paging; YouTrack's default page is large, 42 here so a test can see paging. */
function page<T>(req: SimRequest, all: T[]): T[] {
  const skip = Math.max(Number(req.query.get("$skip")) || 0, 0);
  const top = Number(req.query.get("$top"));
  return all.slice(skip, Number.isFinite(top) && top > 0 ? skip + top : skip + 42);
}

export function handleYouTrack(req: SimRequest, ctx: RenderContext): SimReply {
  let spec: FieldsSpec | null;
  try {
    const fields = req.query.get("fields");
    spec = fields === null ? null : parseFields(fields);
  } catch (e) {
    return error(400, "invalid_query", String((e as Error).message));
  }
  const ok = (body: unknown, status = 200): SimReply => ({
    status,
    body: selectFields(body, spec),
  });

  if (ME.test(req.path)) {
    if (req.method !== "GET") return notAllowed();
    return ok({ $type: "Me", id: "1-1", login: "robot", fullName: "Robot", name: "Robot" });
  }
  const users = youTrackUsers(req);
  if (users) return ok(users);
  if (PROJECTS.test(req.path)) {
    if (req.method !== "GET") return notAllowed();
    const query = (req.query.get("query") ?? "").toLowerCase();
    const queues = ctx.store.queues().filter((q) => !query || q.toLowerCase().includes(query));
    return ok(
      page(
        req,
        queues.sort().map((q) => renderProject(ctx, q)),
      ),
    );
  }
  const projectFields = matchPath(req.path, PROJECT_FIELDS);
  if (projectFields) {
    if (req.method !== "GET") return notAllowed();
    const queue = ctx.store.queues().find((q) => projectId(ctx, q) === projectFields[0]);
    if (!queue) return error(404, "Not Found", `Entity with id ${projectFields[0]} not found`);
    return ok(renderProjectFields(ctx, queue));
  }
  const bundle = matchPath(req.path, VERSION_VALUES);
  if (bundle) return addVersion(req, ctx, bundle[0]!, ok);
  if (ISSUES.test(req.path)) {
    if (req.method === "POST") return createIssue(req, ctx, ok);
    if (req.method !== "GET") return notAllowed();
    return search(req, ctx, ok);
  }

  const route =
    matchPath(req.path, COMMENT) ?? matchPath(req.path, COMMENTS) ?? matchPath(req.path, ISSUE);
  if (!route) return error(404, "Not Found", `No such resource: ${req.method} ${req.path}`);
  const issue = findIssue(ctx, route[0]!);
  if (!issue) return error(404, "Not Found", `Entity with id ${route[0]} not found`);
  if (isForbidden(issue, req.method !== "GET")) {
    return error(403, "Forbidden", "You do not have permission to perform this operation");
  }
  if (COMMENT.test(req.path)) return oneComment(req, ctx, issue, route[1]!, ok);
  if (COMMENTS.test(req.path)) {
    if (req.method === "GET") return ok(page(req, issue.comments.map(renderComment)));
    if (req.method !== "POST") return notAllowed();
    const text = (req.body as { text?: unknown } | undefined)?.text;
    if (typeof text !== "string" || text.trim() === "") {
      return error(400, "bad_request", "Comment text is required");
    }
    return ok(renderComment(ctx.store.addComment(issue, text)));
  }
  if (req.method === "GET") return ok(renderIssue(ctx, issue));
  if (req.method !== "POST") return notAllowed();
  const refused = updateIssue(ctx, issue, req.body);
  return refused ?? ok(renderIssue(ctx, issue));
}

/** `POST` (new text) or `DELETE` of `/api/issues/{id}/comments/{commentId}` (`4-N`). */
function oneComment(
  req: SimRequest,
  ctx: RenderContext,
  issue: SimIssue,
  id: string,
  ok: (body: unknown) => SimReply,
): SimReply {
  const seq = /^4-(\d+)$/.exec(id);
  const comment = seq ? ctx.store.findComment(issue, Number(seq[1])) : undefined;
  if (!comment) return error(404, "Not Found", `Entity with id ${id} not found`);
  if (req.method === "DELETE") {
    ctx.store.deleteComment(issue, comment.id);
    return { status: 200 };
  }
  if (req.method !== "POST") return notAllowed();
  const text = (req.body as { text?: unknown } | undefined)?.text;
  if (typeof text !== "string" || text.trim() === "") {
    return error(400, "bad_request", "Comment text is required");
  }
  comment.text = text;
  ctx.store.touch(issue);
  return ok(renderComment(comment));
}

/** By `idReadable` (current or an earlier one of a moved issue) or by entity id `2-N`. */
function findIssue(ctx: RenderContext, id: string): SimIssue | undefined {
  const byKey = ctx.store.find(id);
  if (byKey) return byKey;
  const seq = /^2-(\d+)$/.exec(id);
  if (!seq) return undefined;
  return ctx.store
    .queues()
    .flatMap((q) => ctx.store.updatedSince([q], 0))
    .find((issue) => issue.seq === Number(seq[1]));
}

function addVersion(
  req: SimRequest,
  ctx: RenderContext,
  bundleId: string,
  ok: (body: unknown) => SimReply,
): SimReply {
  if (req.method !== "POST") return notAllowed();
  const queue = ctx.store
    .queues()
    .find((q) => versionBundleId(ctx, q) === bundleId && !ctx.noVersions.has(q));
  if (!queue) return error(404, "Not Found", `Entity with id ${bundleId} not found`);
  const name = (req.body as { name?: unknown } | undefined)?.name;
  if (typeof name !== "string" || name.trim() === "") {
    return error(400, "bad_request", "Version name is required");
  }
  const created = ctx.store.createVersion(queue, name);
  if (created === "duplicate") {
    return error(400, "bad_request", `Value with name ${name} already exists in the bundle`);
  }
  return ok(renderVersion(created.id, created.name, ctx.store.listVersions(queue).length - 1));
}

/**
 * `POST /api/issues` with `project: {id}` (the entity id) and `summary` required,
 * `description` taken: answers the new issue (`fields` as asked). Custom fields keep their
 * defaults: the State set's first state.
 */
function createIssue(
  req: SimRequest,
  ctx: RenderContext,
  ok: (body: unknown) => SimReply,
): SimReply {
  const body = (req.body ?? {}) as {
    project?: { id?: unknown };
    summary?: unknown;
    description?: unknown;
  };
  const queue = ctx.store.queues().find((q) => projectId(ctx, q) === body.project?.id);
  if (!queue) return error(400, "bad_request", "Project is required: give project.id");
  if (typeof body.summary !== "string" || body.summary.trim() === "") {
    return error(400, "bad_request", "Summary is required");
  }
  const description = typeof body.description === "string" ? { description: body.description } : {};
  const issue = ctx.store.createNext(queue, { fields: { summary: body.summary, ...description } });
  return ok(renderIssue(ctx, issue));
}

/**
 * The subset of YouTrack's query language trackbridge sends: `project: {A}, {B}`,
 * `updated: YYYY-MM-DD .. YYYY-MM-DD` (whole days, UTC here) and one quoted phrase (found in
 * the summary or description, by words, as YouTrack's text search does). Anything else answers 400 so a
 * query the simulator does not understand never silently matches everything.
 */
function search(req: SimRequest, ctx: RenderContext, ok: (body: unknown) => SimReply): SimReply {
  const query = req.query.get("query") ?? "";
  const projectTerm =
    /project:\s*((?:\{[^}]+\}|[A-Za-z0-9_]+)(?:\s*,\s*(?:\{[^}]+\}|[A-Za-z0-9_]+))*)/i.exec(query);
  const updatedTerm = /updated:\s*(\d{4}-\d{2}-\d{2})\s*\.\.\s*(\d{4}-\d{2}-\d{2})/i.exec(query);
  const phrase = /"([^"]+)"/.exec(query);
  const rest = query
    .replace(projectTerm?.[0] ?? "", "")
    .replace(updatedTerm?.[0] ?? "", "")
    .replace(phrase?.[0] ?? "", "")
    .trim();
  if (!projectTerm || rest !== "") {
    return error(400, "invalid_query", `The simulator does not understand the query "${query}"`);
  }
  const projects = projectTerm[1]!.split(",").map((p) => p.trim().replace(/^\{|\}$/g, ""));
  const from = updatedTerm ? Date.parse(`${updatedTerm[1]}T00:00:00Z`) : 0;
  const to = updatedTerm ? Date.parse(`${updatedTerm[2]}T23:59:59.999Z`) : Number.POSITIVE_INFINITY;
  const words = (text: string) =>
    text
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean);
  const wanted = phrase ? words(phrase[1]!) : [];
  const found = ctx.store
    .updatedSince(projects, from)
    .filter((issue) => Date.parse(issue.updatedAt) <= to)
    .filter((issue) => {
      const has = new Set(words(`${issue.fields.summary ?? ""} ${issue.fields.description ?? ""}`));
      return wanted.every((word) => has.has(word));
    });
  return ok(
    page(
      req,
      found.map((issue) => renderIssue(ctx, issue)),
    ),
  );
}
