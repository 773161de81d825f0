/**
 * Yandex Tracker API v2 over HTTP: `Authorization: OAuth|Bearer <token>` plus the org header
 * (`X-Org-ID` for Yandex 360, `X-Cloud-Org-ID` for a Cloud-only org). Returns raw JSON;
 * map.ts turns it into port types.
 */
import type { TrackerConnection } from "../connection.js";
import { createTrackerHttp, type HttpDeps, type Operation } from "../http.js";
import { readYandexError } from "./errors.js";
import { nextLink } from "./map.js";

const API = "/v2";
const COMMENT_PAGE = 100;
/** A guard against a Link header that never ends. */
const MAX_COMMENT_PAGES = 100;
const SEARCH_PAGE = 100;
/** The poll asks about issues changed in one interval: ten pages is a busy queue's worth. */
const MAX_SEARCH_PAGES = 10;

export function yandexHeaders(connection: TrackerConnection): Record<string, string> {
  const headers: Record<string, string> = {
    authorization: `${connection.authScheme ?? "OAuth"} ${connection.token}`,
    accept: "application/json",
    "content-type": "application/json",
  };
  // The docs: X-Org-ID also when both a 360 and a Cloud org are linked.
  if (connection.orgId) headers["x-org-id"] = connection.orgId;
  else if (connection.cloudOrgId) headers["x-cloud-org-id"] = connection.cloudOrgId;
  return headers;
}

export type YandexClient = ReturnType<typeof createYandexClient>;

