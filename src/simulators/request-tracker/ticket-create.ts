/**
 * The REST2 parts of the other direction. `POST /ticket` hands its body to RT::Ticket->Create
 * (`Queue` and `Subject`, `Content` the first message, link types such as `RefersTo` taking
 * URIs): 201 `{id, type, _url}`. TicketSQL finds tickets by a link (`RefersTo = 'uri'`).
 * `Owner` on `PUT /ticket/{id}` is a user name; an unknown one is refused with a message in
 * the 200 answer, as RT reports refusals (the ticket keeps its owner).
 */
import type { SimReply, SimRequest } from "../shared/http-server.js";
import { createNumbered } from "../shared/numbered.js";
import { SIM_PEOPLE } from "../shared/sim-people.js";
import type { IssueStore, SimIssue } from "../shared/store.js";
import { API, rtError } from "./render.js";

/** The users a ticket may be given to, besides the token's own. */
const RT_USERS = SIM_PEOPLE.map((person) => person.login);

export function createTicket(req: SimRequest, store: IssueStore): SimReply {
  const input = (req.body ?? {}) as Record<string, unknown>;
  const queue =
    typeof input.Queue === "string" ? (store.projectById(input.Queue) ?? input.Queue) : "";
  if (!store.hasQueue(queue)) return { status: 400, body: rtError("Invalid queue") };
  if (typeof input.Subject !== "string")
    return { status: 400, body: rtError("Subject is required") };
  const refersTo = [input.RefersTo].flat().filter((uri): uri is string => typeof uri === "string");
  const { number } = createNumbered(store, queue, {
    fields: {
      summary: input.Subject,
      ...(typeof input.Content === "string" ? { description: input.Content } : {}),
      ...(refersTo.length > 0 ? { RefersTo: refersTo } : {}),
    },
  });
  return {
    status: 201,
    body: { id: String(number), type: "ticket", _url: `${req.origin}${API}/ticket/${number}` },
  };
}

/** TicketSQL `RefersTo = 'uri'`. */
export function refersTo(uri: string): (issue: SimIssue) => boolean {
  return (issue) => Array.isArray(issue.fields.RefersTo) && issue.fields.RefersTo.includes(uri);
}

/** Applies `Owner` of an update; answers the message RT reports (a refusal included). */
export function changeOwner(
  store: IssueStore,
  issue: SimIssue,
  id: number,
  owner: string,
  self: string,
): string {
  if (owner !== self && !RT_USERS.includes(owner)) {
    return `Ticket ${id}: That user does not exist`;
  }
  const before = issue.assignee ?? "Nobody";
  store.setAssignee(issue, owner);
  return `Ticket ${id}: Owner changed from ${before} to ${owner}`;
}
