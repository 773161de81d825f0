/**
 * What a tracker change needs from GitHub, through Probot's Octokit: a PR's head and state
 * (with the installation that can write its checks), and the repository's config.
 */
import type { Probot } from "probot";
import type { GitHubReader } from "../handlers/plan-issue-change.js";
import type { LoadedConfig, RepoConfigs } from "./load-repo-config.js";

export function createGitHubReader(probot: Probot, configs: RepoConfigs): GitHubReader {
  const split = (repo: string) => {
    const [owner, name] = repo.split("/") as [string, string];
    return { owner, repo: name };
  };
  return {
    async pullRequest(repo, prNumber) {
      const where = split(repo);
      const app = await probot.auth();
      let installationId: number;
      try {
        installationId = (await app.rest.apps.getRepoInstallation(where)).data.id;
      } catch (error) {
        if ((error as { status?: number }).status === 404) return null;
        throw error;
      }
      const octokit = await probot.auth(installationId);
      const { data } = await octokit.rest.pulls.get({ ...where, pull_number: prNumber });
      return { installationId, headSha: data.head.sha, open: data.state === "open" };
    },

    async loadConfig(repo, installationId): Promise<LoadedConfig> {
      return configs.load(await probot.auth(installationId), split(repo));
    },
  };
}
