/**
 * The submission for events that are about a commit rather than a pull request (work
 * started, a deployment, a release): reported as a check run on that commit, with the same
 * config-error handling as pull-request events.
 */
import type { Context } from "probot";
import type { Plan } from "../core/types.js";
import type { PlanSubmission } from "../delivery/types.js";
import type { LoadedConfig } from "../github/load-repo-config.js";
import type { HandlerDeps } from "./handle-pull-request.js";

export interface CommitEventInput {
  repo: { owner: string; name: string };
  sha: string;
  at: string;
}

export function commitSubmission(
  context: Pick<Context, "id" | "payload">,
  loaded: Exclude<LoadedConfig, { kind: "missing" }>,
  event: CommitEventInput,
): Omit<PlanSubmission, "plan"> {
  const repo = `${event.repo.owner}/${event.repo.name}`;
  const notify = loaded.kind === "valid" ? loaded.config.notify : [];
  return {
    deliveryId: context.id,
    connection: loaded.connection ?? "",
    repo,
    prNumber: null,
    prState: "open",
    eventAt: event.at,
    waitForAllPrs: false,
    ...(notify.length > 0 ? { notify } : {}),
    report: {
      installationId: (context.payload as { installation?: { id: number } }).installation?.id ?? 0,
      repo,
      headSha: event.sha,
      prNumber: null,
      requireKey: false,
    },
  };
}

/** Submits the plan, or the config error in its place. */
export function submitCommitEvent(
  context: Pick<Context, "id" | "payload">,
  deps: HandlerDeps,
  loaded: Exclude<LoadedConfig, { kind: "missing" }>,
  event: CommitEventInput,
  plan: (config: Extract<LoadedConfig, { kind: "valid" }>["config"]) => Plan,
): void {
  const base = commitSubmission(context, loaded, event);
  if (loaded.kind === "invalid") {
    deps.sink.submit({
      ...base,
      plan: { keys: [], actions: [], skipped: [], notes: [] },
      configError: loaded.error,
    });
    return;
  }
  deps.sink.submit({ ...base, plan: plan(loaded.config) });
}
