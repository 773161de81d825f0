/**
 * A Linear GraphQL API simulator on loopback for tests, the demo and benchmarks: `POST
 * /graphql` executes the documents the adapter sends against the subset of Linear's schema in
 * schema.ts. Teams are the shared store's queues (team key = `ENG` of `ENG-1`), workflow
 * states its statuses. Failed operations answer HTTP 400 with GraphQL `errors` carrying
 * `extensions.code`/`type`, as Linear's API does; rate limits come as an injected 429 with
 * `Retry-After` and `X-RateLimit-Requests-*`, or as a `RATELIMITED` GraphQL error.
 *
 * @example
 * const sim = await startLinearSimulator({ token: "lin_api_t0k" });
 * sim.createIssue("ENG-1");
 * // createTracker({ name: "linear", type: "linear", url: sim.url, token: "lin_api_t0k" })
 * await sim.close();
 */
import { graphqlSync } from "graphql";
import { createAdmin, type TrackerSimulator } from "../shared/admin.js";
import { type SimReply, type SimRequest, startHttpSimulator } from "../shared/http-server.js";
import { IssueStore } from "../shared/store.js";
import { defaultLinearWorkflow } from "../shared/workflow.js";
import { errorBody } from "./render.js";
import { createRootValue, type LinearUser } from "./resolvers.js";
import { linearSimSchema } from "./schema.js";

export interface LinearSimulatorOptions {
  /** A personal API key (sent bare in `Authorization`) or an OAuth token (`Bearer …`). */
  token: string;
  port?: number;
  /** Who `viewer` is. */
  user?: LinearUser;
}

export type LinearSimulator = TrackerSimulator & {
  /** The next `count` requests answer HTTP 400 with a `RATELIMITED` error and reset headers. */
  rateLimitAsGraphqlError(count: number, resetInMs: number): void;
};

const HOUR_MS = 3_600_000;
const REQUEST_BUDGET = 5000;

export async function startLinearSimulator(
  options: LinearSimulatorOptions,
): Promise<LinearSimulator> {
  const store = new IssueStore(defaultLinearWorkflow);
  const user = options.user ?? {
    name: "trackbridge bot",
    displayName: "trackbridge",
    email: "bot@example.test",
  };
  let origin = "http://127.0.0.1";
  const rootValue = createRootValue(store, user, () => origin);
  let served = 0;
  const http = await startHttpSimulator({
    port: options.port,
    errorBody: (status, message) => errorBody(message, codeFor(status)),
    rateLimitHeaders: () => ({
      "x-ratelimit-requests-limit": String(REQUEST_BUDGET),
      "x-ratelimit-requests-remaining": "0",
      "x-ratelimit-requests-reset": String(Date.now() + 60_000),
    }),
    replyHeaders: () => ({
      "x-ratelimit-requests-limit": String(REQUEST_BUDGET),
      "x-ratelimit-requests-remaining": String(Math.max(0, REQUEST_BUDGET - served)),
      "x-ratelimit-requests-reset": String(Date.now() + HOUR_MS),
    }),
    handle: (req) => {
      origin = req.origin;
      served++;
      return authorize(req, options.token) ?? execute(req, rootValue);
    },
  });
  // Linear has no custom fields: nothing for `defineField` to describe.
  const admin = createAdmin(http, store, new Map(), () => []);
  return Object.assign(admin, {
    rateLimitAsGraphqlError(count: number, resetInMs: number) {
      http.injectFaults({
        count,
        status: 400,
        body: errorBody("Rate limit exceeded", "RATELIMITED"),
        headers: {
          "x-ratelimit-requests-limit": String(REQUEST_BUDGET),
          "x-ratelimit-requests-remaining": "0",
          "x-ratelimit-requests-reset": String(Date.now() + resetInMs),
        },
      });
    },
  });
}

function codeFor(status: number) {
  if (status === 429) return "RATELIMITED" as const;
  if (status === 401) return "AUTHENTICATION_ERROR" as const;
  if (status === 403) return "FORBIDDEN" as const;
  if (status >= 500) return "INTERNAL_ERROR" as const;
  return "INVALID_INPUT" as const;
}

function authorize(req: SimRequest, token: string): SimReply | undefined {
  const value = req.headers.authorization ?? "";
  if (value === token || value === `Bearer ${token}`) return undefined;
  return {
    status: 400,
    body: errorBody("Authentication required, not authenticated", "AUTHENTICATION_ERROR"),
  };
}

function execute(req: SimRequest, rootValue: object): SimReply {
  if (req.method !== "POST" || req.path !== "/graphql") {
    return { status: 404, body: errorBody(`Cannot ${req.method} ${req.path}`, "INVALID_INPUT") };
  }
  const { query, variables, operationName } = (req.body ?? {}) as {
    query?: unknown;
    variables?: unknown;
    operationName?: unknown;
  };
  if (typeof query !== "string") {
    return { status: 400, body: errorBody("Must provide query string.", "INVALID_INPUT") };
  }
  const result = graphqlSync({
    schema: linearSimSchema(),
    source: query,
    rootValue,
    variableValues: (variables ?? {}) as Record<string, unknown>,
    ...(typeof operationName === "string" ? { operationName } : {}),
  });
  if (!result.errors?.length) return { status: 200, body: { data: result.data } };
  const errors = result.errors.map((error) => {
    const json = error.toJSON();
    // Parse and validation errors carry no extensions of ours: Linear calls them graphql errors.
    return json.extensions?.code
      ? json
      : { ...json, extensions: { code: "GRAPHQL_VALIDATION_FAILED", type: "graphql error" } };
  });
  return { status: 400, body: { errors, data: result.data ?? null } };
}
