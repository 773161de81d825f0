/**
 * What the console asks GitHub as the App: its installations, their repositories, and each
 * repository's config, loaded and validated exactly as the webhook handlers do.
 */
import type { Probot } from "probot";
import type { GitHubAccess } from "../console/deps.js";
import type { RepoConfigs } from "../github/load-repo-config.js";

export function consoleGitHub(probot: Probot, configs: RepoConfigs): GitHubAccess {
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
      return configs.load(octokit, { owner, repo });
    },
  };
}
