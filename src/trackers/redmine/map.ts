/**
 * Pure mapping of Redmine REST JSON to the port's types.
 *
 * API fields used:
 * - `GET /issues/{id}.json`: `issue.id`, `issue.status.{id, name, is_closed}`,
 *   `issue.project.{id, name}`, `issue.tracker.{id, name}` (the workflow is per role and
 *   tracker), `issue.custom_fields[].{id, name, value}`, `issue.fixed_version.{id, name}`;
 *   with `include=allowed_statuses` the statuses this user may set from here (the current one
 *   among them); with `include=journals` `journals[].{id, notes}`.
 * - `GET /issue_statuses.json`: `issue_statuses[].{id, name, is_closed}`.
 * - `GET /trackers.json`: `trackers[].{id, name, default_status.id}` (where new issues start).
 * - `GET /projects.json` / `/projects/{id}.json` with `include=trackers`: `{id, name, trackers}`.
 * - `GET /projects/{id}/versions.json`: `versions[].{id, name}`; a create answers `{version}`.
 * - `GET /users/current.json`: `user.{login, firstname, lastname}` (it also carries the
 *   user's `api_key`, which is never read).
 */
import { asObject, type Json, text } from "../json.js";
import type {
  TrackerComment,
  TrackerStatus,
  TrackerTransition,
  WorkflowGraph,
  WorkflowScope,
} from "../port.js";

/** A closed status (`is_closed`) is the done category; the rest come from the graph. */
export function mapStatus(value: unknown): TrackerStatus {
  const status = asObject(value);
  const key = text(status.id);
  const mapped: TrackerStatus = { key, display: text(status.name) || key };
  if (status.is_closed === true) mapped.category = "done";
  return mapped;
}

export function issueOf(body: unknown): Json {
  return asObject(asObject(body).issue);
}

/** Redmine's allowed statuses, without the current one: the transitions from here. */
export function mapTransitions(issue: Json): TrackerTransition[] {
  const current = text(asObject(issue.status).id);
  const allowed = Array.isArray(issue.allowed_statuses) ? issue.allowed_statuses : [];
  return allowed
    .map(mapStatus)
    .filter((status) => status.key !== "" && status.key !== current)
    .map((to) => ({ id: to.key, display: to.display, to }));
}

export function mapScope(issue: Json): WorkflowScope | undefined {
  const project = asObject(issue.project);
  const tracker = asObject(issue.tracker);
  const projectId = text(project.id);
  const trackerId = text(tracker.id);
  if (!projectId || !trackerId) return undefined;
  const name = `${text(project.name) || projectId} (${text(tracker.name) || trackerId})`;
  return { project: projectId, issueType: trackerId, name };
}

/** A project with its first tracker: the scope `doctor` reads a workflow for. */
export function mapProjectScope(project: unknown): WorkflowScope | null {
  const p = asObject(project);
  const trackers = Array.isArray(p.trackers) ? p.trackers : [];
  return mapScope({ project: p, tracker: trackers[0] }) ?? null;
}

export function firstProject(body: unknown): unknown {
  const projects = asObject(body).projects;
  return Array.isArray(projects) ? projects[0] : undefined;
}

/**
 * Every status with its category: closed → done, a tracker's default status → to do, the
 * rest → in progress. Redmine serves no workflow graph, so the edges are what was learned.
 */
export function mapStatusGraph(statuses: unknown, trackers: unknown): WorkflowGraph {
  const list = asObject(trackers).trackers;
  const defaults = new Set(
    (Array.isArray(list) ? list : []).map((t) => text(asObject(asObject(t).default_status).id)),
  );
  const all = asObject(statuses).issue_statuses;
  const mapped = (Array.isArray(all) ? all : []).map((value): TrackerStatus => {
    const status = mapStatus(value);
    if (status.category) return status;
    return { ...status, category: defaults.has(status.key) ? "todo" : "in_progress" };
  });
  const graph: WorkflowGraph = { statuses: mapped, edges: [], source: "learned" };
  const initial = mapped.find((s) => s.category === "todo");
  if (initial) graph.initial = initial.key;
  return graph;
}

export function mapJournals(issue: Json): TrackerComment[] {
  const journals = Array.isArray(issue.journals) ? issue.journals : [];
  return journals
    .map(asObject)
    .filter((j) => text(j.notes) !== "")
    .map((j) => ({ id: text(j.id), text: text(j.notes) }));
}

export interface CustomFieldRef {
  id: string;
  name: string;
  value: string;
}

export function mapCustomFields(list: unknown): CustomFieldRef[] {
  return (Array.isArray(list) ? list : []).map((value) => {
    const field = asObject(value);
    return { id: text(field.id), name: text(field.name), value: text(field.value) };
  });
}

/** A field by id (`5`, `cf_5`) or by name, any case. */
export function findCustomField(fields: CustomFieldRef[], ref: string): CustomFieldRef | undefined {
  const id = /^(?:cf_)?(\d+)$/.exec(ref)?.[1];
  if (id) return fields.find((f) => f.id === id);
  const name = ref.trim().toLowerCase();
  return fields.find((f) => f.name.toLowerCase() === name);
}

export interface VersionRef {
  id: string;
  name: string;
}

export function mapVersions(body: unknown): VersionRef[] {
  const versions = asObject(body).versions;
  return (Array.isArray(versions) ? versions : [])
    .map(asObject)
    .map((v) => ({ id: text(v.id), name: text(v.name) }))
    .filter((v) => v.id !== "");
}

export function mapCreatedVersion(body: unknown): VersionRef | undefined {
  const version = asObject(asObject(body).version);
  const id = text(version.id);
  return id ? { id, name: text(version.name) } : undefined;
}
