/**
 * A GitHub API simulator over real HTTP on loopback, covering what the trackbridge App
 * calls through Probot's Octokit: app and installation auth, repository contents (for
 * `context.config`), pull requests with commits and comments, check runs and the webhook
 * delivery log. Point Probot at `url` with its `baseUrl` option; `/api/v3` (what
 * GHE_HOST + GHE_PROTOCOL=http produce) is accepted as a prefix too.
 *
 * Every request is logged with its credential redacted; a route nobody implemented
 * answers GitHub's 404 and is marked `unhandled`, so a test can tell "GitHub said no"
 * from "the simulator has no such endpoint".
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createProjectsAdmin, type ProjectsAdmin } from "../github-projects/admin.js";
import { ProjectsState } from "../github-projects/state.js";
import { createAdmin, type GitHubSimulatorAdmin } from "./admin.js";
import {
  checkAppJwt,
  loadPublicKey,
  looksLikeJwt,
  parseAuthorization,
  type RedactedAuth,
  redactAuth,
} from "./app-auth.js";
import { checkRunRoutes } from "./check-runs.js";
import { checkRequest } from "./contract.js";
import { Deliveries } from "./deliveries.js";
import { graphqlRoutes } from "./graphql.js";
import { historyRoutes } from "./history.js";
import { oauthRoutes } from "./oauth.js";
import { pullRoutes } from "./pulls.js";
import { appRoutes, repoRoutes } from "./repos.js";
import {
  errorReply,
  matchRoute,
  notFound,
  type Reply,
  type Route,
  type RouteContext,
} from "./router.js";
import { type RepoState, SimState } from "./state.js";

export interface GitHubSimulatorOptions {
  appId: number;
  /** PEM public key of the app: JWTs are then signature-checked. Without it any well-formed JWT for `appId` passes. */
  publicKey?: string;
  /** 0 (a free port) by default. */
  port?: number;
  /** The app's slug: comments it posts are by `<slug>[bot]`. Default "trackbridge". */
  appSlug?: string;
  /** The simulator's clock, for timestamps and token expiry. */
  now?: () => Date;
  /** The organization project `POST /graphql` serves (GitHub Projects v2); acme's #1 by default. */
  project?: { owner: string; number: number };
}

export interface RequestLogEntry {
  method: string;
  /** Decoded path without the `/api/v3` prefix, e.g. `/repos/o/r/contents/.github/trackbridge.yml`. */
  path: string;
  query: Record<string, string>;
  body: unknown;
  auth: RedactedAuth | null;
  status: number;
  /** True when no simulator route matched: an endpoint the code calls that nobody implemented. */
  unhandled: boolean;
  /** When the request's body had arrived (epoch ms): the bench times check-run writes by it. */
  at: number;
}

export interface GitHubSimulator extends GitHubSimulatorAdmin {
  /** `http://127.0.0.1:<port>`: Probot's / Octokit's `baseUrl`. */
  url: string;
  requests: RequestLogEntry[];
  resetRequests(): void;
  /** Sets what `x-ratelimit-remaining` says for an installation until the hour resets. */
  setRateLimitRemaining(installationId: number, remaining: number): void;
  /** Requests no route matched. */
  unhandledRequests(): RequestLogEntry[];
  /** Waits for redeliveries in flight, then stops the server. */
  close(): Promise<void>;
  /** The organization projects and issues `POST /graphql` serves. */
  projects: ProjectsAdmin;
}

const API_PREFIX = "/api/v3";
const GHES_GRAPHQL = "/api/graphql";

