/**
 * The app's own endpoints (`/app`, installations, installation tokens) and the repository
 * endpoints that need no other state: the repository itself and its file contents.
 */
import { createHash } from "node:crypto";
import {
  appRoute,
  installationRoute,
  notFound,
  type Reply,
  type Route,
  repoRoute,
} from "./router.js";
import {
  appJson,
  DEFAULT_PERMISSIONS,
  dirEntryJson,
  fileJson,
  installationJson,
  isoSeconds,
  repoJson,
} from "./shapes.js";
import type { SimState } from "./state.js";

const TOKEN_LIFETIME_MS = 60 * 60 * 1000;

export function appRoutes(state: SimState): Route[] {
  const app = () => ({ id: state.options.appId, slug: state.options.appSlug });
  const installation = (id: number) => {
    const found = state.installations.get(id);
    return found ? installationJson(found, app()) : null;
  };

  return [
    appRoute("GET /app", (): Reply => {
      const owner = [...state.installations.values()][0]?.account ?? "octo-org";
      const body = appJson({ ...app(), owner, createdAt: state.timestamp() });
      return { status: 200, body: { ...body, installations_count: state.installations.size } };
    }),
    appRoute("GET /app/installations", (): Reply => {
      const all = [...state.installations.keys()].map(installation);
      return { status: 200, body: all };
    }),
    // A public profile: `email` is null unless the user made one of their verified addresses public.
    installationRoute("GET /users/:username", (ctx): Reply => {
      const login = ctx.params.username!;
      const email = state.publicEmails.get(login.toLowerCase()) ?? null;
      return { status: 200, body: { login, id: 5000 + login.length, type: "User", email } };
    }),
    appRoute("GET /app/installations/:id", (ctx): Reply => {
      const found = installation(Number(ctx.params.id));
      return found ? { status: 200, body: found } : notFound();
    }),
    appRoute("POST /app/installations/:id/access_tokens", (ctx): Reply => {
      const id = Number(ctx.params.id);
      if (!state.installations.has(id)) return notFound();
      const token = state.mintInstallationToken(id);
      const expiresAt = new Date(state.options.now().getTime() + TOKEN_LIFETIME_MS);
      return {
        status: 201,
        body: {
          token,
          expires_at: isoSeconds(expiresAt),
          permissions: { ...DEFAULT_PERMISSIONS },
          repository_selection: "all",
        },
      };
    }),
    // App-authenticated although it names a repository: it is how an app finds the installation.
    appRoute("GET /repos/:owner/:repo/installation", (ctx): Reply => {
      const repo = state.findRepo(ctx.params.owner!, ctx.params.repo!);
      const found = repo ? installation(repo.installationId) : null;
      return found ? { status: 200, body: found } : notFound();
    }),
    // How the GitHub Projects adapter finds the installation on the project's organization.
    appRoute("GET /orgs/:org/installation", (ctx): Reply => {
      const org = ctx.params.org!.toLowerCase();
      const id = [...state.installations.values()].find((i) => i.account.toLowerCase() === org)?.id;
      const found = id === undefined ? null : installation(id);
      return found ? { status: 200, body: found } : notFound();
    }),
  ];
}

function wantsRaw(accept: string | string[] | undefined): boolean {
  const value = Array.isArray(accept) ? accept.join(",") : (accept ?? "");
  return /application\/vnd\.github(\.v3)?\.raw/i.test(value);
}

export function repoRoutes(): Route[] {
  return [
    repoRoute("GET /repos/:owner/:repo", (ctx, repo): Reply => {
      return { status: 200, body: repoJson(repo, ctx.apiBase) };
    }),
    // One tree per repository: `ref` is accepted and ignored (config is read from the default branch).
    repoRoute("GET /repos/:owner/:repo/contents/*path", (ctx, repo): Reply => {
      const path = ctx.params.path!.replace(/^\/+|\/+$/g, "");
      const text = repo.files.get(path);
      if (text !== undefined) {
        const raw = wantsRaw(ctx.headers.accept);
        // As GitHub: an ETag per representation, and a 304 (not counted against the rate
        // limit) when If-None-Match still matches.
        const etag = `"${createHash("sha1").update(`${raw}:${text}`).digest("hex")}"`;
        if (ctx.headers["if-none-match"] === etag) return { status: 304, headers: { etag } };
        // Raw is what @probot/octokit-plugin-config asks for (mediaType.format "raw").
        if (raw) {
          return {
            status: 200,
            text,
            headers: { "content-type": "text/plain; charset=utf-8", etag },
          };
        }
        return { status: 200, body: fileJson(repo, path, text, ctx.apiBase), headers: { etag } };
      }
      const entries = listDirectory([...repo.files.keys()], path);
      if (entries.length === 0) return notFound();
      // A directory answers JSON even when raw was asked for, as GitHub does; the config
      // plugin recognizes it by this content type.
      const body = entries.map((e) => dirEntryJson(repo, e.path, e.type, ctx.apiBase));
      return { status: 200, body };
    }),
  ];
}

function listDirectory(
  files: string[],
  dir: string,
): Array<{ path: string; type: "file" | "dir" }> {
  const prefix = `${dir}/`;
  const seen = new Map<string, "file" | "dir">();
  for (const file of files) {
    if (!file.startsWith(prefix)) continue;
    const [first, ...rest] = file.slice(prefix.length).split("/");
    seen.set(`${prefix}${first}`, rest.length > 0 ? "dir" : "file");
  }
  return [...seen].map(([path, type]) => ({ path, type }));
}

export function setFile(state: SimState, owner: string, name: string, path: string, text: string) {
  state.requireRepo(owner, name).files.set(path.replace(/^\/+/, ""), text);
}
