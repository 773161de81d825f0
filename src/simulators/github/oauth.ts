/**
 * GitHub's OAuth web application flow as an App's OAuth client uses it: authorize (here it
 * approves at once as the simulator's signed-in user), the code exchange, and the two user
 * endpoints the console asks with the user's token (`GET /user`, `GET /user/memberships/orgs`).
 * Also `GET /installation/repositories`, which an installation token lists its repositories with.
 */
import { randomBytes } from "node:crypto";
import {
  errorReply,
  installationRoute,
  publicRoute,
  type Reply,
  type Route,
  userRoute,
} from "./router.js";
import { repoJson, userJson } from "./shapes.js";
import type { SimState } from "./state.js";

const secret = (prefix: string) => `${prefix}${randomBytes(18).toString("hex")}`;

export function oauthRoutes(state: SimState): Route[] {
  const { oauth } = state;
  return [
    publicRoute("GET /login/oauth/authorize", (ctx): Reply => {
      const query = ctx.url.searchParams;
      if (!oauth.client || query.get("client_id") !== oauth.client.clientId) {
        return errorReply(404, "no OAuth application with this client_id");
      }
      if (!oauth.signedIn) return errorReply(401, "nobody is signed in to the GitHub simulator");
      const code = secret("code_");
      oauth.codes.set(code, oauth.signedIn);
      const back = new URL(query.get("redirect_uri") ?? "");
      back.searchParams.set("code", code);
      back.searchParams.set("state", query.get("state") ?? "");
      return { status: 302, headers: { location: back.toString() } };
    }),

    // GitHub answers 200 with an `error` field when the code or the client is wrong.
    publicRoute("POST /login/oauth/access_token", (ctx): Reply => {
      const body = formOrJson(ctx.body);
      if (
        !oauth.client ||
        body.client_id !== oauth.client.clientId ||
        body.client_secret !== oauth.client.clientSecret
      ) {
        return { status: 200, body: { error: "incorrect_client_credentials" } };
      }
      const login = oauth.codes.get(body.code ?? "");
      if (!login) {
        return {
          status: 200,
          body: {
            error: "bad_verification_code",
            error_description: "The code passed is incorrect or expired.",
          },
        };
      }
      oauth.codes.delete(body.code!);
      const token = secret("gho_");
      oauth.userTokens.set(token, login);
      return { status: 200, body: { access_token: token, token_type: "bearer", scope: "" } };
    }),

    userRoute(
      "GET /user",
      (_ctx, login): Reply => ({ status: 200, body: userJson(login, "User") }),
    ),

    userRoute("GET /user/memberships/orgs", (_ctx, login): Reply => {
      const orgs = oauth.users.get(login.toLowerCase()) ?? new Map();
      const body = [...orgs].map(([org, role]) => ({
        state: "active",
        role,
        organization: { login: org },
        user: { login },
      }));
      return { status: 200, body };
    }),

    installationRoute("GET /installation/repositories", (ctx, installationId): Reply => {
      const repos = [...state.repos.values()]
        .filter((repo) => repo.installationId === installationId)
        .map((repo) => repoJson(repo, ctx.apiBase));
      return { status: 200, body: { total_count: repos.length, repositories: repos } };
    }),
  ];
}

function formOrJson(body: unknown): Record<string, string | undefined> {
  if (typeof body === "string") return Object.fromEntries(new URLSearchParams(body));
  return (body ?? {}) as Record<string, string | undefined>;
}
