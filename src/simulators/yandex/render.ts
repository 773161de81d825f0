/**
 * Yandex Tracker API v2 JSON shapes, as in the reference (`get-issue`, `get-transitions`,
 * `add-comment`): statuses carry `key`/`display`, transitions `id`/`display`/`to`, errors
 * `{errors, errorMessages, statusCode}`.
 */
import type { IssueStore, SimComment, SimIssue, SimVersion } from "../shared/store.js";
import type { SimStatus, SimTransition } from "../shared/workflow.js";

export interface RenderContext {
  /** `http://127.0.0.1:PORT/v2` — base of every `self` link. */
  base: string;
  store: IssueStore;
}

export function yandexError(
  status: number,
  messages: string[],
  errors: Record<string, string> = {},
): unknown {
  return { errors, errorMessages: messages, statusCode: status };
}

/** Yandex ids are 24 hex digits. */
function hexId(seq: number): string {
  return seq.toString(16).padStart(24, "0");
}

export function renderStatus(ctx: RenderContext, status: SimStatus) {
  return {
    self: `${ctx.base}/statuses/${status.id}`,
    id: status.id,
    key: status.key,
    display: status.display,
  };
}

export function renderTransition(ctx: RenderContext, issue: SimIssue, transition: SimTransition) {
  return {
    id: transition.id,
    self: `${ctx.base}/issues/${issue.key}/transitions/${transition.id}`,
    display: transition.display,
    to: renderStatus(ctx, ctx.store.statusByKey(issue.queue, transition.to)),
    // A transition with a screen: the documented `screen` reference (its fields are not listed).
    ...(transition.requiredFields ? { screen: { id: `screen-${transition.id}` } } : {}),
  };
}

export function renderIssue(ctx: RenderContext, issue: SimIssue, withTransitions: boolean) {
  const body: Record<string, unknown> = {
    // Global fields are top-level keys named by the field id.
    ...issue.fields,
    self: `${ctx.base}/issues/${issue.key}`,
    id: hexId(issue.seq),
    key: issue.key,
    version: issue.version,
    queue: {
      self: `${ctx.base}/queues/${issue.queue}`,
      id: issue.queue,
      key: issue.queue,
      display: issue.queue,
    },
    status: renderStatus(ctx, ctx.store.status(issue)),
    type: { id: "2", key: "task", display: "Task" },
    priority: { id: "3", key: "normal", display: "Normal" },
    createdAt: issue.createdAt,
    updatedAt: issue.updatedAt,
    favorite: false,
  };
  if (issue.aliases.length > 0) body.aliases = [...issue.aliases];
  if (issue.assignee) body.assignee = renderUser(ctx, issue.assignee);
  if (issue.unique) body.unique = issue.unique;
  const fixVersions = issue.fixVersions.flatMap((id) => {
    const version = ctx.store.findVersion(id);
    return version ? [renderVersionRef(ctx, version)] : [];
  });
  if (fixVersions.length > 0) body.fixVersions = fixVersions;
  if (issue.previousStatus) {
    body.previousStatus = renderStatus(
      ctx,
      ctx.store.statusByKey(issue.queue, issue.previousStatus),
    );
  }
  if (withTransitions) {
    // The reference documents `expand=transitions` on GET without its shape; the simulator
    // returns the same objects as GET …/transitions, and the adapter's map.ts reads that.
    body.transitions = ctx.store.transitions(issue).map((t) => renderTransition(ctx, issue, t));
  }
  return body;
}

/** A user reference as issues carry it: `{self, id, display}` (the id is the user's uid). */
export function renderUser(ctx: RenderContext, login: string) {
  const id = ctx.store.userId(login);
  return { self: `${ctx.base}/users/${id}`, id, display: login };
}

export function renderComment(ctx: RenderContext, issue: SimIssue, comment: SimComment) {
  return {
    self: `${ctx.base}/issues/${issue.key}/comments/${comment.id}`,
    id: comment.id,
    longId: hexId(comment.id),
    text: comment.text,
    createdBy: { self: `${ctx.base}/users/1`, id: "robot", display: "Robot" },
    createdAt: comment.createdAt,
    updatedAt: comment.createdAt,
    version: 1,
    type: "standard",
    transport: "internal",
  };
}

/** How an issue refers to a version: `{self, id, display}`, like every Tracker reference. */
export function renderVersionRef(ctx: RenderContext, version: SimVersion) {
  return { self: `${ctx.base}/versions/${version.id}`, id: version.id, display: version.name };
}

/** `GET /v2/queues/{queue}/versions` items and the `POST /v2/versions` answer. */
export function renderVersion(ctx: RenderContext, version: SimVersion) {
  return {
    self: `${ctx.base}/versions/${version.id}`,
    id: Number(version.id),
    version: 1,
    queue: { self: `${ctx.base}/queues/${version.queue}`, id: version.queue, key: version.queue },
    name: version.name,
    released: version.released,
    archived: false,
  };
}
