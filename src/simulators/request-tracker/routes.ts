/**
 * The REST2 routes the adapter uses. What is held to the real RT:
 * - `PUT /ticket/{id}` with `If-Match` answers 412 when the ETag is stale; otherwise 200 with
 *   RT's result messages, also when a change was refused (a status outside the lifecycle's
 *   transitions, a missing right, an unknown custom field): RT reports those as messages, not
 *   as an HTTP error, and the ticket stays as it was.
 * - `Status` may only follow the lifecycle as it is when the PUT arrives.
 * - `CustomFields` are named by name; comment and correspond are separate transactions.
 * - `GET /tickets?query=` takes TicketSQL; the simulator understands `id = N`,
 *   `LastUpdated >= 'YYYY-MM-DD HH:MM:SS'`, `Queue = 'name'` and `Status = '__Active__' |
 *   '__Inactive__' | 'name'`, joined with AND.
 */
import type { SimField } from "../shared/admin.js";
import { matchPath } from "../shared/admin.js";
import type { SimReply, SimRequest } from "../shared/http-server.js";
import { type IssueStore, isForbidden, type SimIssue } from "../shared/store.js";
import { resolveStatus } from "../shared/workflow.js";
import { API, etagOf, page, renderTicket, rtError, rtTime, ticketNumber } from "./render.js";
import { changeOwner, createTicket, refersTo } from "./ticket-create.js";

export interface RtContext {
  store: IssueStore;
  fields: Map<string, SimField>;
  /** Comment or reply, by the store's comment id. */
  kinds: Map<number, "Comment" | "Correspond">;
  user: { id: number; Name: string; RealName: string };
}

const NOT_FOUND: SimReply = { status: 404, body: rtError("Resource does not exist") };
const FORBIDDEN: SimReply = { status: 403, body: rtError("Forbidden") };

export function handleRt(req: SimRequest, ctx: RtContext): SimReply {
  if (!req.path.startsWith(API)) return NOT_FOUND;
  const path = req.path.slice(API.length);
  const { method } = req;
  const ticket = matchPath(path, /^\/ticket\/(\d+)(?:\/(comment|correspond|history))?\/?$/);
  if (ticket) {
    const issue = ctx.store.findNumber(ticket[0]!);
    if (!issue) return NOT_FOUND;
    if (isForbidden(issue, false)) return FORBIDDEN;
    const sub = ticket[1];
    if (!sub && method === "GET") return readTicket(req, ctx, issue);
    if (!sub && method === "PUT") return updateTicket(req, ctx, issue);
    if (sub === "history" && method === "GET") return history(req, ctx, issue);
    if ((sub === "comment" || sub === "correspond") && method === "POST") {
      return addMessage(req, ctx, issue, sub === "comment" ? "Comment" : "Correspond");
    }
    return { status: 405, body: rtError("Method not allowed") };
  }
  if (method === "GET" && path === "/tickets") return search(req, ctx);
  if (method === "POST" && path === "/ticket") return createTicket(req, ctx.store);
  const queue = matchPath(path, /^\/queue\/([^/]+)\/?$/);
  if (queue && method === "GET") {
    const name = ctx.store.projectById(queue[0]!) ?? queue[0]!;
    if (!ctx.store.hasQueue(name)) return NOT_FOUND;
    const id = ctx.store.projectId(name);
    return { status: 200, body: { id: Number(id), Name: name, Lifecycle: "default" } };
  }
  if (method === "GET" && path === "/queues/all") {
    const queues = ctx.store.queues().sort();
    const items = queues.map((name) => ({
      type: "queue",
      id: ctx.store.projectId(name),
      Name: name,
      _url: `${req.origin}${API}/queue/${ctx.store.projectId(name)}`,
    }));
    return { status: 200, body: page(items, req.query, `${req.origin}${req.path}`) };
  }
  if (method === "GET" && path === "/user/current") {
    return { status: 200, body: ctx.user };
  }
  return NOT_FOUND;
}

function readTicket(req: SimRequest, ctx: RtContext, issue: SimIssue): SimReply {
  const body = renderTicket(ctx.store, ctx.fields, issue, req.origin, !isForbidden(issue, true));
  return { status: 200, body, headers: { etag: etagOf(issue) } };
}

