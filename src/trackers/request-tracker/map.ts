/**
 * Pure mapping of Request Tracker REST2 JSON to the port's types.
 *
 * API fields used:
 * - `GET /ticket/{id}`: `id`, `Status`, `Queue.id`, `CustomFields[].{id, name, values}`, and
 *   `_hyperlinks[]` entries with `ref: "lifecycle"` (`to`, `label`): the status changes this
 *   token may make from here (RT `lifecycle_hypermedia_links`: `IsTransition` + `CheckRight`).
 * - `GET /queue/{id}`: `Name`, `Lifecycle`.
 * - `GET /ticket/{id}/history?fields=Type,Content`: `items[].{id, Type, Content}`; comments are
 *   `Comment` and `Correspond` transactions. (That `fields=` returns a transaction's
 *   `Content` is read from RT's collection code, not seen on a live RT.)
 * - `GET /tickets?query=`, `GET /queues/all`: `items[].{id, Name}`.
 * Statuses are RT's names ("open"); the lifecycle groups give categories: initial → to do,
 * active → in progress, inactive → done.
 */
import { asObject, type Json, text } from "../json.js";
import type {
  TrackerComment,
  TrackerStatus,
  TrackerTransition,
  WorkflowGraph,
  WorkflowScope,
} from "../port.js";
import { DEFAULT_LIFECYCLE } from "./default-lifecycle.js";

export type Category = NonNullable<TrackerStatus["category"]>;

/** The category of a status of RT's default lifecycle; undefined for other names. */
export function defaultCategory(status: string): Category | undefined {
  const name = status.toLowerCase();
  if ((DEFAULT_LIFECYCLE.initial as readonly string[]).includes(name)) return "todo";
  if ((DEFAULT_LIFECYCLE.active as readonly string[]).includes(name)) return "in_progress";
  if ((DEFAULT_LIFECYCLE.inactive as readonly string[]).includes(name)) return "done";
  return undefined;
}

export function mapStatus(name: string, category?: Category): TrackerStatus {
  return category ? { key: name, display: name, category } : { key: name, display: name };
}

export function queueId(ticket: Json): string {
  return text(asObject(ticket.Queue).id);
}

export function mapScope(ticket: Json): WorkflowScope | undefined {
  const queue = queueId(ticket);
  return queue ? { project: queue, issueType: "ticket", name: `queue ${queue}` } : undefined;
}

/** The lifecycle hyperlinks: one transition per status RT lets this token set from here. */
export function mapTransitions(
  ticket: Json,
  categoryOf: (status: string) => Category | undefined,
): TrackerTransition[] {
  const links = Array.isArray(ticket._hyperlinks) ? ticket._hyperlinks.map(asObject) : [];
  return links
    .filter((link) => link.ref === "lifecycle" && text(link.to) !== "")
    .map((link) => {
      const to = text(link.to);
      return { id: to, display: text(link.label) || to, to: mapStatus(to, categoryOf(to)) };
    });
}

export interface CustomFieldRef {
  id: string;
  name: string;
  values: string[];
}

export function mapCustomFields(ticket: Json): CustomFieldRef[] {
  const list = Array.isArray(ticket.CustomFields) ? ticket.CustomFields : [];
  return list.map(asObject).map((field) => ({
    id: text(field.id),
    name: text(field.name),
    values: Array.isArray(field.values) ? field.values.map(text) : [],
  }));
}

/** A field by name (any case) or id. */
export function findCustomField(fields: CustomFieldRef[], ref: string): CustomFieldRef | undefined {
  const name = ref.trim().toLowerCase();
  return fields.find((f) => f.name.toLowerCase() === name) ?? fields.find((f) => f.id === ref);
}

export function mapComments(items: unknown[]): TrackerComment[] {
  return items
    .map(asObject)
    .filter((t) => t.Type === "Comment" || t.Type === "Correspond")
    .map((t) => ({ id: text(t.id), text: text(t.Content) }));
}

export function itemIds(items: unknown[]): string[] {
  return items.map((item) => text(asObject(item).id)).filter((id) => id !== "");
}

/** RT's default lifecycle as a graph; another lifecycle is known by its learned edges only. */
export function lifecycleGraph(lifecycle: string): WorkflowGraph | { unreadable: string } {
  if (lifecycle !== "default") {
    return {
      unreadable: `REST2 does not serve lifecycle "${lifecycle}": routes are learned from each ticket's lifecycle links`,
    };
  }
  const status = (name: string) => mapStatus(name, defaultCategory(name));
  return {
    statuses: [
      ...DEFAULT_LIFECYCLE.initial,
      ...DEFAULT_LIFECYCLE.active,
      ...DEFAULT_LIFECYCLE.inactive,
    ].map(status),
    edges: DEFAULT_LIFECYCLE.actions.map(([from, to, label]) => ({
      from,
      transition: { id: to, display: label, to: status(to) },
    })),
    initial: DEFAULT_LIFECYCLE.initial[0],
    source: "tracker",
  };
}

/** The first queue of `GET /queues/all` as a scope. */
export function mapFirstQueueScope(body: unknown): WorkflowScope | null {
  const items = asObject(body).items;
  const queue = asObject(Array.isArray(items) ? items[0] : undefined);
  const id = text(queue.id);
  if (!id) return null;
  return { project: id, issueType: "ticket", name: `queue ${text(queue.Name) || id}` };
}