export async function startGitHubSimulator(
  options: GitHubSimulatorOptions,
): Promise<GitHubSimulator> {
  const state = new SimState({
    appId: options.appId,
    appSlug: options.appSlug ?? "trackbridge",
    now: options.now ?? (() => new Date()),
  });
  const publicKey = loadPublicKey(options.publicKey);
  const deliveries = new Deliveries(state);
  const projects = new ProjectsState(options.project ?? { owner: "acme", number: 1 });
  const routes: Route[] = [
    ...appRoutes(state),
    ...deliveries.routes(),
    ...repoRoutes(),
    // The app's own edits come back to it as webhooks, as GitHub sends them.
    ...pullRoutes(state, { send: (event, payload) => void deliveries.deliver({ event, payload }) }),
    ...checkRunRoutes(state),
    ...historyRoutes(state),
    ...oauthRoutes(state),
    ...graphqlRoutes(state, projects),
  ];
  const requests: RequestLogEntry[] = [];

  const authorize = (
    route: Route,
    req: IncomingMessage,
    params: Record<string, string>,
  ): Access => {
    if (route.kind === "public") return { repo: null };
    const auth = parseAuthorization(req.headers.authorization);
    if (!auth) return { error: errorReply(401, "Requires authentication") };
    if (route.kind === "user") {
      const login = state.oauth.userTokens.get(auth.credential);
      return login ? { login } : { error: errorReply(401, "Bad credentials") };
    }
    if (route.kind === "app") {
      if (auth.scheme !== "bearer" || !looksLikeJwt(auth.credential)) {
        return { error: errorReply(401, "A JSON web token could not be decoded") };
      }
      const nowSeconds = Math.floor(state.options.now().getTime() / 1000);
      const check = checkAppJwt(auth.credential, { appId: options.appId, publicKey, nowSeconds });
      return check.ok ? { repo: null } : { error: errorReply(401, check.message) };
    }
    const installationId =
      auth.scheme === "token" || auth.scheme === "bearer"
        ? state.tokens.get(auth.credential)
        : undefined;
    if (installationId === undefined) return { error: errorReply(401, "Bad credentials") };
    if (route.kind === "installation") return { installationId };
    const repo = state.findRepo(params.owner ?? "", params.repo ?? "");
    // A repository outside the token's installation is invisible, as on GitHub.
    if (!repo || repo.installationId !== installationId) return { error: notFound() };
    return { repo };
  };

  const installationOf = (req: IncomingMessage): number | undefined => {
    const auth = parseAuthorization(req.headers.authorization);
    return auth ? state.tokens.get(auth.credential) : undefined;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "127.0.0.1"}`);
    const prefixed = url.pathname === API_PREFIX || url.pathname.startsWith(`${API_PREFIX}/`);
    // GitHub Enterprise Server answers GraphQL at /api/graphql, beside /api/v3.
    const graphql = url.pathname === GHES_GRAPHQL;
    const rawPath = graphql
      ? "/graphql"
      : (prefixed ? url.pathname.slice(API_PREFIX.length) : url.pathname) || "/";
    const body = parseBody(await readBody(req));
    const method = (req.method ?? "GET").toUpperCase();
    const entry: RequestLogEntry = {
      method,
      path: safeDecode(rawPath),
      query: Object.fromEntries(url.searchParams),
      body,
      auth: redactAuth(parseAuthorization(req.headers.authorization)),
      status: 0,
      unhandled: false,
      at: Date.now(),
    };
    requests.push(entry);
    // GraphQL documents are held to GitHub's GraphQL schema where they are answered.
    if (rawPath !== "/graphql") checkRequest(method, rawPath, body);

    let reply: Reply;
    const match = matchRoute(routes, method, rawPath.split("/").filter(Boolean));
    const fault = state.takeFault(method, entry.path);
    if (fault) {
      reply = errorReply(fault.status, `Injected failure (${fault.status})`);
    } else if (!match) {
      entry.unhandled = true;
      reply = notFound();
    } else {
      const ctx: RouteContext = {
        params: match.params,
        body,
        headers: req.headers,
        url,
        apiBase: `${url.origin}${prefixed ? API_PREFIX : ""}`,
      };
      reply = dispatch(match.route, ctx, authorize(match.route, req, match.params));
    }
    entry.status = reply.status;
    const installationId = installationOf(req);
    if (installationId !== undefined) {
      reply = {
        ...reply,
        headers: { ...state.countRequest(installationId, reply.status), ...reply.headers },
      };
    }
    send(res, reply);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A simulator bug must surface in the test, not hang it.
      send(res, errorReply(500, `GitHub simulator error: ${String(error)}`));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    requests,
    resetRequests: () => {
      requests.length = 0;
    },
    unhandledRequests: () => requests.filter((entry) => entry.unhandled),
    projects: createProjectsAdmin(projects),
    ...createAdmin(state, deliveries, url),
    setRateLimitRemaining: (installationId, remaining) => {
      state.countRequest(installationId, 304);
      state.rateLimits.get(installationId)!.remaining = remaining;
    },
    close: async () => {
      await deliveries.whenIdle();
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}

/** The outcome of the auth check: GitHub's refusal, or the repository a `repo` route may use. */
type Access =
  | { error: Reply }
  | { repo: RepoState | null }
  | { login: string }
  | { installationId: number };

function dispatch(route: Route, ctx: RouteContext, access: Access): Reply {
  if ("error" in access) return access.error;
  switch (route.kind) {
    case "app":
    case "public":
      return route.handle(ctx);
    case "user":
      return "login" in access ? route.handle(ctx, access.login) : notFound();
    case "installation":
      return "installationId" in access ? route.handle(ctx, access.installationId) : notFound();
    case "repo":
      return "repo" in access && access.repo ? route.handle(ctx, access.repo) : notFound();
  }
}

function send(res: ServerResponse, reply: Reply): void {
  if (res.headersSent) return;
  const headers: Record<string, string> = { "x-github-media-type": "github.v3; format=json" };
  let payload: string | undefined;
  if (reply.text !== undefined) {
    payload = reply.text;
  } else if (reply.body !== undefined) {
    headers["content-type"] = "application/json; charset=utf-8";
    payload = JSON.stringify(reply.body);
  }
  res.writeHead(reply.status, { ...headers, ...reply.headers });
  res.end(payload);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function parseBody(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