function updateTicket(req: SimRequest, ctx: RtContext, issue: SimIssue): SimReply {
  const ifMatch = req.headers["if-match"];
  if (typeof ifMatch === "string" && ifMatch !== etagOf(issue)) {
    return { status: 412, body: rtError("Precondition Failed") };
  }
  const input = (req.body ?? {}) as { Status?: unknown; CustomFields?: unknown; Owner?: unknown };
  const id = ticketNumber(issue);
  const messages: string[] = [];
  const { store } = ctx;
  let changed = false;
  if (input.Status !== undefined) {
    const current = store.status(issue);
    const target = resolveStatus(store.workflowFor(issue.queue), String(input.Status));
    const allowed = store.transitions(issue).some((t) => t.to === target?.key);
    if (isForbidden(issue, true)) {
      messages.push(`Ticket ${id}: Permission Denied`);
    } else if (!target) {
      messages.push(
        `Ticket ${id}: Status '${String(input.Status)}' isn't a valid status for this ticket.`,
      );
    } else if (!allowed) {
      messages.push(
        `Ticket ${id}: You can't change status from '${current.display}' to '${target.display}'.`,
      );
    } else {
      store.setStatus(issue, target.key);
      messages.push(
        `Ticket ${id}: Status changed from '${current.display}' to '${target.display}'`,
      );
      changed = true;
    }
  }
  if (typeof input.CustomFields === "object" && input.CustomFields !== null) {
    for (const [name, value] of Object.entries(input.CustomFields)) {
      const field = [...ctx.fields.values()].find((f) => f.name === name || f.id === name);
      if (!field) {
        messages.push(`Custom field ${name} not found`);
      } else if (field.settable === false || isForbidden(issue, true)) {
        messages.push(`${field.name}: Permission Denied`);
      } else {
        issue.fields[field.id] = Array.isArray(value) ? value[0] : value;
        messages.push(`${field.name} ${String(value)} added`);
        changed = true;
      }
    }
  }
  if (typeof input.Owner === "string") {
    messages.push(changeOwner(store, issue, id, input.Owner, ctx.user.Name));
  }
  if (changed) store.touch(issue);
  return { status: 200, body: messages, headers: { etag: etagOf(issue) } };
}

function addMessage(
  req: SimRequest,
  ctx: RtContext,
  issue: SimIssue,
  type: "Comment" | "Correspond",
): SimReply {
  if (isForbidden(issue, true)) return FORBIDDEN;
  const content = (req.body as { Content?: unknown } | undefined)?.Content;
  if (typeof content !== "string" || content === "") {
    return { status: 400, body: rtError("Content is a required field") };
  }
  const comment = ctx.store.addComment(issue, content);
  ctx.kinds.set(comment.id, type);
  const said = type === "Comment" ? "Comments added" : "Correspondence added";
  return { status: 201, body: [said] };
}

/** `GET /ticket/{id}/history?fields=Type,Content`: the Create transaction, then comments and replies. */
function history(req: SimRequest, ctx: RtContext, issue: SimIssue): SimReply {
  const wanted = new Set((req.query.get("fields") ?? "").split(","));
  const items = [
    { id: ticketNumber(issue) * 1000, Type: "Create", Content: "" },
    ...issue.comments.map((c) => ({
      id: c.id,
      Type: ctx.kinds.get(c.id) ?? "Comment",
      Content: c.text,
    })),
  ].map((t) => ({
    type: "transaction",
    id: String(t.id),
    _url: `${req.origin}${API}/transaction/${t.id}`,
    ...(wanted.has("Type") ? { Type: t.Type } : {}),
    ...(wanted.has("Content") ? { Content: t.Content } : {}),
  }));
  return { status: 200, body: page(items, req.query, `${req.origin}${req.path}`) };
}

function search(req: SimRequest, ctx: RtContext): SimReply {
  const query = req.query.get("query") ?? "";
  const conditions = query.split(/\s+AND\s+/i).filter((c) => c.trim() !== "");
  const tests: Array<(issue: SimIssue) => boolean> = [];
  for (const condition of conditions) {
    const test = parseCondition(ctx.store, condition.trim());
    if (!test) return { status: 400, body: rtError(`Wrong query, couldn't parse: ${condition}`) };
    tests.push(test);
  }
  const items = ctx.store
    .all()
    .filter((issue) => tests.every((test) => test(issue)))
    .map((issue) => ({
      type: "ticket",
      id: String(ticketNumber(issue)),
      _url: `${req.origin}${API}/ticket/${ticketNumber(issue)}`,
    }));
  return { status: 200, body: page(items, req.query, `${req.origin}${req.path}`) };
}

function parseCondition(
  store: IssueStore,
  condition: string,
): ((issue: SimIssue) => boolean) | undefined {
  const match = /^(\w+)\s*(>=|=)\s*'?([^']*)'?$/.exec(condition);
  if (!match) return undefined;
  const [, field, op, value] = match as unknown as [string, string, string, string];
  if (field === "id" && op === "=") return (issue) => ticketNumber(issue) === Number(value);
  if (field === "Queue" && op === "=") return (issue) => issue.queue === value;
  if (field === "RefersTo" && op === "=") return refersTo(value);
  if (field === "LastUpdated" && op === ">=") {
    // TicketSQL dates: 'YYYY-MM-DD HH:MM:SS', read as UTC here.
    const since = Date.parse(`${value.replace(" ", "T")}Z`);
    if (Number.isNaN(since)) return undefined;
    return (issue) => Date.parse(rtTime(issue.updatedAt)) >= since;
  }
  if (field === "Status" && op === "=") {
    if (value === "__Inactive__") return (issue) => store.status(issue).category === "done";
    if (value === "__Active__") return (issue) => store.status(issue).category === "indeterminate";
    return (issue) => store.status(issue).display.toLowerCase() === value.toLowerCase();
  }
  return undefined;
}
