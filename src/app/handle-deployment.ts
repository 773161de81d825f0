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
  const { data: commit } = await context.octokit.rest.repos.getCommit(
    context.repo({ ref: first.event.sha }),
  );
  const normalized = normalizeDeploymentStatus(context.payload, commit.commit.message);
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
  deps.sink.submit({ ...base, plan: planDeployment(event, loaded.config) });
}
