/**
 * Request Tracker REST2 JSON as the simulator answers it (RT `lib/RT/REST2/Resource/Ticket.pm`):
 * a ticket with `Status`, `Queue` and `CustomFields [{id, name, values}]`, and `_hyperlinks`
 * holding `self`, `history`, `comment`, `correspond` and one `ref: "lifecycle"` entry per
 * lifecycle action from the current status (`from`, `to`, `label`, `_url`).
 */
import type { SimField } from "../shared/admin.js";
import type { IssueStore, SimIssue } from "../shared/store.js";

export const API = "/REST/2.0";

export function ticketNumber(issue: SimIssue): number {
  return Number(issue.key.slice(issue.key.lastIndexOf("-") + 1));
}

/** RT writes times as ISO 8601 UTC with seconds. */
export function rtTime(iso: string): string {
  return new Date(Date.parse(iso)).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Changes whenever the ticket does: what `If-Match` is compared with. */
export function etagOf(issue: SimIssue): string {
  return `"${ticketNumber(issue)}-${issue.version}"`;
}

export function renderQueue(store: IssueStore, queue: string, origin: string) {
  const id = store.projectId(queue);
  return { type: "queue", id, _url: `${origin}${API}/queue/${id}` };
}

export function renderTicket(
  store: IssueStore,
  fields: Map<string, SimField>,
  issue: SimIssue,
  origin: string,
  canWrite: boolean,
) {
  const id = ticketNumber(issue);
  const self = `${origin}${API}/ticket/${id}`;
  const status = store.status(issue);
  const lifecycle = canWrite
    ? store.transitions(issue).map((t) => ({
        ref: "lifecycle",
        from: status.display,
        to: store.statusByKey(issue.queue, t.to).display,
        label: t.display,
        _url: self,
      }))
    : [];
  return {
    id,
    type: "ticket",
    Subject: String(issue.fields.summary ?? ""),
    Status: status.display,
    Owner: {
      id: issue.assignee ?? "Nobody",
      type: "user",
      _url: `${origin}${API}/user/${issue.assignee ?? "Nobody"}`,
    },
    Queue: renderQueue(store, issue.queue, origin),
    Created: rtTime(issue.createdAt),
    LastUpdated: rtTime(issue.updatedAt),
    CustomFields: [...fields.values()].map((f) => ({
      id: f.id,
      type: "customfield",
      _url: `${origin}${API}/customfield/${f.id}`,
      name: f.name,
      values: issue.fields[f.id] === undefined ? [] : [String(issue.fields[f.id])],
    })),
    _hyperlinks: [
      { ref: "self", type: "ticket", id, _url: self },
      { ref: "history", _url: `${self}/history` },
      { ref: "correspond", _url: `${self}/correspond` },
      { ref: "comment", _url: `${self}/comment` },
      ...lifecycle,
    ],
  };
}

/** REST2's error body: `{"message": "…"}`. */
export function rtError(message: string) {
  return { message };
}

/** A REST2 collection page: `count`, `page`, `per_page`, `total`, `pages`, `items`, `next_page`. */
export function page<T>(all: T[], query: URLSearchParams, url: string) {
  const perPage = Math.min(100, Math.max(1, Number(query.get("per_page") ?? 20) || 20));
  const number = Math.max(1, Number(query.get("page") ?? 1) || 1);
  const items = all.slice((number - 1) * perPage, number * perPage);
  const pages = Math.max(1, Math.ceil(all.length / perPage));
  return {
    count: items.length,
    page: number,
    per_page: perPage,
    total: all.length,
    pages,
    items,
    ...(number < pages ? { next_page: `${url}?page=${number + 1}&per_page=${perPage}` } : {}),
  };
}
