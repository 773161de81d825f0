/**
 * GitHub's GraphQL API as the App's installation on the project's organization: one POST per
 * call to the same GitHub the App talks to, with a token the `GitHubGraphqlAccess` gives (the
 * App mints installation tokens; the Action has its own). No token lives in the connection,
 * and the one used is never in a message.
 */
import type { TrackerConnection } from "../connection.js";
import { retryAfterMs, TrackerError } from "../errors.js";
import { createTrackerHttp, type HttpDeps, type HttpResponse, type Operation } from "../http.js";
import {
  type GraphqlErrorEntry,
  graphqlErrors,
  kindOf,
  PROJECTS_PERMISSION,
  readGitHubMessage,
  tokenFailure,
} from "./errors.js";

/**
 * How the adapter reaches GitHub: the GraphQL endpoint (`https://api.github.com/graphql`,
 * GitHub Enterprise Server's `https://HOST/api/graphql`) and a token acting as the App's
 * installation on an organization. The App passes Probot's installation auth; the Action its
 * token whatever the owner.
 */
export interface GitHubGraphqlAccess {
  endpoint: string;
  token(owner: string): Promise<string>;
}

/** The GraphQL endpoint next to a REST base URL: api.github.com/graphql, HOST/api/graphql. */
export function graphqlEndpoint(restBaseUrl: string): string {
  const base = restBaseUrl.replace(/\/+$/, "");
  return base.endsWith("/api/v3") ? `${base.slice(0, -"v3".length)}graphql` : `${base}/graphql`;
}

/**
 * The GraphQL endpoint of a GitHub by its web address: github.com's is api.github.com/graphql,
 * GitHub Enterprise Server's HOST/api/graphql.
 *
 * @example
 * webGraphqlEndpoint("https://github.acme.test") // "https://github.acme.test/api/graphql"
 */
export function webGraphqlEndpoint(webUrl: string): string {
  const base = webUrl.replace(/\/+$/, "");
  return base === "https://github.com" ? "https://api.github.com/graphql" : `${base}/api/graphql`;
}

export interface GraphqlCall {
  query: string;
  variables: Record<string, unknown>;
  op: Operation;
}

export type ProjectsClient = ReturnType<typeof createProjectsClient>;

export function createProjectsClient(
  connection: TrackerConnection,
  owner: string,
  access: GitHubGraphqlAccess,
  deps: HttpDeps,
) {
  const fail = (kind: TrackerError["kind"], message: string, extra: object = {}) =>
    new TrackerError(kind, message, { connection: connection.name, ...extra });

  return {
    /** The `data` of the answer; a GraphQL error becomes a `TrackerError` of its type. */
    async request(call: GraphqlCall): Promise<Record<string, unknown>> {
      let token: string;
      try {
        token = await access.token(owner);
      } catch (error) {
        throw tokenFailure(connection.name, owner, error);
      }
      const http = createTrackerHttp({
        connection: { ...connection, url: access.endpoint },
        headers: {
          authorization: `bearer ${token}`,
          accept: "application/json",
          "content-type": "application/json",
        },
        secrets: [token],
        readMessage: readGitHubMessage,
        deps,
      });
      let response: HttpResponse;
      try {
        response = await http.request("POST", "", call.op, {
          query: call.query,
          variables: call.variables,
        });
      } catch (error) {
        throw httpFailure(error);
      }
      const errors = graphqlErrors(response.body);
      const first = errors[0];
      if (first) {
        const waitMs = retryAfterMs(response.headers, Date.now());
        throw graphqlFailure(first, call.op, errors.length, waitMs);
      }
      const data = (response.body as { data?: unknown } | null)?.data;
      if (typeof data !== "object" || data === null)
        throw fail("server", `GitHub answered no data to ${call.op.what}`);
      return data as Record<string, unknown>;
    },
  };

  /** GitHub's 401 names no token to check; a 403 that is a rate limit is worth waiting for. */
  function httpFailure(error: unknown): unknown {
    if (!(error instanceof TrackerError)) return error;
    const extra = {
      ...(error.status === undefined ? {} : { status: error.status }),
      ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
      cause: error,
    };
    if (error.kind === "auth")
      return fail(
        "auth",
        `GitHub refused the App's installation token for ${owner} (401) for connection "${connection.name}": check the App's installation on ${owner}`,
        extra,
      );
    if (error.kind === "forbidden" && /rate limit/i.test(error.message))
      return fail("rate_limited", error.message, extra);
    return error;
  }

  function graphqlFailure(
    error: GraphqlErrorEntry,
    op: Operation,
    count: number,
    waitMs: number | undefined,
  ): TrackerError {
    const kind = kindOf(error);
    const more = count > 1 ? ` (and ${count - 1} more)` : "";
    switch (kind) {
      case "not_found":
        return fail(
          kind,
          op.key
            ? `issue ${op.key} not found in ${connection.name}: ${error.message}`
            : `${connection.name} could not ${op.what}: ${error.message}`,
        );
      case "forbidden":
        return fail(
          kind,
          `${connection.name} may not ${op.what} (${error.message}): ${PROJECTS_PERMISSION}`,
        );
      case "rate_limited":
        return fail(
          kind,
          `GitHub is rate-limiting GraphQL requests to ${op.what}: ${error.message}`,
          waitMs === undefined ? {} : { retryAfterMs: waitMs },
        );
      default:
        return fail(kind, `GitHub refused to ${op.what}: ${error.message}${more}`);
    }
  }
}
