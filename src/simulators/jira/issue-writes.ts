import type { SimReply, SimRequest } from "../shared/http-server.js";
import type { SimIssue } from "../shared/store.js";
import { adfToText, isAdfDoc } from "./adf.js";
import { DEFAULT_PAGE, error, isObject } from "./project-routes.js";
import { issueId, type RenderContext, renderComment } from "./render.js";

export function listComments(ctx: RenderContext, issue: SimIssue, req: SimRequest): SimReply {
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

export function addComment(ctx: RenderContext, issue: SimIssue, body: unknown): SimReply {
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
export function addRemoteLink(ctx: RenderContext, issue: SimIssue, body: unknown): SimReply {
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
export function createIssue(ctx: RenderContext, body: unknown): SimReply {
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
export function assign(ctx: RenderContext, issue: SimIssue, body: unknown): SimReply {
  const field = ctx.version === 3 ? "accountId" : "name";
  const value = isObject(body) ? body[field] : undefined;
  if (value !== null && typeof value !== "string")
    return error(400, [], { assignee: `Expected ${field}` });
  ctx.store.setAssignee(issue, value);
  return { status: 204 };
}
