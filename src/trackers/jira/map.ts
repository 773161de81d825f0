/**
 * Pure mapping of Jira REST v2/v3 JSON to the port's types, and comment bodies both ways.
 *
 * API fields used:
 * - issue (`?fields=status&expand=transitions`): `key`, `fields.status.id` (the status key
 *   the port uses), `fields.status.name`, `transitions[].{id, name, isAvailable, to.{id, name}}`.
 *   Jira has no `aliases`: a moved issue answers its old key under the new `key`, so the
 *   asked key becomes the alias.
 * - comments: `total`, `comments[].{id, body}`; `body` is ADF on v3, a string on v2.
 * - field list (`GET /field`): `[].{id, name, custom}`.
 * - `fields.status.statusCategory.key` (new / indeterminate / done), `fields.project.{id, key}`,
 *   `fields.issuetype.{id, name}`; with `expand=transitions.fields`, `transitions[].fields`
 *   entries with `required: true` and their `name`.
 * - workflows (`POST /rest/api/3/workflows`): `statuses[].{statusReference, name,
 *   statusCategory}`, `workflows[].transitions[].{id, name, type, toStatusReference,
 *   links[].fromStatusReference}`; the INITIAL transition's target is the start status.
 * - `fields.assignee.{accountId (Cloud) | name (Data Center), displayName}`; a created
 *   issue's `key` (`POST …/issue` answers `{id, key, self}`).
 * - project statuses (`GET project/{key}/statuses`): per issue type `{id, name, subtask,
 *   statuses[].{id, name, statusCategory.key}}`; `GET project/{key}`: `id`.
 */

import { asObject, type Json, text } from "../json.js";
import type {
  TrackerComment,
  TrackerIssue,
  TrackerStatus,
  TrackerTransition,
  WorkflowGraph,
  WorkflowScope,
} from "../port.js";

const CATEGORY: Record<string, TrackerStatus["category"]> = {
  new: "todo",
  indeterminate: "in_progress",
  done: "done",
  TODO: "todo",
  IN_PROGRESS: "in_progress",
  DONE: "done",
};

export function mapStatus(value: unknown): TrackerStatus {
  const status = asObject(value);
  const key = text(status.id);
  const mapped: TrackerStatus = { key, display: text(status.name) || key };
  const category = CATEGORY[text(asObject(status.statusCategory).key)];
  if (category) mapped.category = category;
  return mapped;
}

export function mapWorkflows(value: unknown): WorkflowGraph | undefined {
  const body = asObject(value);
  const workflow = Array.isArray(body.workflows) ? asObject(body.workflows[0]) : undefined;
  if (!workflow) return undefined;
  const statuses = new Map<string, TrackerStatus>();
  for (const item of Array.isArray(body.statuses) ? body.statuses.map(asObject) : []) {
    // Transitions name statuses by `statusReference`; issues by status `id`, the port's key.
    const key = text(item.id) || text(item.statusReference);
    const status: TrackerStatus = { key, display: text(item.name) || key };
    const category = CATEGORY[text(item.statusCategory)];
    if (category) status.category = category;
    statuses.set(text(item.statusReference) || key, status);
  }
  const status = (ref: string): TrackerStatus => statuses.get(ref) ?? { key: ref, display: ref };
  const graph: WorkflowGraph = { statuses: [...statuses.values()], edges: [], source: "tracker" };
  const keyOf = (ref: string) => status(ref).key;
  for (const t of Array.isArray(workflow.transitions) ? workflow.transitions.map(asObject) : []) {
    const to = status(text(t.toStatusReference));
    if (t.type === "INITIAL") {
      graph.initial = to.key;
      continue;
    }
    const transition: TrackerTransition = {
      id: text(t.id),
      display: text(t.name) || text(t.id),
      to,
    };
    const links = Array.isArray(t.links) ? t.links.map(asObject) : [];
    // A GLOBAL transition leads from every status.
    const from =
      t.type === "GLOBAL"
        ? graph.statuses.map((s) => s.key).filter((key) => key !== to.key)
        : links.map((link) => keyOf(text(link.fromStatusReference)));
    for (const key of from) graph.edges.push({ from: key, transition });
  }
  return graph;
}

export function mapTransitions(value: unknown): TrackerTransition[] {
  if (!Array.isArray(value)) return [];
  return value
    .map(asObject)
    .filter((t) => t.isAvailable !== false)
    .map((t) => {
      const id = text(t.id);
      const transition: TrackerTransition = {
        id,
        display: text(t.name) || id,
        to: mapStatus(t.to),
      };
      const required = Object.values(asObject(t.fields))
        .map(asObject)
        .filter((field) => field.required === true)
        .map((field) => text(field.name));
      if (required.length > 0) transition.requiredFields = required;
      if (t.hasScreen === true) transition.hasScreen = true;
      return transition;
    });
}

export function mapIssue(
  value: unknown,
  requestedKey: string,
  withTransitions: boolean,
): TrackerIssue {
  const issue = asObject(value);
  const key = text(issue.key) || requestedKey;
  const mapped: TrackerIssue = {
    key,
    aliases: key === requestedKey ? [] : [requestedKey],
    status: mapStatus(asObject(issue.fields).status),
  };
  const project = asObject(asObject(issue.fields).project);
  const type = asObject(asObject(issue.fields).issuetype);
  if (text(project.id) && text(type.id)) {
    mapped.scope = {
      project: text(project.id),
      issueType: text(type.id),
      name: `${text(project.key) || text(project.id)} (${text(type.name) || text(type.id)})`,
    };
  }
  if (withTransitions) mapped.transitions = mapTransitions(issue.transitions);
  return mapped;
}

