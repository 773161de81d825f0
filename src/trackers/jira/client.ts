/**
 * Jira REST over HTTP. Cloud (an email is configured): `/rest/api/3`, Basic
 * base64(email:token), ADF comment bodies. Data Center (no email): `/rest/api/2`, Bearer
 * personal access token, plain-text bodies. Returns raw JSON; map.ts makes port types.
 */
import type { TrackerConnection } from "../connection.js";
import { createTrackerHttp, type HttpDeps } from "../http.js";
import { readJiraError } from "./errors.js";

const COMMENT_PAGE = 100;
const MAX_COMMENT_PAGES = 100;
/** The poll asks about issues changed in one interval: ten pages is a busy project's worth. */
const MAX_SEARCH_PAGES = 10;

export function jiraApiVersion(connection: TrackerConnection): 2 | 3 {
  return connection.email ? 3 : 2;
}

function credential(connection: TrackerConnection): string {
  return connection.email
    ? Buffer.from(`${connection.email}:${connection.token}`).toString("base64")
    : connection.token;
}

export function jiraHeaders(connection: TrackerConnection): Record<string, string> {
  const scheme = connection.email ? "Basic" : "Bearer";
  return {
    authorization: `${scheme} ${credential(connection)}`,
    accept: "application/json",
    "content-type": "application/json",
  };
}

export type JiraClient = ReturnType<typeof createJiraClient>;

