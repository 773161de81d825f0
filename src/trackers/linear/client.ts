/**
 * Linear's GraphQL API over HTTP: every call is one `POST {url}/graphql` carrying one document
 * from queries.ts. A personal API key goes bare in `Authorization`; an OAuth token (connection
 * `authScheme: Bearer`) as `Bearer <token>`. Answers with GraphQL `errors` become the same
 * `TrackerError`s as HTTP failures, classified by `extensions.code` (errors.ts).
 */
import type { TrackerConnection } from "../connection.js";
import { createTrackerHttp, type HttpDeps, type Operation } from "../http.js";
import {
  classifyLinear,
  graphqlErrors,
  linearNotFound,
  linearWaitMs,
  readLinearError,
} from "./errors.js";
import { pageAfter } from "./map.js";
import * as Q from "./queries.js";

/** A poll covers one interval's changes: ten pages of 100 is a busy workspace's worth. */
const MAX_PAGES = 10;

export function linearHeaders(connection: TrackerConnection): Record<string, string> {
  const bearer = connection.authScheme === "Bearer";
  return {
    authorization: bearer ? `Bearer ${connection.token}` : connection.token,
    accept: "application/json",
    "content-type": "application/json",
  };
}

export type LinearClient = ReturnType<typeof createLinearClient>;

export function createLinearClient(connection: TrackerConnection, deps: HttpDeps) {
  const http = createTrackerHttp({
    connection,
    headers: linearHeaders(connection),
    secrets: [connection.token, ...(connection.webhookSecret ? [connection.webhookSecret] : [])],
    readMessage: readLinearError,
    classify: classifyLinear,
    notFoundMessage: (body, op) => linearNotFound(connection.name, body, op),
    waitMs: linearWaitMs,
    deps,
  });

  /** `data` of one document; an answer with `errors` (even on 200) throws. */
  const run = async (
    query: string,
    variables: Record<string, unknown>,
    op: Operation,
  ): Promise<Record<string, unknown>> => {
    const response = await http.request("POST", "/graphql", op, { query, variables });
    const data = (response.body as { data?: unknown } | undefined)?.data;
    if (graphqlErrors(response.body).length > 0 || typeof data !== "object" || data === null) {
      throw http.failure(response, op);
    }
    return data as Record<string, unknown>;
  };

  /** Follows `pageInfo.endCursor` through a connection at `pick(data)`. */
  const pages = async (
    query: string,
    variables: Record<string, unknown>,
    op: Operation,
    pick: (data: Record<string, unknown>) => unknown,
  ): Promise<unknown[]> => {
    const all: unknown[] = [];
    let after: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const connectionBody = pick(await run(query, { ...variables, after: after ?? null }, op));
      all.push(connectionBody);
      after = pageAfter(connectionBody);
      if (!after) break;
    }
    return all;
  };

  const issueOf = (data: Record<string, unknown>) => (data.issue ?? {}) as Record<string, unknown>;

  return {
    async issue(key: string, withTeam: boolean): Promise<unknown> {
      const data = await run(Q.ISSUE, { id: key, withTeam }, { what: `read ${key}`, key });
      return data.issue;
    },

    /** `issueUpdate`'s `issue` after the move, with its team's states. */
    async move(key: string, stateId: string): Promise<unknown> {
      const data = await run(Q.MOVE, { id: key, stateId }, { what: `move ${key}`, key });
      return (data.issueUpdate as { issue?: unknown } | undefined)?.issue;
    },

    /** `teams.nodes` filtered by key: empty when the team does not exist (or is not visible). */
    async team(key: string): Promise<unknown> {
      const op = { what: `read the states of team ${key}` };
      return (await run(Q.TEAM_BY_KEY, { key }, op)).teams;
    },

    async firstTeam(): Promise<unknown> {
      return (await run(Q.FIRST_TEAM, {}, { what: "list the teams" })).teams;
    },

    /** Each page's `comments` connection. */
    comments(key: string): Promise<unknown[]> {
      const op = { what: `read comments of ${key}`, key };
      return pages(Q.COMMENTS, { id: key }, op, (data) => issueOf(data).comments);
    },

    async comment(key: string, body: string): Promise<void> {
      await run(Q.COMMENT, { issueId: key, body }, { what: `comment on ${key}`, key });
    },

    async attachmentExists(key: string, url: string): Promise<unknown> {
      const op = { what: `read the attachments of ${key}`, key };
      return issueOf(await run(Q.ATTACHMENT_BY_URL, { id: key, url }, op)).attachments;
    },

    async linkUrl(key: string, url: string, title: string, what: string): Promise<void> {
      await run(Q.LINK_URL, { issueId: key, url, title }, { what, key });
    },

    async viewer(): Promise<unknown> {
      return (await run(Q.VIEWER, {}, { what: "read the token's user" })).viewer;
    },

    /** `issueCreate`'s issue (`identifier`). */
    async createIssue(input: Record<string, unknown>, team: string): Promise<unknown> {
      const op = { what: `create an issue in team ${team}` };
      return (await run(Q.CREATE, { input }, op)).issueCreate;
    },

    /** The issue's identifier by its UUID; rejects `not_found` when there is none. */
    async issueKey(id: string): Promise<unknown> {
      const op = { what: "look for the issue created earlier" };
      return issueOf(await run(Q.ISSUE_KEY, { id }, op)).identifier;
    },

    async deleteAttachment(key: string, id: string): Promise<void> {
      await run(Q.ATTACHMENT_DELETE, { id }, { what: `unlink the pull request from ${key}`, key });
    },

    async assignee(key: string): Promise<unknown> {
      const op = { what: `read the assignee of ${key}`, key };
      return issueOf(await run(Q.ASSIGNEE, { id: key }, op)).assignee;
    },

    async assign(key: string, assigneeId: string): Promise<unknown> {
      const op = { what: `assign ${key}`, key, assignee: assigneeId };
      const data = await run(Q.ASSIGN, { id: key, assigneeId }, op);
      return issueOf((data.issueUpdate ?? {}) as Record<string, unknown>).assignee;
    },

    async usersByEmail(email: string): Promise<unknown> {
      return (await run(Q.USERS_BY_EMAIL, { email }, { what: "find a user by e-mail" })).users;
    },

    /** Each page's `issues` connection. */
    updatedSince(teams: readonly string[], sinceIso: string): Promise<unknown[]> {
      const op = { what: `search ${teams.join(", ")} for updated issues` };
      return pages(Q.UPDATED_SINCE, { teams, since: sinceIso }, op, (data) => data.issues);
    },
  };
}
