/**
 * What was shipped: the commits between two refs (GitHub's compare), the last successful
 * deployment to an environment, the release before this one. Capped like the PR's text
 * sources: compare lists at most 250 commits, and the plan's notes say when more existed.
 */
import type { ProbotOctokit } from "probot";

export const MAX_HISTORY_COMMITS = 250;
/** Older deployments looked at when searching for the environment's last success. */
const DEPLOYMENTS_SEARCHED = 20;

interface RepoLocation {
  owner: string;
  repo: string;
}

export interface CommitMessages {
  messages: string[];
  capped?: { read: number; total: number | null };
}

/** Messages of the commits after `base` up to `head` (one request). */
export async function compareMessages(
  octokit: ProbotOctokit,
  where: RepoLocation,
  base: string,
  head: string,
): Promise<CommitMessages> {
  const { data } = await octokit.rest.repos.compareCommitsWithBasehead({
    ...where,
    basehead: `${base}...${head}`,
  });
  const messages = data.commits.slice(0, MAX_HISTORY_COMMITS).map((c) => c.commit.message);
  return data.total_commits > messages.length
    ? { messages, capped: { read: messages.length, total: data.total_commits } }
    : { messages };
}

/** Messages of the commits reachable from `head`, newest first, up to the cap. */
export async function headMessages(
  octokit: ProbotOctokit,
  where: RepoLocation,
  head: string,
): Promise<CommitMessages> {
  const { data } = await octokit.rest.repos.listCommits({ ...where, sha: head, per_page: 100 });
  // One page: a first release of a long-lived repository would otherwise read its whole history.
  const messages = data.map((c) => c.commit.message);
  return messages.length === 100 ? { messages, capped: { read: 100, total: null } } : { messages };
}

/** The sha of the newest successful deployment to `environment` other than `exceptId`. */
export async function lastSuccessfulDeployment(
  octokit: ProbotOctokit,
  where: RepoLocation,
  environment: string,
  exceptId: number,
): Promise<string | undefined> {
  const { data: deployments } = await octokit.rest.repos.listDeployments({
    ...where,
    environment,
    per_page: DEPLOYMENTS_SEARCHED,
  });
  for (const deployment of deployments) {
    if (deployment.id === exceptId) continue;
    const { data: statuses } = await octokit.rest.repos.listDeploymentStatuses({
      ...where,
      deployment_id: deployment.id,
      per_page: 10,
    });
    if (statuses.some((s) => s.state === "success")) return deployment.sha;
  }
  return undefined;
}

/** The tag of the newest published release before `tag` (prereleases only when they count). */
export async function previousReleaseTag(
  octokit: ProbotOctokit,
  where: RepoLocation,
  tag: string,
  withPrereleases: boolean,
): Promise<string | undefined> {
  const { data } = await octokit.rest.repos.listReleases({ ...where, per_page: 30 });
  const index = data.findIndex((r) => r.tag_name === tag);
  const older = index === -1 ? data : data.slice(index + 1);
  return older.find((r) => !r.draft && (withPrereleases || !r.prerelease))?.tag_name;
}
