/**
 * YouTrack REST (`/api`) entities as the developer portal describes them: every entity
 * carries `$type`; an issue's `customFields` are `IssueCustomField`s (`StateIssueCustomField`
 * with a `StateBundleElement` value `{name, isResolved, ordinal}`, `SingleEnumIssueCustomField`,
 * `MultiVersionIssueCustomField`, `TextIssueCustomField` with `{text}`, `SimpleIssueCustomField`
 * with a bare value), each with its `projectCustomField` and, for bundle fields, the
 * `bundle(values)` a project offers. Errors are `{error, error_description}`, plus
 * `error_type: "workflow"` and the rule's name when a workflow refused the change (the
 * attributes YouTrack's own mobile client reads from an error).
 */
import type { SimField } from "../shared/admin.js";
import type { IssueStore, SimComment, SimIssue } from "../shared/store.js";
import type { SimStatus } from "../shared/workflow.js";

export const STATE = "State";
export const TYPE = "Type";
export const FIX_VERSIONS = "Fix versions";
export const ASSIGNEE = "Assignee";
/** Issue types the simulator's Type field offers; new issues are Tasks. */
export const ISSUE_TYPES = ["Task", "Bug"];

export interface RenderContext {
  store: IssueStore;
  fields: Map<string, SimField>;
  /** Projects whose Fix versions field was removed (the team does not use versions). */
  noVersions: Set<string>;
}

type Entity = Record<string, unknown>;

export function ytError(error: string, description: string, extra: Entity = {}): Entity {
  return { error, error_description: description, ...extra };
}

/** Entity ids look like `2-17` (type prefix, sequence), as in the reference. */
export function issueId(issue: SimIssue): string {
  return `2-${issue.seq}`;
}

export function projectId(ctx: RenderContext, queue: string): string {
  return `0-${Number(ctx.store.projectId(queue)) - 10000}`;
}

export function renderProject(ctx: RenderContext, queue: string): Entity {
  return { $type: "Project", id: projectId(ctx, queue), shortName: queue, name: queue };
}

export function renderState(status: SimStatus, ordinal: number): Entity {
  return {
    $type: "StateBundleElement",
    id: `st-${status.id}`,
    name: status.display,
    // The shared workflows' Jira categories: "done" is YouTrack's resolved.
    isResolved: status.category === "done",
    ordinal,
  };
}

function stateValues(ctx: RenderContext, queue: string): Entity[] {
  return ctx.store.workflowFor(queue).statuses.map((s, i) => renderState(s, i));
}

function projectField(
  ctx: RenderContext,
  queue: string,
  name: string,
  type: string,
  bundle?: Entity,
): Entity {
  return {
    $type: type,
    id: `pcf-${projectId(ctx, queue)}-${name}`,
    field: { $type: "CustomField", id: `cf-${name}`, name },
    ...(bundle ? { bundle } : {}),
  };
}

export function versionBundleId(ctx: RenderContext, queue: string): string {
  return `vb-${projectId(ctx, queue)}`;
}

export function renderVersion(id: string, name: string, ordinal: number): Entity {
  return { $type: "VersionBundleElement", id, name, ordinal, released: false, archived: false };
}

/** `GET /api/admin/projects/{id}/customFields`: the project's fields with their sets. */
export function renderProjectFields(ctx: RenderContext, queue: string): Entity[] {
  const fields = [
    projectField(ctx, queue, STATE, "StateProjectCustomField", {
      $type: "StateBundle",
      id: `sb-${projectId(ctx, queue)}`,
      values: stateValues(ctx, queue),
    }),
  ];
  if (!ctx.noVersions.has(queue)) {
    fields.push(
      projectField(ctx, queue, FIX_VERSIONS, "VersionProjectCustomField", {
        $type: "VersionBundle",
        id: versionBundleId(ctx, queue),
        values: ctx.store.listVersions(queue).map((v, i) => renderVersion(v.id, v.name, i)),
      }),
    );
  }
  return fields;
}

