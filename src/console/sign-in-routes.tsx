/** The console's routes that need no session: its assets, the sign-in forms and the OAuth round trip. */
import type { Context } from "hono";
import { Hono } from "hono";
import { deleteCookie } from "hono/cookie";
import { sameSecret } from "../config/same-secret.js";
import { CONSOLE_CSS, CONSOLE_JS } from "./assets.js";
import {
  type ConsoleEnv,
  LOGIN_COOKIE,
  loginNonce,
  loginNonceMatches,
  startSession,
} from "./auth.js";
import type { ConsoleDeps } from "./deps.js";
import { authorizeUrl, signInWithCode } from "./github-oauth.js";
import { BASE } from "./views/layout.js";
import { LoginPage, MessagePage } from "./views/login.js";

export function signInRoutes(deps: ConsoleDeps): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();
  const { console: settings } = deps.config;
  const asset = (body: string, type: string) => (c: Context) =>
    c.body(body, 200, { "content-type": type, "cache-control": "public, max-age=300" });
  app.get("/assets/console.css", asset(CONSOLE_CSS, "text/css; charset=utf-8"));
  app.get("/assets/console.js", asset(CONSOLE_JS, "text/javascript; charset=utf-8"));

  const loginPage = (c: Context, error?: string, status: 200 | 401 | 403 = 200) =>
    c.html(
      <LoginPage
        github={settings.oauth !== undefined}
        token={settings.token !== undefined}
        loginCsrf={loginNonce(c, deps)}
        error={error}
      />,
      status,
    );

  app.get("/login", (c) => loginPage(c));

  app.post("/login", async (c) => {
    const form = await c.req.parseBody();
    if (!loginNonceMatches(c, stringOf(form._login))) {
      return loginPage(c, "The sign-in form expired: try again.", 403);
    }
    const token = stringOf(form.token);
    if (!settings.token || !token || !sameSecret(token, settings.token)) {
      return loginPage(c, "That is not this console's token (TRACKBRIDGE_CONSOLE_TOKEN).", 401);
    }
    await startSession(c, deps, "token", "console token");
    return c.redirect(`${BASE}/overview`, 303);
  });

  const callbackUrl = (c: Context) =>
    `${settings.publicUrl ?? new URL(c.req.url).origin}${BASE}/login/github/callback`;

  app.get("/login/github", (c) => {
    if (!settings.oauth) return c.json({ error: "GITHUB_CLIENT_ID is not configured" }, 404);
    return c.redirect(authorizeUrl(deps, callbackUrl(c), loginNonce(c, deps)), 302);
  });

  app.get("/login/github/callback", async (c) => {
    if (!settings.oauth) return c.json({ error: "GITHUB_CLIENT_ID is not configured" }, 404);
    const { code, state } = c.req.query();
    if (!code || !loginNonceMatches(c, state)) {
      return loginPage(c, "The GitHub sign-in expired or did not start here: try again.", 403);
    }
    let check: Awaited<ReturnType<typeof signInWithCode>>;
    try {
      check = await signInWithCode(deps, code, callbackUrl(c));
    } catch (error) {
      deps.log.warn({ err: String(error) }, "console: GitHub sign-in failed");
      return loginPage(c, error instanceof Error ? error.message : String(error), 401);
    }
    if (!check.ok) {
      deleteCookie(c, LOGIN_COOKIE, { path: BASE });
      return c.html(<MessagePage title="Not allowed" text={check.reason} />, 403);
    }
    await startSession(c, deps, check.login, "GitHub");
    // A page, not a redirect: the SameSite=Strict cookie is sent on the next navigation
    // only when it starts here, not at the end of GitHub's cross-site redirect chain.
    return c.html(
      <MessagePage
        title="Signed in"
        text={`Signed in as ${check.login}.`}
        refreshTo={`${BASE}/overview`}
      />,
    );
  });
  return app;
}

function stringOf(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}
