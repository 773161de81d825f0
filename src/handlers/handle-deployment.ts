/**
 * A successful `deployment_status` writes the environment URL into each issue's field and,
 * per the environment's `deployments:` rule, moves the issues deployed: the ref's keys, the
 * head commit's, and those of the commits since the environment's last successful deployment.
 */
import type { Context } from "probot";
import { matchEnvironment } from "../core/match-environment.js";
import { planDeployment } from "../core/plan-deployment.js";
import { compareMessages, lastSuccessfulDeployment } from "../github/fetch-history.js";
import { loadRepoConfig } from "../github/load-repo-config.js";
import type { HandlerDeps } from "./handle-pull-request.js";
import { normalizeDeploymentStatus } from "./normalize-ref-event.js";
import { submitCommitEvent } from "./submit-event.js";

export async function handleDeploymentStatus(
  context: Context<"deployment_status.created">,
  deps: HandlerDeps,
): Promise<void> {
  const first = normalizeDeploymentStatus(context.payload);
  if (!first.ok) {
    context.log.debug({ delivery: context.id }, first.reason);
    return;
  }
  const loaded = await loadRepoConfig(context, deps);
  if (loaded.kind === "missing") {
    context.log.debug({ delivery: context.id }, "no .github/trackbridge.yml: nothing to do");
    return;
  }
  const message = await headCommitMessage(context, first.event.sha);
  const normalized = normalizeDeploymentStatus(context.payload, message ?? "");
  if (!normalized.ok) throw new Error(normalized.reason);
  const event = normalized.event;
  const where = context.repo();
  // Only environments the config names get the commits since their last deployment: the
  // default (bench) behaviour stays one request.
  if (loaded.kind === "valid" && matchEnvironment(loaded.config.deployments, event.environment)) {
    const since = await lastSuccessfulDeployment(
      context.octokit,
      where,
      event.environment,
      context.payload.deployment.id,
    );
    if (since !== undefined && since !== event.sha) {
      const compared = await compareMessages(context.octokit, where, since, event.sha).catch(
        (error: unknown) => {
          if ((error as { status?: number }).status === 404) return undefined;
          throw error;
        },
      );
      if (compared) {
        event.commits = compared.messages;
        if (compared.capped) event.commitsCapped = compared.capped;
      }
    }
  }
  submitCommitEvent(context, deps, loaded, event, (config) => {
    const plan = planDeployment(event, config);
    if (message === undefined) {
      plan.notes.push(
        `commit ${event.sha.slice(0, 7)} could not be read: keys were taken from the ref only`,
      );
    }
    return plan;
  });
}

/** The deployed commit's message, or undefined when GitHub has no such commit (404, 422). */
async function headCommitMessage(
  context: Context<"deployment_status.created">,
  sha: string,
): Promise<string | undefined> {
  try {
    const { data } = await context.octokit.rest.repos.getCommit(context.repo({ ref: sha }));
    return data.commit.message;
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status === 404 || status === 422) return undefined;
    throw error;
  }
}
