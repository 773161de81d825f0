/**
 * Redmine REST over HTTP (`.json` routes). Auth: `X-Redmine-API-Key: <token>`, or Basic
 * login:token when the connection names a login. Returns raw JSON; map.ts makes port types.
 */
import type { TrackerConnection } from "../connection.js";
import { createTrackerHttp, type HttpDeps } from "../http.js";
import { readRedmineError } from "./errors.js";

/** The poll asks about issues changed in one interval: ten pages is a busy instance's worth. */
const MAX_SEARCH_PAGES = 10;
const PAGE = 100;

function basic(connection: TrackerConnection): string | undefined {
  return connection.login
    ? Buffer.from(`${connection.login}:${connection.token}`).toString("base64")
    : undefined;
}

export function redmineHeaders(connection: TrackerConnection): Record<string, string> {
  const encoded = basic(connection);
  return {
    ...(encoded
      ? { authorization: `Basic ${encoded}` }
      : { "x-redmine-api-key": connection.token }),
    accept: "application/json",
    "content-type": "application/json",
  };
}

export type RedmineClient = ReturnType<typeof createRedmineClient>;

export function createRedmineClient(connection: TrackerConnection, deps: HttpDeps) {
  const http = createTrackerHttp({
    connection,
    headers: redmineHeaders(connection),
    secrets: [connection.token, ...[basic(connection)].filter((s): s is string => !!s)],
    readMessage: readRedmineError,
    deps,
  });
  const get = async (path: string, what: string, key?: string) =>
    (await http.request("GET", path, { what, ...(key ? { key } : {}) })).body;

  return {
    /** `include`: allowed_statuses (the workflow's targets from here), journals (the notes). */
    getIssue: (id: string, key: string, include: string[] = []) =>
      get(
        `/issues/${id}.json${include.length ? `?include=${include.join(",")}` : ""}`,
        `read ${key}`,
        key,
      ),

    /** 204 whatever Redmine kept of it: a disallowed status or a read-only field is dropped silently. */
    async updateIssue(id: string, key: string, what: string, issue: Record<string, unknown>) {
      await http.request("PUT", `/issues/${id}.json`, { what, key }, { issue });
    },

    statuses: () => get("/issue_statuses.json", "read the issue statuses"),
    trackers: () => get("/trackers.json", "read the trackers"),
    /** Administrators only: a 403 for anyone else. */
    customFields: () => get("/custom_fields.json", "read the custom fields"),
    currentUser: () => get("/users/current.json", "read the token's user"),
    firstProject: () => get("/projects.json?limit=1&include=trackers", "list the projects"),
    project: (ref: string) =>
      get(`/projects/${encodeURIComponent(ref)}.json?include=trackers`, `read project ${ref}`),
    versions: (projectId: string) =>
      get(`/projects/${projectId}/versions.json`, `read the versions of project ${projectId}`),

    async createVersion(projectId: string, name: string): Promise<unknown> {
      const op = { what: `create version ${name} in project ${projectId}` };
      const path = `/projects/${projectId}/versions.json`;
      return (await http.request("POST", path, op, { version: { name } })).body;
    },

    /** `POST /issues.json`: 201 `{issue: {id, …}}`. `project_id` takes an id or identifier. */
    async createIssue(issue: Record<string, unknown>): Promise<unknown> {
      const op = { what: `create an issue in project ${String(issue.project_id)}` };
      return (await http.request("POST", "/issues.json", op, { issue })).body;
    },

    /** Issues of a project (any status) whose description contains `text` (one page). */
    findByDescription: (project: string, text: string) =>
      get(
        `/issues.json?${new URLSearchParams({ project_id: project, status_id: "*", description: `~${text}`, limit: String(PAGE) })}`,
        "search for the issue created earlier",
      ),

    /** Redmine 5.0+: a note's new text; an empty one deletes a journal without field changes. */
    async updateJournal(id: string, key: string, notes: string): Promise<void> {
      const op = { what: `edit a note on ${key}`, key };
      await http.request("PUT", `/journals/${id}.json`, op, { journal: { notes } });
    },

    /** Ids of the issues (any status) updated at or after `sinceIso`, page by page. */
    async updatedIds(sinceIso: string): Promise<string[]> {
      const ids: string[] = [];
      for (let page = 0; page < MAX_SEARCH_PAGES; page++) {
        const query = new URLSearchParams({
          status_id: "*",
          updated_on: `>=${sinceIso}`,
          sort: "updated_on",
          limit: String(PAGE),
          offset: String(page * PAGE),
        });
        const body = (await get(`/issues.json?${query}`, "search for updated issues")) as {
          issues?: Array<{ id?: unknown }>;
          total_count?: number;
        };
        const found = (body?.issues ?? []).map((issue) => issue.id);
        ids.push(...found.filter((id) => typeof id === "number").map(String));
        if (found.length < PAGE || ids.length >= (body?.total_count ?? 0)) break;
      }
      return ids;
    },
  };
}
