/**
 * `release.published`: the issues whose keys are in the commits since the previous release's
 * tag get the release as a fix version and move to `statuses.released`. Prereleases count
 * only when the config says so.
 */
import type { Context } from "probot";
import { planRelease } from "../core/plan-release.js";
import { compareMessages, headMessages, previousReleaseTag } from "../github/fetch-history.js";
import { loadRepoConfig } from "../github/load-repo-config.js";
import type { HandlerDeps } from "./handle-pull-request.js";
import { submitCommitEvent } from "./submit-event.js";

export async function handleRelease(
  context: Context<"release.published">,
  deps: HandlerDeps,
): Promise<void> {
  const { release } = context.payload;
  const loaded = await loadRepoConfig(context, deps);
  if (loaded.kind === "missing") {
    context.log.debug({ delivery: context.id }, "no .github/trackbridge.yml: nothing to do");
    return;
  }
  const withPrereleases = loaded.kind === "valid" && loaded.config.release.prereleases;
  if (release.prerelease && !withPrereleases) {
    context.log.debug({ delivery: context.id }, `${release.tag_name} is a prerelease: skipped`);
    return;
  }
  const where = context.repo();
  const previous = await previousReleaseTag(
    context.octokit,
    where,
    release.tag_name,
    withPrereleases,
  );
  const history =
    previous === undefined
      ? await headMessages(context.octokit, where, release.tag_name)
      : await compareMessages(context.octokit, where, previous, release.tag_name);
  const { data: tagged } = await context.octokit.rest.repos.getCommit({
    ...where,
    ref: release.tag_name,
  });
  const event = {
    repo: { owner: where.owner, name: where.repo },
    tag: release.tag_name,
    sha: tagged.sha,
    prerelease: release.prerelease,
    at: release.published_at ?? release.created_at ?? new Date().toISOString(),
    commits: history.messages,
    ...(history.capped ? { commitsCapped: history.capped } : {}),
  };
  submitCommitEvent(context, deps, loaded, event, (config) => planRelease(event, config));
}
