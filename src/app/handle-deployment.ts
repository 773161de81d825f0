/**
 * A successful `deployment_status` writes the environment URL into each issue's bench
 * field: the same core planner and tracker adapters as the Action, with no workflow step.
 */
import type { Context } from "probot";
import { planDeployment } from "../core/plan-deployment.js";
import { emptyPlan, type HandlerDeps } from "./handle-pull-request.js";
import { loadRepoConfig } from "./load-repo-config.js";
import { normalizeDeploymentStatus } from "./normalize-event.js";

export async function handleDeploymentStatus(
  context: Context<"deployment_status.created">,
  deps: HandlerDeps,
): Promise<void> {
  const first = normalizeDeploymentStatus(context.payload);
  if (!first.ok) {
    context.log.debug({ delivery: context.id }, first.reason);
    return;
  }
  const loaded = await loadRepoConfig(context, deps.connections);
  if (loaded.kind === "missing") {
    context.log.debug({ delivery: context.id }, "no .github/trackbridge.yml: nothing to do");
    return;
  }
  const message = await headCommitMessage(context, first.event.sha);
  const normalized = normalizeDeploymentStatus(context.payload, message ?? "");
  if (!normalized.ok) throw new Error(normalized.reason);
  const event = normalized.event;
  const repo = `${event.repo.owner}/${event.repo.name}`;
  const base = {
    deliveryId: context.id,
    connection: loaded.kind === "valid" ? loaded.connection : (loaded.connection ?? ""),
    repo,
    prNumber: null,
    prState: "open" as const,
    eventAt: event.at,
    waitForAllPrs: false,
    report: {
      installationId: context.payload.installation?.id ?? 0,
      repo,
      headSha: event.sha,
      prNumber: null,
      requireKey: false,
    },
  };
  if (loaded.kind === "invalid") {
    deps.sink.submit({ ...base, plan: emptyPlan(), configError: loaded.error });
    return;
  }
  const plan = planDeployment(event, loaded.config);
  if (message === undefined) {
    plan.notes.push(
      `commit ${event.sha.slice(0, 7)} could not be read: keys were taken from the ref only`,
    );
  }
  deps.sink.submit({ ...base, plan });
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
