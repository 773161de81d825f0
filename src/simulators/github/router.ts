/**
 * A tiny route table for the GitHub simulator. Patterns are written the way GitHub's docs
 * write them (`/repos/:owner/:repo/pulls/:number`); `*name` captures the rest of the path,
 * which is how `contents/{path}` works whether Octokit sends `.github%2Fx.yml` (its URL
 * template encodes the slash) or `.github/x.yml`.
 */

import type { RepoState } from "./state.js";

export interface Reply {
  status: number;
  /** Serialized as JSON unless `text` is given. */
  body?: unknown;
  /** A raw text body (the `application/vnd.github.raw` media type). */
  text?: string;
  headers?: Record<string, string>;
}

export interface RouteContext {
  params: Record<string, string>;
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
  /** The absolute URL as requested (with any `/api/v3` prefix): `Link` headers are built from it. */
  url: URL;
  /** The API root this request used, e.g. `http://127.0.0.1:4000/api/v3`: for `url` fields in JSON. */
  apiBase: string;
}

/**
 * `app` routes need an app JWT; `repo` routes need an installation token whose
 * installation can see `:owner/:repo`, and get that repository resolved; `installation`
 * routes need an installation token; `user` routes a user's OAuth token; `public` none.
 */
export type Route =
  | { kind: "app" | "public"; method: string; segments: string[]; handle(ctx: RouteContext): Reply }
  | {
      kind: "installation";
      method: string;
      segments: string[];
      handle(ctx: RouteContext, installationId: number): Reply;
    }
  | {
      kind: "user";
      method: string;
      segments: string[];
      handle(ctx: RouteContext, login: string): Reply;
    }
  | {
      kind: "repo";
      method: string;
      segments: string[];
      handle(ctx: RouteContext, repo: RepoState): Reply;
    };

function parseSpec(spec: string): { method: string; segments: string[] } {
  const [method, pattern] = spec.split(" ");
  if (!method || !pattern) throw new Error(`Bad route spec: ${spec}`);
  return { method, segments: pattern.split("/").filter(Boolean) };
}

/** `appRoute("GET /app/installations", handler)`: JWT-authenticated. */
export function appRoute(spec: string, handle: (ctx: RouteContext) => Reply): Route {
  return { kind: "app", ...parseSpec(spec), handle };
}

/** A route anyone may call: GitHub's OAuth web flow. */
export function publicRoute(spec: string, handle: (ctx: RouteContext) => Reply): Route {
  return { kind: "public", ...parseSpec(spec), handle };
}

/** `installationRoute("GET /installation/repositories", handler)`: any installation token. */
export function installationRoute(
  spec: string,
  handle: (ctx: RouteContext, installationId: number) => Reply,
): Route {
  return { kind: "installation", ...parseSpec(spec), handle };
}

/** `userRoute("GET /user", handler)`: a user's OAuth token (`gho_…`). */
export function userRoute(
  spec: string,
  handle: (ctx: RouteContext, login: string) => Reply,
): Route {
  return { kind: "user", ...parseSpec(spec), handle };
}

/** `repoRoute("GET /repos/:owner/:repo", handler)`: installation-token-authenticated. */
export function repoRoute(
  spec: string,
  handle: (ctx: RouteContext, repo: RepoState) => Reply,
): Route {
  return { kind: "repo", ...parseSpec(spec), handle };
}

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

/** Matches raw (still percent-encoded) path segments; captured values are decoded. */
export function matchRoute(
  routes: readonly Route[],
  method: string,
  rawSegments: readonly string[],
): RouteMatch | null {
  for (const candidate of routes) {
    if (candidate.method !== method) continue;
    const params = matchSegments(candidate.segments, rawSegments);
    if (params) return { route: candidate, params };
  }
  return null;
}

function matchSegments(
  pattern: readonly string[],
  raw: readonly string[],
): Record<string, string> | null {
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const part = pattern[i]!;
    if (part.startsWith("*")) {
      const rest = raw.slice(i);
      if (rest.length === 0) return null;
      params[part.slice(1)] = safeDecode(rest.join("/"));
      return params;
    }
    const actual = raw[i];
    if (actual === undefined) return null;
    if (part.startsWith(":")) params[part.slice(1)] = safeDecode(actual);
    else if (part !== actual) return null;
  }
  return raw.length === pattern.length ? params : null;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** GitHub's error body shape. */
export function errorReply(status: number, message: string): Reply {
  return {
    status,
    body: {
      message,
      documentation_url: "https://docs.github.com/rest",
      status: String(status),
    },
  };
}

export const notFound = (): Reply => errorReply(404, "Not Found");

/** A 422 the way GitHub words validation failures. */
export function invalid(message: string): Reply {
  return errorReply(422, message);
}
