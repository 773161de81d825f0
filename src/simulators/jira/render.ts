/**
 * Jira REST v2/v3 JSON shapes from the reference: issues with `fields`, statuses by numeric
 * id with `statusCategory`, transitions `{id, name, to}`, comments with ADF bodies on v3 and
 * plain strings on v2, errors `{errorMessages, errors}`.
 */
import type { SimField } from "../shared/admin.js";
import type { IssueStore, SimComment, SimIssue, SimVersion } from "../shared/store.js";
import type { SimStatus, SimTransition } from "../shared/workflow.js";
import { adfToText, textToAdf } from "./adf.js";

export interface RenderContext {
  /** `http://127.0.0.1:PORT/rest/api/3` */
  base: string;
  /** The API version of the path the request came in on. */
  version: 2 | 3;
  store: IssueStore;
}

export function jiraError(messages: string[], errors: Record<string, string> = {}): unknown {
  return { errorMessages: messages, errors };
}

const CATEGORIES = {
  new: { id: 2, key: "new", colorName: "blue-gray", name: "To Do" },
  indeterminate: { id: 4, key: "indeterminate", colorName: "yellow", name: "In Progress" },
  done: { id: 3, key: "done", colorName: "green", name: "Done" },
} as const;

export function issueId(issue: SimIssue): string {
  return String(10000 + issue.seq);
}

export function renderStatus(ctx: RenderContext, status: SimStatus) {
  const category = CATEGORIES[status.category ?? "indeterminate"];
  return {
    self: `${ctx.base}/status/${status.id}`,
    description: "",
    name: status.display,
    id: status.id,
    statusCategory: { self: `${ctx.base}/statuscategory/${category.id}`, ...category },
  };
}

export function renderTransition(
  ctx: RenderContext,
  issue: SimIssue,
  transition: SimTransition,
  withFields = false,
) {
  const required = transition.requiredFields ?? [];
  return {
    id: transition.id,
    name: transition.display,
    to: renderStatus(ctx, ctx.store.statusByKey(issue.queue, transition.to)),
    hasScreen: required.length > 0,
    ...(withFields
      ? {
          fields: Object.fromEntries(
            required.map((name) => [
              name.toLowerCase(),
              { required: true, name, key: name.toLowerCase(), operations: ["set"] },
            ]),
          ),
        }
      : {}),
    isGlobal: false,
    isInitial: false,
    isAvailable: true,
    isConditional: false,
    isLooped: false,
  };
}

/** `fields` is the `?fields=` list; empty, `*all` or `*navigable` mean every field. */
export function renderIssue(
  ctx: RenderContext,
  issue: SimIssue,
  options: { fields: string[]; transitions: boolean; transitionFields?: boolean },
) {
  const all: Record<string, unknown> = {
    ...issue.fields,
    status: renderStatus(ctx, ctx.store.status(issue)),
    project: renderProject(ctx, issue.queue),
    fixVersions: issue.fixVersions.flatMap((id) => {
      const version = ctx.store.findVersion(id);
      return version ? [renderVersion(ctx, version)] : [];
    }),
    issuetype: { id: "10002", name: "Task", subtask: false },
    // Cloud names people by accountId, Data Center by name.
    assignee: issue.assignee
      ? ctx.version === 3
        ? { accountId: issue.assignee, displayName: issue.assignee, active: true }
        : { name: issue.assignee, key: issue.assignee, displayName: issue.assignee, active: true }
      : null,
    created: issue.createdAt,
    updated: issue.updatedAt,
  };
  const wantsAll =
    options.fields.length === 0 || options.fields.some((f) => f === "*all" || f === "*navigable");
  const fields = wantsAll
    ? all
    : Object.fromEntries(Object.entries(all).filter(([id]) => options.fields.includes(id)));
  const body: Record<string, unknown> = {
    expand: "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations",
    id: issueId(issue),
    self: `${ctx.base}/issue/${issueId(issue)}`,
    key: issue.key,
    fields,
  };
  if (options.transitions) {
    body.transitions = ctx.store
      .transitions(issue)
      .map((t) => renderTransition(ctx, issue, t, options.transitionFields === true));
  }
  return body;
}

export function renderComment(ctx: RenderContext, issue: SimIssue, comment: SimComment) {
  const body =
    ctx.version === 3
      ? (comment.adf ?? textToAdf(comment.text))
      : comment.adf === undefined
        ? comment.text
        : adfToText(comment.adf);
  return {
    self: `${ctx.base}/issue/${issueId(issue)}/comment/${comment.id}`,
    id: String(comment.id),
    author: { displayName: "Robot", active: true },
    body,
    created: comment.createdAt,
    updated: comment.createdAt,
  };
}

export function renderField(field: SimField) {
  const custom = field.id.startsWith("customfield_");
  const type = field.type ?? "string";
  return {
    id: field.id,
    key: field.id,
    name: field.name,
    custom,
    orderable: true,
    navigable: true,
    searchable: true,
    clauseNames: custom ? [`cf[${field.id.slice("customfield_".length)}]`, field.name] : [field.id],
    schema: custom
      ? {
          type,
          custom: `com.atlassian.jira.plugin.system.customfieldtypes:${type === "number" ? "float" : "url"}`,
          customId: Number(field.id.slice(12)),
        }
      : { type, system: field.id },
  };
}

export function renderProject(ctx: RenderContext, queue: string) {
  const id = ctx.store.projectId(queue);
  return { self: `${ctx.base}/project/${id}`, id, key: queue, name: queue };
}

export function renderVersion(ctx: RenderContext, version: SimVersion) {
  return {
    self: `${ctx.base}/version/${version.id}`,
    id: version.id,
    name: version.name,
    archived: false,
    released: version.released,
    projectId: Number(ctx.store.projectId(version.queue)),
  };
}
