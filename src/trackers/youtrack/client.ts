/**
 * YouTrack REST (`/api`) over HTTP with a permanent token (`Authorization: Bearer perm:…`).
 * YouTrack answers only the attributes a request names in `fields`, so each call names what
 * map.ts reads. Returns raw JSON.
 */
import type { TrackerConnection } from "../connection.js";
import { createTrackerHttp, type HttpDeps, type Operation } from "../http.js";
import { classifyYouTrackError, readYouTrackError } from "./errors.js";

const STATE_VALUE = "name,isResolved,ordinal,archived";
/** The issue, its State (and Type, for the workflow scope) and the project. */
const ISSUE = `idReadable,project(id,shortName),customFields(name,$type,value(${STATE_VALUE}))`;
/** Also every value of the project's State set: the states a move may try. */
const ISSUE_WITH_STATES = `idReadable,project(id,shortName),customFields(name,$type,value(${STATE_VALUE}),projectCustomField(bundle(values(${STATE_VALUE}))))`;
const VERSIONS =
  "idReadable,project(id,shortName),customFields(name,$type,value(name),projectCustomField(bundle(id,values(name))))";
const PAGE = 100;
/** A guard against paging without end. */
const MAX_PAGES = 100;
/** The poll asks about issues changed in one interval: ten pages is a busy project's worth. */
const MAX_SEARCH_PAGES = 10;

export function youTrackHeaders(connection: TrackerConnection): Record<string, string> {
  return {
    authorization: `Bearer ${connection.token}`,
    accept: "application/json",
    "content-type": "application/json",
  };
}

export type YouTrackClient = ReturnType<typeof createYouTrackClient>;

