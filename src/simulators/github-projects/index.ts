/**
 * GitHub's GraphQL API for Projects v2, standalone: the shared tracker-simulator shell (request
 * log, injected 429/5xx/dropped sockets, latency) around `answerGraphql`, at `/graphql` and at
 * GitHub Enterprise Server's `/api/graphql`. One token is accepted, as the installation's; it
 * sees every repository and the project's organization. The App's GitHub simulator serves the
 * same GraphQL on its own base URL, with its installations' access rules (`github.projects`).
 */
import { type HttpSimulator, startHttpSimulator } from "../shared/http-server.js";
import { createProjectsAdmin, type ProjectsAdmin } from "./admin.js";
import { answerGraphql } from "./graphql.js";
import { ProjectsState } from "./state.js";

export type { CreateProjectIssueOptions, ProjectIssueSnapshot, ProjectsAdmin } from "./admin.js";
export { answerGraphql, type GraphqlViewer } from "./graphql.js";
export { DEFAULT_STATUS_OPTIONS, ProjectsState } from "./state.js";

export interface GitHubProjectsSimulatorOptions {
  /** The installation token the simulator accepts. */
  token: string;
  /** The project's organization and number; "acme" and 1 by default. */
  owner?: string;
  number?: number;
  /** The login comments are written as; "trackbridge[bot]" by default. */
  login?: string;
  port?: number;
}

/** `url` is the base: the GraphQL endpoint is `${url}/graphql`. */
export interface GitHubProjectsSimulator extends ProjectsAdmin, HttpSimulator {
  /** Back to the start: the default project only, no issues, no faults, no latency. */
  reset(): void;
}

const PATHS = new Set(["/graphql", "/api/graphql"]);

export async function startGitHubProjectsSimulator(
  options: GitHubProjectsSimulatorOptions,
): Promise<GitHubProjectsSimulator> {
  const owner = options.owner ?? "acme";
  const state = new ProjectsState({ owner, number: options.number ?? 1 });
  const viewer = {
    login: options.login ?? "trackbridge[bot]",
    seesRepo: () => true,
    seesOrg: () => true,
  };
  const http = await startHttpSimulator({
    port: options.port,
    errorBody: (_status, message) => ({
      message,
      documentation_url: "https://docs.github.com/graphql",
    }),
    rateLimitHeaders: () => ({ "x-ratelimit-remaining": "0", "x-ratelimit-resource": "graphql" }),
    handle(req) {
      if (!PATHS.has(req.path) || req.method !== "POST") {
        return { status: 404, body: { message: "Not Found" } };
      }
      const credential = /^(?:bearer|token)\s+(.+)$/i.exec(req.headers.authorization ?? "")?.[1];
      if (credential !== options.token) {
        return {
          status: 401,
          body: {
            message: "Bad credentials",
            documentation_url: "https://docs.github.com/graphql",
          },
        };
      }
      return answerGraphql(state, viewer, req.body);
    },
  });
  const admin = createProjectsAdmin(state);
  return {
    ...admin,
    url: http.url,
    get requests() {
      return http.requests;
    },
    get peakInFlight() {
      return http.peakInFlight;
    },
    resetRequests: () => http.resetRequests(),
    injectFaults: (spec) => http.injectFaults(spec),
    clearFaults: () => http.clearFaults(),
    setLatency: (ms) => http.setLatency(ms),
    reset: () => {
      admin.reset();
      http.clearFaults();
      http.setLatency(0);
      http.resetRequests();
    },
    close: () => http.close(),
  };
}