/** The custom fields of an issue's project, with the issue's values. */
export function renderCustomFields(ctx: RenderContext, issue: SimIssue): Entity[] {
  const { store } = ctx;
  const status = store.status(issue);
  const index = store.workflowFor(issue.queue).statuses.findIndex((s) => s.key === status.key);
  const list: Entity[] = [
    {
      $type: "StateIssueCustomField",
      id: `cf-${STATE}`,
      name: STATE,
      value: renderState(status, Math.max(index, 0)),
      projectCustomField: projectField(ctx, issue.queue, STATE, "StateProjectCustomField", {
        $type: "StateBundle",
        id: `sb-${projectId(ctx, issue.queue)}`,
        values: stateValues(ctx, issue.queue),
      }),
    },
    {
      $type: "SingleEnumIssueCustomField",
      id: `cf-${TYPE}`,
      name: TYPE,
      value: { $type: "EnumBundleElement", id: `en-${typeOf(issue)}`, name: typeOf(issue) },
      projectCustomField: projectField(ctx, issue.queue, TYPE, "EnumProjectCustomField", {
        $type: "EnumBundle",
        id: "eb-types",
        values: ISSUE_TYPES.map((name, i) => ({ $type: "EnumBundleElement", name, ordinal: i })),
      }),
    },
  ];
  list.push({
    $type: "SingleUserIssueCustomField",
    id: `cf-${ASSIGNEE}`,
    name: ASSIGNEE,
    value: issue.assignee
      ? { $type: "User", login: issue.assignee, fullName: issue.assignee }
      : null,
    projectCustomField: projectField(ctx, issue.queue, ASSIGNEE, "UserProjectCustomField"),
  });
  if (!ctx.noVersions.has(issue.queue)) {
    const versions = store.listVersions(issue.queue);
    list.push({
      $type: "MultiVersionIssueCustomField",
      id: `cf-${FIX_VERSIONS}`,
      name: FIX_VERSIONS,
      value: issue.fixVersions.flatMap((id) => {
        const version = store.findVersion(id);
        return version ? [renderVersion(id, version.name, versions.indexOf(version))] : [];
      }),
      projectCustomField: projectField(
        ctx,
        issue.queue,
        FIX_VERSIONS,
        "VersionProjectCustomField",
        {
          $type: "VersionBundle",
          id: versionBundleId(ctx, issue.queue),
          values: versions.map((v, i) => renderVersion(v.id, v.name, i)),
        },
      ),
    });
  }
  for (const field of ctx.fields.values()) {
    if (field.settable === false) continue;
    list.push(renderPlainField(ctx, issue, field));
  }
  return list;
}

/** `$type` of the issue custom field a simulator field is. */
export function plainFieldType(field: SimField): string {
  return field.type === "text" ? "TextIssueCustomField" : "SimpleIssueCustomField";
}

function renderPlainField(ctx: RenderContext, issue: SimIssue, field: SimField): Entity {
  const stored = issue.fields[field.id];
  const type = plainFieldType(field);
  const value =
    stored === undefined || stored === null
      ? null
      : type === "TextIssueCustomField"
        ? { $type: "TextFieldValue", id: `tv-${field.id}`, text: String(stored) }
        : stored;
  const projectType =
    type === "TextIssueCustomField" ? "TextProjectCustomField" : "SimpleProjectCustomField";
  return {
    $type: type,
    id: `cf-${field.id}`,
    name: field.name,
    value,
    projectCustomField: projectField(ctx, issue.queue, field.name, projectType),
  };
}

export function typeOf(issue: SimIssue): string {
  const type = issue.fields[TYPE];
  return typeof type === "string" ? type : "Task";
}

export function renderIssue(ctx: RenderContext, issue: SimIssue): Entity {
  return {
    $type: "Issue",
    id: issueId(issue),
    idReadable: issue.key,
    summary: issue.fields.summary ?? "",
    description: issue.fields.description ?? null,
    created: Date.parse(issue.createdAt),
    updated: Date.parse(issue.updatedAt),
    project: renderProject(ctx, issue.queue),
    customFields: renderCustomFields(ctx, issue),
  };
}

export function renderComment(comment: SimComment): Entity {
  return {
    $type: "IssueComment",
    id: `4-${comment.id}`,
    text: comment.text,
    usesMarkdown: true,
    created: Date.parse(comment.createdAt),
  };
}