export function createYouTrackClient(connection: TrackerConnection, deps: HttpDeps) {
  const http = createTrackerHttp({
    connection,
    headers: youTrackHeaders(connection),
    secrets: [connection.token, ...(connection.webhookSecret ? [connection.webhookSecret] : [])],
    readMessage: readYouTrackError,
    classify: classifyYouTrackError,
    deps,
  });
  const issuePath = (key: string) => `/api/issues/${encodeURIComponent(key)}`;
  const get = async (path: string, op: Operation) => (await http.request("GET", path, op)).body;

  /** `$top`/`$skip` pages of a list until a short page. */
  async function pages(path: string, op: Operation, max: number): Promise<unknown[]> {
    const all: unknown[] = [];
    for (let page = 0; page < max; page++) {
      const sep = path.includes("?") ? "&" : "?";
      const body = await get(`${path}${sep}$top=${PAGE}&$skip=${page * PAGE}`, op);
      const items = Array.isArray(body) ? body : [];
      all.push(...items);
      if (items.length < PAGE) break;
    }
    return all;
  }

  return {
    getIssue: (key: string, withStates: boolean) =>
      get(`${issuePath(key)}?fields=${withStates ? ISSUE_WITH_STATES : ISSUE}`, {
        what: `read ${key}`,
        key,
      }),

    /** Sets the State; answers the issue as it is afterwards, with its project's states. */
    async setState(key: string, state: string): Promise<unknown> {
      const op = { what: `move ${key} to ${state}`, key };
      const body = {
        customFields: [{ name: "State", $type: "StateIssueCustomField", value: { name: state } }],
      };
      return (await http.request("POST", `${issuePath(key)}?fields=${ISSUE_WITH_STATES}`, op, body))
        .body;
    },

    /** `customFields(name,$type)`: which fields the issue's project has, and their types. */
    fieldTypes: (key: string) =>
      get(`${issuePath(key)}?fields=project(shortName),customFields(name,$type)`, {
        what: `read the fields of ${key}`,
        key,
      }),

    async setCustomField(key: string, field: Record<string, unknown>, label: string) {
      const op = { what: `set ${label} on ${key}`, key };
      await http.request("POST", `${issuePath(key)}?fields=id`, op, { customFields: [field] });
    },

    /** The issue's Fix versions and the project's whole version set (with the set's id). */
    readVersions: (key: string) =>
      get(`${issuePath(key)}?fields=${VERSIONS}`, { what: `read the versions of ${key}`, key }),

    async createVersion(bundleId: string, name: string, project: string): Promise<void> {
      const op = { what: `create version ${name} in project ${project}` };
      const path = `/api/admin/customFieldSettings/bundles/version/${encodeURIComponent(bundleId)}/values?fields=id,name`;
      await http.request("POST", path, op, { name });
    },

    listComments: (key: string) =>
      pages(
        `${issuePath(key)}/comments?fields=id,text`,
        { what: `read comments of ${key}`, key },
        MAX_PAGES,
      ),

    async addComment(key: string, text: string): Promise<void> {
      const op = { what: `comment on ${key}`, key };
      await http.request("POST", `${issuePath(key)}/comments?fields=id`, op, { text });
    },

    async editComment(key: string, id: string, text: string): Promise<void> {
      const op = { what: `edit a comment on ${key}`, key };
      const path = `${issuePath(key)}/comments/${encodeURIComponent(id)}?fields=id`;
      await http.request("POST", path, op, { text });
    },

    async deleteComment(key: string, id: string): Promise<void> {
      const op = { what: `delete a comment on ${key}`, key };
      await http.request("DELETE", `${issuePath(key)}/comments/${encodeURIComponent(id)}`, op);
    },

    me: () => get("/api/users/me?fields=login,fullName,name", { what: "read the token's user" }),

    /** Projects whose name or short name contains `query` ("" for any), with their ids. */
    projects: (query: string, top: number) =>
      get(
        `/api/admin/projects?fields=id,shortName,name&$top=${top}${query ? `&query=${encodeURIComponent(query)}` : ""}`,
        { what: "list the projects" },
      ),

    /** The project's custom fields with their sets of values (the State field's states). */
    projectFields: (projectId: string, project: string) =>
      get(
        `/api/admin/projects/${encodeURIComponent(projectId)}/customFields?fields=$type,field(name),bundle(values(${STATE_VALUE}))`,
        { what: `read the fields of project ${project}` },
      ),

    /** `POST /api/issues` with the project's entity id: answers the new issue's `idReadable`. */
    async createIssue(body: Record<string, unknown>, project: string): Promise<unknown> {
      const op = { what: `create an issue in project ${project}` };
      return (await http.request("POST", "/api/issues?fields=idReadable", op, body)).body;
    },

    /** Issues of a project whose text has these words, with their descriptions (one page). */
    findByText: (project: string, words: string) =>
      get(
        `/api/issues?query=${encodeURIComponent(`project: {${project}} "${words}"`)}&fields=idReadable,description&$top=${PAGE}`,
        { what: "search for the issue created earlier" },
      ),

    /** Users whose login, name or e-mail contains `query`. */
    users: (query: string) =>
      get(`/api/users?query=${encodeURIComponent(query)}&fields=login,fullName,email&$top=10`, {
        what: "find a user by e-mail",
      }),

    getAssignee: (key: string) =>
      get(`${issuePath(key)}?fields=customFields(name,$type,value(login,fullName))`, {
        what: `read the assignee of ${key}`,
        key,
      }),

    /** `Assignee` is a `SingleUserIssueCustomField`; a user is named by `login`. */
    async setAssignee(key: string, login: string): Promise<unknown> {
      const op = { what: `assign ${key} to ${login}`, key };
      const body = {
        customFields: [{ name: "Assignee", $type: "SingleUserIssueCustomField", value: { login } }],
      };
      const path = `${issuePath(key)}?fields=customFields(name,$type,value(login,fullName))`;
      return (await http.request("POST", path, op, body)).body;
    },

    /** Issues matching a search query: `idReadable` and `updated` (epoch ms). */
    search: (query: string) =>
      pages(
        `/api/issues?query=${encodeURIComponent(query)}&fields=idReadable,updated`,
        { what: "search for updated issues" },
        MAX_SEARCH_PAGES,
      ),
  };
}
