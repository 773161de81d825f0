/**
 * Request Tracker REST2 over HTTP (`/REST/2.0`). Auth: `Authorization: token <T>`
 * (RT::Authen::Token). Returns raw JSON (and the ETag of a ticket); map.ts makes port types.
 */
import type { TrackerConnection } from "../connection.js";
import { createTrackerHttp, type HttpDeps } from "../http.js";
import { readRtError } from "./errors.js";

const API = "/REST/2.0";
const PER_PAGE = 100;
/** Comments of one ticket, and tickets of one poll: more pages than this is not a ticket's life. */
const MAX_PAGES = 20;

export type RtClient = ReturnType<typeof createRtClient>;

export function createRtClient(connection: TrackerConnection, deps: HttpDeps) {
  const http = createTrackerHttp({
    connection,
    headers: {
      authorization: `token ${connection.token}`,
      accept: "application/json",
      "content-type": "application/json",
    },
    secrets: [connection.token],
    readMessage: readRtError,
    deps,
  });
  const get = async (path: string, what: string, key?: string) =>
    (await http.request("GET", `${API}${path}`, { what, ...(key ? { key } : {}) })).body;

  /** Every item of a REST2 collection, page by page. */
  const pages = async (path: string, what: string, key?: string) => {
    const items: unknown[] = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
      const sep = path.includes("?") ? "&" : "?";
      const body = (await get(`${path}${sep}per_page=${PER_PAGE}&page=${page}`, what, key)) as {
        items?: unknown[];
        pages?: number;
      };
      items.push(...(body?.items ?? []));
      if (!body?.items?.length || page >= (body.pages ?? 1)) break;
    }
    return items;
  };

  return {
    /** The ticket, and the ETag a PUT sends back in `If-Match`. */
    async getTicket(id: string, key: string) {
      const response = await http.request("GET", `${API}/ticket/${id}`, {
        what: `read ${key}`,
        key,
      });
      return { body: response.body, etag: response.headers.get("etag") ?? undefined };
    },

    /** RT's result messages; a 412 (stale ETag) is a TrackerError with status 412. */
    async updateTicket(id: string, key: string, what: string, body: unknown, etag?: string) {
      const response = await http.request(
        "PUT",
        `${API}/ticket/${id}`,
        { what, key },
        body,
        etag ? { "if-match": etag } : undefined,
      );
      return response.body;
    },

    /** `/comment` is internal; `/correspond` mails the requestors. */
    async addMessage(id: string, key: string, kind: "comment" | "correspond", text: string) {
      await http.request(
        "POST",
        `${API}/ticket/${id}/${kind}`,
        { what: `${kind === "comment" ? "comment on" : "reply on"} ${key}`, key },
        { Content: text, ContentType: "text/plain" },
      );
    },

    history: (id: string, key: string) =>
      pages(`/ticket/${id}/history?fields=Type,Content`, `read comments of ${key}`, key),

    /** Ticket refs `{id}` matching a TicketSQL query. */
    search: (query: string, what: string) =>
      pages(`/tickets?query=${encodeURIComponent(query)}`, what),

    /** `POST /ticket`: 201 `{id}`. The body goes to RT::Ticket->Create as it is. */
    async createTicket(body: Record<string, unknown>): Promise<unknown> {
      const op = { what: `create a ticket in queue ${String(body.Queue)}` };
      return (await http.request("POST", `${API}/ticket`, op, body)).body;
    },

    queue: (ref: string) => get(`/queue/${encodeURIComponent(ref)}`, `read queue ${ref}`),

    firstQueue: () => get(`/queues/all?per_page=1`, "list the queues"),
  };
}
