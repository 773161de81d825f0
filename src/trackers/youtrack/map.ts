/**
 * Pure mapping of YouTrack REST JSON to the port's types.
 *
 * API fields used:
 * - issue: `idReadable` (the key; an old key of a moved issue answers with the new one),
 *   `project.shortName`, `customFields[].{name, $type, value}`: the `State` field
 *   (`StateIssueCustomField`, value `StateBundleElement {name, isResolved, ordinal,
 *   archived}`), the `Type` field's `value.name` (the workflow scope: YouTrack binds
 *   state machines per issue type), and with the states asked for,
 *   `projectCustomField.bundle.values[]` of State: every state the project has.
 * - versions: the `Fix versions` field (`MultiVersionIssueCustomField`), `value[].name` and
 *   `projectCustomField.bundle.{id, values[].name}`.
 * - comments: `[].{id, text}`; `users/me`: `fullName`, `login`; projects: `[].{id, shortName}`.
 *
 * The status category: `isResolved` → done. YouTrack has no to-do/in-progress distinction, so
 * it is inferred: an unresolved state is "to do" when it comes first in the project's set
 * (the lowest `ordinal` among the unresolved, where new issues start: "Submitted" in the
 * default set) or is named like a to-do state (Open, Submitted, New, To do, Backlog,
 * Reopened); every other unresolved state is "in progress". Without the set (a plain read),
 * "first" means ordinal 0.
 */
import { asObject, type Json, text } from "../json.js";
import type { TrackerComment, TrackerIssue, TrackerStatus, TrackerTransition } from "../port.js";

export const STATE_FIELD = "State";
export const TYPE_FIELD = "Type";
export const FIX_VERSIONS_FIELD = "Fix versions";

const TODO_NAMES = new Set(["open", "submitted", "new", "to do", "todo", "backlog", "reopened"]);

function list(value: unknown): Json[] {
  return Array.isArray(value) ? value.map(asObject) : [];
}

export function customField(issue: unknown, name: string): Json | undefined {
  const wanted = name.toLowerCase();
  return list(asObject(issue).customFields).find((f) => text(f.name).toLowerCase() === wanted);
}

/** The unresolved states' lowest ordinal in a set (0 when the set is unknown). */
function firstOrdinal(values: Json[]): number {
  const ordinals = values
    .filter((v) => v.isResolved !== true && typeof v.ordinal === "number")
    .map((v) => v.ordinal as number);
  return ordinals.length > 0 ? Math.min(...ordinals) : 0;
}

export function mapState(value: unknown, set: Json[] = []): TrackerStatus {
  const state = asObject(value);
  const name = text(state.name);
  const todo = state.ordinal === firstOrdinal(set) || TODO_NAMES.has(name.toLowerCase());
  return {
    key: name,
    display: name,
    category: state.isResolved === true ? "done" : todo ? "todo" : "in_progress",
  };
}

/** The project's states (from the State field's set), archived ones left out. */
export function stateSet(issue: unknown): Json[] {
  const state = customField(issue, STATE_FIELD);
  return list(asObject(asObject(state?.projectCustomField).bundle).values).filter(
    (v) => v.archived !== true,
  );
}

export function mapStates(values: Json[]): TrackerStatus[] {
  return values.map((v) => mapState(v, values));
}

/**
 * YouTrack lists no transitions: a move is setting State, and the workflow refuses what it
 * does not allow. So every other state of the project is offered, less those the workflow
 * refused before from this state (`refused`); the transition id is the state's name.
 */
export function offeredTransitions(
  states: TrackerStatus[],
  from: TrackerStatus,
  refused: ReadonlySet<string>,
): TrackerTransition[] {
  return states
    .filter((s) => s.key !== from.key && !refused.has(s.key))
    .map((to) => ({ id: to.key, display: to.display, to }));
}

export function mapIssue(value: unknown, requestedKey: string): TrackerIssue {
  const issue = asObject(value);
  const key = text(issue.idReadable) || requestedKey;
  const state = customField(issue, STATE_FIELD);
  if (!state) {
    throw new Error(`issue ${key} has no State field: trackbridge moves issues by their State`);
  }
  const project = text(asObject(issue.project).shortName) || key.replace(/-\d+$/, "");
  const type = text(asObject(customField(issue, TYPE_FIELD)?.value).name);
  return {
    key,
    aliases: key === requestedKey ? [] : [requestedKey],
    status: mapState(state.value, stateSet(issue)),
    scope: { project, issueType: type, name: type ? `${project} (${type})` : project },
  };
}

/** `$type` of each custom field the issue's project has, by name. */
export function mapFieldTypes(value: unknown): Map<string, { name: string; type: string }> {
  const types = new Map<string, { name: string; type: string }>();
  for (const field of list(asObject(value).customFields)) {
    types.set(text(field.name).toLowerCase(), { name: text(field.name), type: text(field.$type) });
  }
  return types;
}

/**
 * The JSON for a field's new value by its `$type`: text fields take `{text}`, simple
 * (string, integer, date) fields the bare value, single-value bundle fields `{name}`,
 * multi-value ones `[{name}]`, period fields `{presentation}`.
 */
export function fieldValue(type: string, value: string): unknown {
  if (type === "TextIssueCustomField") return { text: value };
  if (type === "SimpleIssueCustomField" || type === "DateIssueCustomField") return value;
  if (type === "PeriodIssueCustomField") return { presentation: value };
  if (type.startsWith("Multi")) return [{ name: value }];
  return { name: value };
}

export function mapComments(value: unknown): TrackerComment[] {
  return list(value).map((c) => ({ id: text(c.id), text: text(c.text) }));
}

/** The issue's Fix versions, the project's version set (id, names), and the project. */
export function mapVersions(value: unknown): {
  project: string;
  field?: { type: string; current: string[]; bundleId: string; names: string[] };
} {
  const issue = asObject(value);
  const project = text(asObject(issue.project).shortName);
  const field = customField(issue, FIX_VERSIONS_FIELD);
  if (!field) return { project };
  const bundle = asObject(asObject(field.projectCustomField).bundle);
  return {
    project,
    field: {
      type: text(field.$type),
      current: list(field.value).map((v) => text(v.name)),
      bundleId: text(bundle.id),
      names: list(bundle.values).map((v) => text(v.name)),
    },
  };
}

/** The State field's set among a project's fields (`GET admin/projects/{id}/customFields`). */
export function projectStates(value: unknown): Json[] | undefined {
  const state = list(value).find((f) => text(asObject(f.field).name) === STATE_FIELD);
  if (!state) return undefined;
  return list(asObject(state.bundle).values).filter((v) => v.archived !== true);
}
