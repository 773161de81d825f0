/**
 * Who may use the console, and the session that remembers them. Sessions live in the store
 * (replicas share them; a sign-out ends one everywhere) under the SHA-256 of the cookie's
 * value. The cookie is HttpOnly and SameSite=Strict, Secure behind https. A session carries
 * a CSRF token that every state-changing request must echo (form field `_csrf` or header
 * `x-csrf-token`). `Authorization: Bearer <TRACKBRIDGE_CONSOLE_TOKEN>` is for scripts: the
 * browser never sends it by itself, so it needs no CSRF token.
 */
import { createHash, randomBytes } from "node:crypto";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import { sameSecret } from "../config/same-secret.js";
import { audit } from "./data.js";
import type { ConsoleDeps } from "./deps.js";
import { createSession, deleteSession, findSession } from "./queries.js";
import { BASE, type Viewer } from "./views/layout.js";

export type ConsoleEnv = { Variables: { viewer: Viewer } };

export const SESSION_COOKIE = "tb_session";
/** Double-submit token of the sign-in forms and the OAuth `state`. */
export const LOGIN_COOKIE = "tb_login";
const SESSION_MS = 12 * 60 * 60_000;

export const randomToken = () => randomBytes(32).toString("base64url");
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

export function isSecure(c: Context, publicUrl: string | undefined): boolean {
  if (publicUrl) return publicUrl.startsWith("https:");
  return c.req.header("x-forwarded-proto") === "https" || c.req.url.startsWith("https:");
}

export async function startSession(c: Context, deps: ConsoleDeps, login: string, how: string) {
  const now = (deps.clock ?? Date.now)();
  const id = randomToken();
  await createSession(deps.store, {
    idHash: sha256(id),
    login,
    csrf: randomToken(),
    now,
    expiresAt: now + SESSION_MS,
  });
  setCookie(c, SESSION_COOKIE, id, {
    path: BASE,
    httpOnly: true,
    sameSite: "Strict",
    secure: isSecure(c, deps.config.console.publicUrl),
    maxAge: SESSION_MS / 1000,
  });
  deleteCookie(c, LOGIN_COOKIE, { path: BASE });
  await audit(deps, login, "sign-in", "console", how);
}

export async function endSession(c: Context<ConsoleEnv>, deps: ConsoleDeps) {
  const id = getCookie(c, SESSION_COOKIE);
  if (id) await deleteSession(deps.store, sha256(id), (deps.clock ?? Date.now)());
  deleteCookie(c, SESSION_COOKIE, { path: BASE });
  await audit(deps, c.var.viewer.login, "sign-out", "console");
}

/** A fresh double-submit value for a sign-in form or an OAuth round trip, set as a cookie. */
export function loginNonce(c: Context, deps: ConsoleDeps): string {
  const nonce = randomToken();
  // Lax, not Strict: GitHub's redirect back to the callback is a cross-site navigation.
  setCookie(c, LOGIN_COOKIE, nonce, {
    path: BASE,
    httpOnly: true,
    sameSite: "Lax",
    secure: isSecure(c, deps.config.console.publicUrl),
    maxAge: 600,
  });
  return nonce;
}

export function loginNonceMatches(c: Context, given: string | undefined): boolean {
  const expected = getCookie(c, LOGIN_COOKIE);
  return Boolean(expected && given && sameSecret(given, expected));
}

const isApi = (path: string) => path.startsWith(`${BASE}/api/`);
const SAFE_METHODS = new Set(["GET", "HEAD"]);

/** Lets a request through only with a session (and its CSRF token on writes) or the Bearer token. */
export function requireViewer(deps: ConsoleDeps) {
  return createMiddleware<ConsoleEnv>(async (c, next) => {
    const refuse = (why: string) =>
      isApi(c.req.path) ? c.json({ error: why }, 401) : c.redirect(`${BASE}/login`, 303);

    const authorization = c.req.header("authorization");
    if (authorization !== undefined) {
      const token = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
      const expected = deps.config.console.token;
      if (!token || !expected || !sameSecret(token, expected)) {
        return c.json({ error: "the Bearer token is not this console's token" }, 401);
      }
      c.set("viewer", { login: "token", csrf: "" });
      return next();
    }

    const id = getCookie(c, SESSION_COOKIE);
    const session = id
      ? await findSession(deps.store, sha256(id), (deps.clock ?? Date.now)())
      : null;
    if (!session) return refuse("sign in first: a console session or a Bearer token is required");
    if (!SAFE_METHODS.has(c.req.method)) {
      const form = c.req.header("content-type")?.includes("form")
        ? await c.req.parseBody({ all: true })
        : {};
      const given = c.req.header("x-csrf-token") ?? form._csrf;
      if (typeof given !== "string" || !sameSecret(given, session.csrf)) {
        return c.json({ error: "missing or wrong CSRF token: reload the page and try again" }, 403);
      }
    }
    c.set("viewer", { login: session.login, csrf: session.csrf });
    return next();
  });
}