/** The first project of `GET /project/search?expand=issueTypes` with its first issue type. */
export function mapFirstProjectScope(body: unknown): WorkflowScope | null {
  const values = asObject(body).values;
  const project = asObject(Array.isArray(values) ? values[0] : undefined);
  const types = Array.isArray(project.issueTypes) ? project.issueTypes : [];
  const type = asObject(types[0]);
  if (!text(project.id) || !text(type.id)) return null;
  const name = `${text(project.key) || text(project.id)} (${text(type.name) || text(type.id)})`;
  return { project: text(project.id), issueType: text(type.id), name };
}

export function mapCommentPage(value: unknown): { comments: TrackerComment[]; total: number } {
  const page = asObject(value);
  const list = Array.isArray(page.comments) ? page.comments.map(asObject) : [];
  return {
    comments: list.map((c) => ({
      id: text(c.id),
      text: typeof c.body === "string" ? c.body : adfToText(c.body),
    })),
    total: typeof page.total === "number" ? page.total : list.length,
  };
}

interface AdfNode {
  type?: string;
  text?: string;
  content?: AdfNode[];
}

/** ADF to plain text: blocks separated by a blank line, `hardBreak` as a newline. */
export function adfToText(doc: unknown): string {
  const node = asObject(doc) as AdfNode;
  return (node.content ?? []).map(inline).join("\n\n");
}

function inline(node: AdfNode): string {
  if (node.type === "text") return node.text ?? "";
  if (node.type === "hardBreak") return "\n";
  const children = node.content ?? [];
  const blocks = children.some((c) => c.type === "paragraph" || c.type === "listItem");
  return children.map(inline).join(blocks ? "\n" : "");
}

/** Plain text to ADF: a paragraph per blank-line-separated block, `hardBreak` per newline. */
export function textToAdf(value: string): Json {
  return {
    type: "doc",
    version: 1,
    content: value.split(/\n{2,}/).map((paragraph) => ({
      type: "paragraph",
      content: paragraph.split("\n").flatMap((line, i) => {
        const nodes: Json[] = i > 0 ? [{ type: "hardBreak" }] : [];
        if (line !== "") nodes.push({ type: "text", text: line });
        return nodes;
      }),
    })),
  };
}

export interface JiraField {
  id: string;
  name: string;
  custom: boolean;
}

export function mapFields(value: unknown): JiraField[] {
  if (!Array.isArray(value)) return [];
  return value.map(asObject).map((f) => ({
    id: text(f.id),
    name: text(f.name),
    custom: f.custom === true,
  }));
}

/** System field ids used as given, without fetching the field list. */
export const SYSTEM_FIELDS: ReadonlySet<string> = new Set([
  "summary",
  "description",
  "environment",
  "labels",
  "duedate",
  "priority",
  "assignee",
  "reporter",
  "components",
  "fixVersions",
  "versions",
  "timetracking",
  "security",
  "parent",
  "issuetype",
  "resolution",
  "status",
]);

export function isFieldId(field: string): boolean {
  return /^customfield_\d+$/.test(field) || SYSTEM_FIELDS.has(field);
}

/** Matches by id first, then by display name ignoring case. */
export function findFields(fields: JiraField[], wanted: string): JiraField[] {
  const byId = fields.filter((f) => f.id === wanted);
  if (byId.length > 0) return byId;
  const lower = wanted.trim().toLowerCase();
  return fields.filter((f) => f.name.toLowerCase() === lower);
}

/** `fields.project` (`id`, `key`) and the names in `fields.fixVersions` of `GET issue?fields=fixVersions,project`. */
export function mapIssueVersions(body: unknown): {
  project: { id: string; key: string };
  fixVersions: string[];
} {
  const fields = ((body ?? {}) as { fields?: Record<string, unknown> }).fields ?? {};
  const project = (fields.project ?? {}) as { id?: unknown; key?: unknown };
  return {
    project: { id: String(project.id ?? ""), key: String(project.key ?? "") },
    fixVersions: mapVersionNames(fields.fixVersions),
  };
}

/** Names from a list of versions (`GET project/{key}/versions`, or an issue's `fixVersions`). */
export function mapVersionNames(body: unknown): string[] {
  if (!Array.isArray(body)) return [];
  return body.flatMap((v: { name?: unknown }) => (typeof v?.name === "string" ? [v.name] : []));
}

/**
 * A project's statuses across its issue types, once per id, and its main issue type: Task,
 * else the first that is not a sub-task.
 */
export function mapProjectStatuses(body: unknown): {
  statuses: TrackerStatus[];
  mainType: { id: string; name: string } | undefined;
} {
  const types = Array.isArray(body) ? body.map(asObject) : [];
  const byKey = new Map<string, TrackerStatus>();
  for (const type of types) {
    for (const status of Array.isArray(type.statuses) ? type.statuses.map(mapStatus) : []) {
      if (status.key && !byKey.has(status.key)) byKey.set(status.key, status);
    }
  }
  const main =
    types.find((t) => text(t.name).toLowerCase() === "task") ??
    types.find((t) => t.subtask !== true) ??
    types[0];
  return {
    statuses: [...byKey.values()],
    mainType: main && text(main.id) ? { id: text(main.id), name: text(main.name) } : undefined,
  };
}

/** The numeric id of `GET project/{key}`; the key itself when the answer has none. */
export function mapProjectId(body: unknown, key: string): string {
  return text(asObject(body).id) || key;
}
