/**
 * Work started and config changes, from `create` and `push`:
 * - a branch created (`create`), or pushed for the first time (`push` with `created`), moves
 *   the issues its name carries to `statuses.started`; later pushes do not move them again;
 * - a push to the default branch that adds or changes the config file runs the sync of the
 *   open pull requests, so a team's first commit of the file brings them in line.
 */
import type { Context } from "probot";
import { DEFAULT_SYNC_DAYS } from "../core/plan-sync.js";
import { planWorkStarted } from "../core/plan-work-started.js";
import { CONFIG_PATH, loadRepoConfig } from "../github/load-repo-config.js";
import type { HandlerDeps } from "./handle-pull-request.js";
import { submitCommitEvent } from "./submit-event.js";
import { syncRepository } from "./sync-repository.js";

export async function handleCreate(context: Context<"create">, deps: HandlerDeps): Promise<void> {
  const { payload } = context;
  if (payload.ref_type !== "branch") {
    context.log.debug({ delivery: context.id }, `a ${payload.ref_type} was created, not a branch`);
    return;
  }
  // The create payload names no commit; the check run goes on the branch's head.
  const { data } = await context.octokit.rest.repos.getBranch(
    context.repo({ branch: payload.ref }),
  );
  await startWork(context, deps, payload.ref, data.commit.sha);
}

export async function handlePush(context: Context<"push">, deps: HandlerDeps): Promise<void> {
  const { payload } = context;
  const branch = payload.ref.replace(/^refs\/heads\//, "");
  if (payload.deleted || !payload.ref.startsWith("refs/heads/")) {
    context.log.debug({ delivery: context.id }, "a deleted branch or a tag: nothing to do");
    return;
  }
  if (branch === payload.repository.default_branch) {
    if (!touchesConfig(payload.commits)) {
      context.log.debug({ delivery: context.id }, "default branch push without config change");
      return;
    }
    await syncRepository(context, deps, { sinceDays: DEFAULT_SYNC_DAYS });
    return;
  }
  if (!payload.created) {
    context.log.debug({ delivery: context.id }, "a later push: work started already");
    return;
  }
  await startWork(context, deps, branch, payload.after);
}

async function startWork(
  context: Context<"create" | "push">,
  deps: HandlerDeps,
  branch: string,
  sha: string,
): Promise<void> {
  const loaded = await loadRepoConfig(context, deps);
  if (loaded.kind === "missing") {
    context.log.debug({ delivery: context.id }, "no .github/trackbridge.yml: nothing to do");
    return;
  }
  const repo = { owner: context.repo().owner, name: context.repo().repo };
  const at = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  const event = { repo, branch, sha, at };
  if (loaded.kind === "valid" && planWorkStarted(event, loaded.config).keys.length === 0) {
    context.log.debug({ delivery: context.id }, "the branch name carries no key");
    return;
  }
  submitCommitEvent(context, deps, loaded, event, (config) => planWorkStarted(event, config));
}

function touchesConfig(
  commits: ReadonlyArray<{ added?: string[]; modified?: string[] }> | undefined,
): boolean {
  return (commits ?? []).some((c) =>
    [...(c.added ?? []), ...(c.modified ?? [])].includes(CONFIG_PATH),
  );
}