export function createYandexClient(connection: TrackerConnection, deps: HttpDeps) {
  const http = createTrackerHttp({
    connection,
    headers: yandexHeaders(connection),
    // The webhook secret travels in a trigger's header: an error echoing the trigger must not show it.
    secrets: [connection.token, ...(connection.webhookSecret ? [connection.webhookSecret] : [])],
    readMessage: readYandexError,
    deps,
  });
  const issuePath = (key: string) => `${API}/issues/${encodeURIComponent(key)}`;
  /** A list Yandex pages by `page` and counts in `X-Total-Pages`: every item, up to the guard. */
  const everyPage = async (method: string, path: string, op: Operation, body?: unknown) => {
    const all: unknown[] = [];
    for (let page = 1; page <= MAX_SEARCH_PAGES; page++) {
      const paged = `${path}?perPage=${SEARCH_PAGE}&page=${page}`;
      const response = await http.request(method, paged, op, body);
      if (Array.isArray(response.body)) all.push(...response.body);
      if (page >= Number(response.headers.get("x-total-pages") ?? 1)) break;
    }
    return all;
  };

  return {
    async getIssue(key: string, expandTransitions: boolean): Promise<unknown> {
      const query = expandTransitions ? "?expand=transitions" : "";
      const op: Operation = { what: `read ${key}`, key };
      return (await http.request("GET", `${issuePath(key)}${query}`, op)).body;
    },

    /** The documented transitions list: `[{id, display, to: {key, display}}]`. */
    async listTransitions(key: string): Promise<unknown> {
      const op: Operation = { what: `list the transitions of ${key}`, key };
      return (await http.request("GET", `${issuePath(key)}/transitions`, op)).body;
    },

    /** 200 answers with the transitions available from the new status. */
    async executeTransition(key: string, transitionId: string): Promise<unknown> {
      const op = { what: `transition ${key}`, key };
      const path = `${issuePath(key)}/transitions/${encodeURIComponent(transitionId)}/_execute`;
      return (await http.request("POST", path, op, {})).body;
    },

    /** `{ "<workflow id>": [<issue type>, …] }` */
    async queueWorkflows(queue: string): Promise<unknown> {
      const op = { what: `read the workflows of queue ${queue}` };
      return (await http.request("GET", `${API}/queues/${encodeURIComponent(queue)}/workflows`, op))
        .body;
    },

    /** `{ id, steps: [{ status, actions: [{ id, name, target }] }], initialAction }` */
    async workflow(id: string): Promise<unknown> {
      const op = { what: `read workflow ${id}` };
      return (await http.request("GET", `${API}/workflows/${encodeURIComponent(id)}`, op)).body;
    },

    /** `[{ key, display, type }]`: every status of the organization with its type. */
    async statuses(): Promise<unknown> {
      return (await http.request("GET", `${API}/statuses`, { what: "read the statuses" })).body;
    },

    async patchIssue(key: string, fields: Record<string, unknown>): Promise<void> {
      const op = { what: `set ${Object.keys(fields).join(", ")} on ${key}`, key };
      await http.request("PATCH", issuePath(key), op, fields);
    },

    /** Every comment, following `Link: <…>; rel="next"` page by page. */
    async listComments(key: string): Promise<unknown[]> {
      const op = { what: `read comments of ${key}`, key };
      const all: unknown[] = [];
      let path: string | undefined = `${issuePath(key)}/comments?perPage=${COMMENT_PAGE}`;
      for (let page = 0; path && page < MAX_COMMENT_PAGES; page++) {
        const response = await http.request("GET", path, op);
        if (Array.isArray(response.body)) all.push(...response.body);
        path = samePath(nextLink(response.headers.get("link")), connection.url);
      }
      return all;
    },

    async listVersions(queue: string): Promise<unknown> {
      const op = { what: `read the versions of queue ${queue}` };
      return (await http.request("GET", `${API}/queues/${encodeURIComponent(queue)}/versions`, op))
        .body;
    },

    async createVersion(queue: string, name: string): Promise<unknown> {
      const op = { what: `create version ${name} in queue ${queue}` };
      return (await http.request("POST", `${API}/versions`, op, { queue, name })).body;
    },

    async myself(): Promise<unknown> {
      return (await http.request("GET", `${API}/myself`, { what: "read the token's user" })).body;
    },

    /** `[{ key, defaultType: { key, display } }]`: the first queue the token sees. */
    async firstQueue(): Promise<unknown> {
      return (await http.request("GET", `${API}/queues?perPage=1`, { what: "list the queues" }))
        .body;
    },

    /** Issues of these queues updated since `sinceIso`, page by page (`X-Total-Pages`). */
    async searchUpdated(queues: readonly string[], sinceIso: string): Promise<unknown[]> {
      const op = { what: `search ${queues.join(", ")} for updated issues` };
      const filter = { queue: queues, updatedAt: { from: sinceIso } };
      return everyPage("POST", `${API}/issues/_search`, op, { filter });
    },

    /** The organization's users (`[{uid, login, display, email}]`), page by page. */
    async users(): Promise<unknown[]> {
      return everyPage("GET", `${API}/users`, { what: "list the organization's users" });
    },

    /** The queue's triggers: `[{id, name, actions, conditions, active}]`. */
    async listTriggers(queue: string): Promise<unknown> {
      const op = { what: `list the triggers of queue ${queue}` };
      return (await http.request("GET", `${API}/queues/${encodeURIComponent(queue)}/triggers`, op))
        .body;
    },

    async createTrigger(queue: string, trigger: object): Promise<unknown> {
      const op = { what: `create a trigger in queue ${queue}` };
      const path = `${API}/queues/${encodeURIComponent(queue)}/triggers`;
      return (await http.request("POST", path, op, trigger)).body;
    },

    /** 201 with the issue; 409 when an issue with this `unique` exists. */
    async createIssue(fields: Record<string, unknown>): Promise<unknown> {
      const op = { what: `create an issue in queue ${String(fields.queue)}` };
      return (await http.request("POST", `${API}/issues/`, op, fields)).body;
    },

    /** The issue created with this `unique`: `[issue]` or `[]`. */
    async findByUnique(unique: string): Promise<unknown> {
      const op = { what: "search for the issue created earlier" };
      return (await http.request("POST", `${API}/issues/_search`, op, { filter: { unique } })).body;
    },

    async editComment(key: string, id: string, text: string): Promise<void> {
      const op = { what: `edit a comment of ${key}`, key };
      await http.request("PATCH", `${issuePath(key)}/comments/${encodeURIComponent(id)}`, op, {
        text,
      });
    },

    async deleteComment(key: string, id: string): Promise<void> {
      const op = { what: `delete a comment of ${key}`, key };
      await http.request("DELETE", `${issuePath(key)}/comments/${encodeURIComponent(id)}`, op);
    },

    /** 200 with the issue, its `assignee` as the tracker now has it. */
    async patchIssueBody(key: string, fields: Record<string, unknown>): Promise<unknown> {
      const op = { what: `set ${Object.keys(fields).join(", ")} on ${key}`, key };
      return (await http.request("PATCH", issuePath(key), op, fields)).body;
    },

    /** `PATCH …/triggers/{id}?version=N`: `version` is the trigger's current one (a stale one is refused). */
    async updateTrigger(
      queue: string,
      trigger: { id: string; version: number },
      changes: object,
    ): Promise<unknown> {
      const op = { what: `update trigger ${trigger.id} in queue ${queue}` };
      const path = `${API}/queues/${encodeURIComponent(queue)}/triggers/${encodeURIComponent(trigger.id)}?version=${trigger.version}`;
      return (await http.request("PATCH", path, op, changes)).body;
    },

    async addComment(key: string, text: string): Promise<void> {
      const op = { what: `comment on ${key}`, key };
      await http.request("POST", `${issuePath(key)}/comments`, op, { text });
    },
  };
}

/** The next page as a path under the connection URL; links to other hosts are not followed. */
function samePath(next: string | undefined, baseUrl: string): string | undefined {
  if (!next) return undefined;
  const base = new URL(baseUrl);
  const url = new URL(next, base);
  if (url.origin !== base.origin) return undefined;
  const basePath = base.pathname.replace(/\/+$/, "");
  const path = url.pathname.startsWith(basePath)
    ? url.pathname.slice(basePath.length)
    : url.pathname;
  return `${path}${url.search}`;
}
