/**
 * What the console asks GitHub as the App: its installations, their repositories, and each
 * repository's config, loaded and validated exactly as the webhook handlers do.
 */
import type { Context, Probot } from "probot";
import type { GitHubAccess } from "../console/deps.js";
import { loadRepoConfig, type ServerNames } from "./load-repo-config.js";

export function consoleGitHub(probot: Probot, names: ServerNames): GitHubAccess {
  return {
    async installations() {
      const octokit = await probot.auth();
      const all = await octokit.paginate("GET /app/installations", { per_page: 100 });
      return all.map((installation) => {
        const account = installation.account as { login?: string; type?: string } | null;
        return { id: installation.id, account: account?.login ?? "?", type: account?.type ?? "" };
      });
    },

    async repositories(installationId) {
      const octokit = await probot.auth(installationId);
      const repos = await octokit.paginate("GET /installation/repositories", { per_page: 100 });
      return repos.map((repo) => repo.full_name).sort();
    },

    async repoConfig(installationId, fullName) {
      const octokit = await probot.auth(installationId);
      const [owner = "", repo = ""] = fullName.split("/");
      // Context.config's own rule: null when no file in the _extends chain has content.
      const context = {
        async config(fileName: string) {
          const { config, files } = await octokit.config.get({
            owner,
            repo,
            path: `.github/${fileName}`,
          });
          return files.some((file) => file.config !== null) ? config : null;
        },
      } as unknown as Pick<Context, "config">;
      return loadRepoConfig(context, names);
    },
  };
}
