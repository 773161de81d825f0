/**
 * GitHub's GraphQL as the App's installation on an organization: what the GitHub Projects
 * adapter needs instead of a token of its own. The installation is found once per
 * organization (`GET /orgs/{org}/installation`, as the App), and its token is minted as the App
 * (`POST /app/installations/{id}/access_tokens`) and kept until five minutes before it
 * expires (an hour), so a tracker call costs no extra request in between.
 *
 * Minted here, not through Probot's installation auth: that auth reaches GitHub's address
 * only inside a request's hook, and asked directly it goes to api.github.com whatever GHE_HOST
 * says.
 */
import type { Probot } from "probot";
import { type GitHubGraphqlAccess, graphqlEndpoint } from "../trackers/github-projects/index.js";

type AppOctokit = Awaited<ReturnType<Probot["auth"]>>;

const EARLY_MS = 5 * 60_000;

/**
 * @example
 * const github = installationGraphql(probot, config.github.apiUrl);
 * await github.token("acme"); // an installation token of the App on acme
 */
export function installationGraphql(
  probot: Pick<Probot, "auth">,
  apiUrl: string,
  now: () => number = Date.now,
): GitHubGraphqlAccess {
  let app: Promise<AppOctokit> | undefined;
  const tokens = new Map<string, Promise<{ token: string; expiresAt: number }>>();
  const appOctokit = () => {
    app ??= probot.auth();
    app.catch(() => {
      app = undefined;
    });
    return app;
  };
  const mint = async (owner: string) => {
    const octokit = await appOctokit();
    const installation = await octokit.request("GET /orgs/{org}/installation", { org: owner });
    const minted = await octokit.request(
      "POST /app/installations/{installation_id}/access_tokens",
      {
        installation_id: installation.data.id,
      },
    );
    return { token: minted.data.token, expiresAt: Date.parse(minted.data.expires_at) };
  };
  return {
    endpoint: graphqlEndpoint(apiUrl),
    async token(owner) {
      const key = owner.toLowerCase();
      const kept = tokens.get(key);
      if (kept) {
        const { token, expiresAt } = await kept.catch(() => ({ token: "", expiresAt: 0 }));
        if (token && expiresAt - EARLY_MS > now()) return token;
      }
      const minting = mint(owner);
      tokens.set(key, minting);
      // Not installed yet, or GitHub was down: ask again next time.
      minting.catch(() => tokens.delete(key));
      return (await minting).token;
    },
  };
}