export function createJiraClient(connection: TrackerConnection, deps: HttpDeps) {
  const api = `/rest/api/${jiraApiVersion(connection)}`;
  const http = createTrackerHttp({
    connection,
    headers: jiraHeaders(connection),
    secrets: [connection.token, credential(connection)],
    readMessage: readJiraError,
    deps,
  });
  const issuePath = (key: string) => `${api}/issue/${encodeURIComponent(key)}`;

  return {
    version: jiraApiVersion(connection),

    async getIssue(key: string, expandTransitions: boolean): Promise<unknown> {
      // project and issuetype name the workflow; transitions.fields shows required screen fields.
      const query = `?fields=status,project,issuetype${expandTransitions ? "&expand=transitions.fields" : ""}`;
      return (await http.request("GET", `${issuePath(key)}${query}`, { what: `read ${key}`, key }))
        .body;
    },

    async executeTransition(key: string, transitionId: string): Promise<void> {
      const op = { what: `transition ${key}`, key };
      await http.request("POST", `${issuePath(key)}/transitions`, op, {
        transition: { id: transitionId },
      });
    },

    /** Cloud: the workflows of one project and issue type, in the transition-links format. */
    async readWorkflows(projectId: string, issueTypeId: string): Promise<unknown> {
      const op = { what: "read the workflow" };
      const body = {
        projectAndIssueTypes: [{ projectId, issueTypeId }],
        useTransitionLinksFormat: true,
      };
      return (await http.request("POST", "/rest/api/3/workflows", op, body)).body;
    },

    /** `[{ id, name, subtask, statuses: [{ id, name, statusCategory }] }]`: per issue type. */
    async projectStatuses(project: string): Promise<unknown> {
      const path = `${api}/project/${encodeURIComponent(project)}/statuses`;
      return (await http.request("GET", path, { what: `read the statuses of project ${project}` }))
        .body;
    },

    /** `{ id, key, name }` */
    async getProject(project: string): Promise<unknown> {
      const path = `${api}/project/${encodeURIComponent(project)}`;
      return (await http.request("GET", path, { what: `read project ${project}` })).body;
    },

    async editFields(key: string, fields: Record<string, unknown>, label: string): Promise<void> {
      await http.request(
        "PUT",
        issuePath(key),
        { what: `set ${label} on ${key}`, key },
        { fields },
      );
    },

    async getFixVersions(key: string): Promise<unknown> {
      const query = "?fields=fixVersions,project";
      return (await http.request("GET", `${issuePath(key)}${query}`, { what: `read ${key}`, key }))
        .body;
    },

    async listVersions(project: string): Promise<unknown> {
      const path = `${api}/project/${encodeURIComponent(project)}/versions`;
      return (await http.request("GET", path, { what: `read the versions of ${project}` })).body;
    },

    async createVersion(projectId: string, name: string): Promise<unknown> {
      const op = { what: `create version ${name} in project ${projectId}` };
      return (
        await http.request("POST", `${api}/version`, op, { name, projectId: Number(projectId) })
      ).body;
    },

    async addFixVersion(key: string, name: string): Promise<void> {
      const op = { what: `add fix version ${name} to ${key}`, key };
      await http.request("PUT", issuePath(key), op, {
        update: { fixVersions: [{ add: { name } }] },
      });
    },

    /** `{ values: [{ id, key, issueTypes: [{ id, name }] }] }`: the first project the token sees. */
    async firstProject(): Promise<unknown> {
      const path = `${api}/project/search?maxResults=1&expand=issueTypes`;
      return (await http.request("GET", path, { what: "list the projects" })).body;
    },

    async myself(): Promise<unknown> {
      return (await http.request("GET", `${api}/myself`, { what: "read the token's user" })).body;
    },

    async listFields(): Promise<unknown> {
      return (await http.request("GET", `${api}/field`, { what: "list fields" })).body;
    },

    /** Pages with `startAt` until `total` is reached. */
    async listCommentPages(
      key: string,
      mapPage: (body: unknown) => { count: number; total: number },
    ) {
      const op = { what: `read comments of ${key}`, key };
      for (let page = 0, startAt = 0; page < MAX_COMMENT_PAGES; page++) {
        const path = `${issuePath(key)}/comment?startAt=${startAt}&maxResults=${COMMENT_PAGE}`;
        const { count, total } = mapPage((await http.request("GET", path, op)).body);
        startAt += count;
        if (count === 0 || startAt >= total) return;
      }
    },

    /**
     * Keys matching `jql`, page by page: Cloud's `GET /search/jql` (nextPageToken), Data
     * Center's `GET /search` (startAt).
     */
    async searchKeys(jql: string, what = "search for updated issues"): Promise<string[]> {
      const op = { what };
      const keys: string[] = [];
      let next: { token?: string; startAt: number } = { startAt: 0 };
      for (let page = 0; page < MAX_SEARCH_PAGES; page++) {
        const query = new URLSearchParams({ jql, fields: "updated", maxResults: "100" });
        if (next.token) query.set("nextPageToken", next.token);
        if (jiraApiVersion(connection) === 2) query.set("startAt", String(next.startAt));
        const path = `${api}/${jiraApiVersion(connection) === 3 ? "search/jql" : "search"}?${query}`;
        const body = (await http.request("GET", path, op)).body as {
          issues?: Array<{ key?: unknown }>;
          nextPageToken?: string;
          total?: number;
        };
        const found = (body.issues ?? []).map((issue) => issue.key);
        keys.push(...found.filter((key): key is string => typeof key === "string"));
        next = {
          startAt: next.startAt + found.length,
          ...(body.nextPageToken ? { token: body.nextPageToken } : {}),
        };
        const more = body.nextPageToken
          ? true
          : body.total !== undefined && next.startAt < body.total;
        if (!more || found.length === 0) break;
      }
      return keys;
    },

    async addComment(key: string, body: unknown): Promise<void> {
      await http.request(
        "POST",
        `${issuePath(key)}/comment`,
        { what: `comment on ${key}`, key },
        { body },
      );
    },

    /** 201 `{id, key, self}`. */
    async createIssue(fields: Record<string, unknown>): Promise<unknown> {
      const project = (fields.project as { key?: string } | undefined)?.key ?? "?";
      const op = { what: `create an issue in project ${project}` };
      return (await http.request("POST", `${api}/issue`, op, { fields })).body;
    },

    /** 204; 404 when the issue has no link with this `globalId`. */
    async deleteRemoteLink(key: string, globalId: string): Promise<void> {
      const op = { what: `remove the pull request's link from ${key}`, key };
      const query = `?globalId=${encodeURIComponent(globalId)}`;
      await http.request("DELETE", `${issuePath(key)}/remotelink${query}`, op);
    },

    async getAssignee(key: string): Promise<unknown> {
      const op = { what: `read the assignee of ${key}`, key };
      return (await http.request("GET", `${issuePath(key)}?fields=assignee`, op)).body;
    },

    /** Users whose name or e-mail matches: Cloud `query=`, Data Center `username=`. */
    async searchUsers(email: string): Promise<unknown> {
      const param = jiraApiVersion(connection) === 3 ? "query" : "username";
      const path = `${api}/user/search?${param}=${encodeURIComponent(email)}&maxResults=10`;
      return (await http.request("GET", path, { what: "find a user by e-mail" })).body;
    },

    /** Cloud names the person by `accountId`, Data Center by `name`: 204. */
    async setAssignee(key: string, login: string): Promise<void> {
      const op = { what: `assign ${key} to ${login}`, key };
      const body = jiraApiVersion(connection) === 3 ? { accountId: login } : { name: login };
      await http.request("PUT", `${issuePath(key)}/assignee`, op, body);
    },

    /** 201 when Jira created the link, 200 when a link with this `globalId` was updated. */
    async upsertRemoteLink(key: string, link: { globalId: string; url: string; title: string }) {
      const op = { what: `link a pull request to ${key}`, key };
      const response = await http.request("POST", `${issuePath(key)}/remotelink`, op, {
        globalId: link.globalId,
        relationship: "pull request",
        object: { url: link.url, title: link.title },
      });
      return response.status;
    },
  };
}
