/**
 * "Sign in with GitHub" through the App's own OAuth client (the web application flow):
 * the code is exchanged for a user token, which is used once to learn who signed in and
 * which organizations they own, then forgotten. Allowed: TRACKBRIDGE_CONSOLE_ADMINS, and
 * the owners of the organizations the App is installed on.
 */
import type { ConsoleDeps } from "./deps.js";

export function authorizeUrl(deps: ConsoleDeps, redirectUri: string, state: string): string {
  const oauth = deps.config.console.oauth!;
  const url = new URL(`${deps.config.github.webUrl}/login/oauth/authorize`);
  url.searchParams.set("client_id", oauth.clientId);
  url.searchParams.set("redirect_uri", redirectUri);
  url.searchParams.set("state", state);
  url.searchParams.set("allow_signup", "false");
  return url.toString();
}

export type SignInCheck = { ok: true; login: string } | { ok: false; reason: string };

export async function signInWithCode(
  deps: ConsoleDeps,
  code: string,
  redirectUri: string,
): Promise<SignInCheck> {
  const token = await exchangeCode(deps, code, redirectUri);
  const user = await api<{ login: string }>(deps, token, "/user");
  const login = user.login;
  if (deps.config.console.admins.includes(login.toLowerCase())) return { ok: true, login };

  const installations = await deps.github.installations();
  const memberships = await api<
    Array<{ role: string; state: string; organization: { login: string } }>
  >(deps, token, "/user/memberships/orgs?state=active&per_page=100");
  const owned = memberships
    .filter((m) => m.role === "admin" && m.state === "active")
    .map((m) => m.organization.login);
  if (installations.some((i) => owned.some((org) => sameLogin(org, i.account)))) {
    return { ok: true, login };
  }
  return {
    ok: false,
    reason: `${login} may not use this console: only owners of the organizations the App is installed on (${installations.map((i) => i.account).join(", ") || "none"}) and the logins in TRACKBRIDGE_CONSOLE_ADMINS may.`,
  };
}

async function exchangeCode(deps: ConsoleDeps, code: string, redirectUri: string) {
  const oauth = deps.config.console.oauth!;
  const response = await (deps.fetch ?? fetch)(
    `${deps.config.github.webUrl}/login/oauth/access_token`,
    {
      method: "POST",
      headers: { accept: "application/json", "content-type": "application/json" },
      body: JSON.stringify({
        client_id: oauth.clientId,
        client_secret: oauth.clientSecret,
        code,
        redirect_uri: redirectUri,
      }),
      signal: AbortSignal.timeout(10_000),
    },
  );
  const body = (await response.json().catch(() => ({}))) as {
    access_token?: string;
    error?: string;
    error_description?: string;
  };
  // GitHub answers 200 with `error` for a bad or expired code.
  if (!response.ok || !body.access_token) {
    throw new Error(
      `GitHub did not accept the sign-in (${body.error_description ?? body.error ?? response.status}): try again`,
    );
  }
  return body.access_token;
}

async function api<T>(deps: ConsoleDeps, token: string, path: string): Promise<T> {
  const response = await (deps.fetch ?? fetch)(`${deps.config.github.apiUrl}${path}`, {
    headers: {
      accept: "application/vnd.github+json",
      authorization: `Bearer ${token}`,
      "x-github-api-version": "2022-11-28",
    },
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok)
    throw new Error(`GitHub answered ${response.status} to GET ${path.split("?")[0]}`);
  return (await response.json()) as T;
}

const sameLogin = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
