/**
 * The sync of pull requests that were already open when the App arrived: each open PR (and
 * each merged in the last `sinceDays`) is planned from its state now — draft, opened, approved
 * or changes requested from its latest reviews, merged — by the core sync planner, and goes
 * through the outbox like any event, reported on the PR's check run. Runs on a push that adds
 * or changes the config on the default branch, and on `trackbridge sync` (a
 * `repository_dispatch` of type `trackbridge.sync`).
 */
import type { Context } from "probot";
import { DEFAULT_SYNC_DAYS, planSync, syncTrigger } from "../core/plan-sync.js";
import type { RepoConfig } from "../core/repo-config.js";
import { loadRepoConfig } from "../github/load-repo-config.js";
import { readPrText } from "../github/pr-text.js";
import type { HandlerDeps } from "./handle-pull-request.js";
import { normalizePullRequestSnapshot } from "./normalize-event.js";
import { submitCommitEvent } from "./submit-event.js";

export const SYNC_EVENT_TYPE = "trackbridge.sync";
const DAY_MS = 86_400_000;

type SyncContext = Context<"push" | "repository_dispatch">;

export async function syncRepository(
  context: SyncContext,
  deps: HandlerDeps,
  options: { sinceDays: number },
): Promise<void> {
  const loaded = await loadRepoConfig(context, deps);
  // A push has a commit to show an error on; an operator's dispatch (CLI, console) shows it there.
  const after = (context.payload as { after?: string }).after;
  if (loaded.kind === "missing") {
    if (after === undefined) {
      throw new Error("the default branch has no .github/trackbridge.yml: nothing to sync");
    }
    context.log.debug({ delivery: context.id }, "no .github/trackbridge.yml: nothing to sync");
    return;
  }
  if (loaded.kind === "invalid") {
    if (after === undefined) throw new Error(loaded.error);
    const repo = { owner: context.repo().owner, name: context.repo().repo };
    submitCommitEvent(context, deps, loaded, { repo, sha: after, at: nowSeconds() }, () => {
      throw new Error("unreachable: the config is invalid");
    });
    return;
  }
  const since = Date.now() - options.sinceDays * DAY_MS;
  for (const pr of await pullRequestsToSync(context, since)) {
    await syncPullRequest(context, deps, loaded.config, loaded.connection, pr);
  }
}

type ListedPull = Awaited<
  ReturnType<SyncContext["octokit"]["rest"]["pulls"]["list"]>
>["data"][number];

/** Every open PR, and the PRs merged since `since` (closed ones, newest update first). */
async function pullRequestsToSync(context: SyncContext, since: number): Promise<ListedPull[]> {
  const { octokit } = context;
  const open = await octokit.paginate(octokit.rest.pulls.list, {
    ...context.repo(),
    state: "open",
    per_page: 100,
  });
  const merged: ListedPull[] = [];
  const pages = octokit.paginate.iterator(octokit.rest.pulls.list, {
    ...context.repo(),
    state: "closed",
    sort: "updated",
    direction: "desc",
    per_page: 100,
  });
  for await (const page of pages) {
    for (const pr of page.data) {
      if (pr.merged_at && Date.parse(pr.merged_at) >= since) merged.push(pr);
    }
    // Newest update first: once a page ends before `since`, no later page merged after it.
    const last = page.data.at(-1);
    if (!last || Date.parse(last.updated_at) < since) break;
  }
  return [...open, ...merged];
}

async function syncPullRequest(
  context: SyncContext,
  deps: HandlerDeps,
  config: RepoConfig,
  connection: string,
  pr: ListedPull,
): Promise<void> {
  const { octokit } = context;
  const where = { ...context.repo(), number: pr.number };
  // Reviews decide only an open PR that is ready for review (syncTrigger): no request otherwise.
  const reviews =
    pr.state === "open" && !pr.draft
      ? await octokit.paginate(octokit.rest.pulls.listReviews, {
          ...context.repo(),
          pull_number: pr.number,
          per_page: 100,
        })
      : [];
  const snapshot = normalizePullRequestSnapshot(context.payload.repository, pr);
  if (!snapshot.ok) throw new Error(snapshot.reason);
  const trigger = syncTrigger(
    snapshot.event.pr,
    reviews.map((r) => ({
      state: r.state,
      login: r.user?.login ?? "",
      submittedAt: r.submitted_at ?? "",
    })),
  );
  if (trigger === null) return;
  const sources = new Set(config.keys.from);
  // The same memo as the PR's own events: a PR the App has seen at this head costs no reads.
  const text = await readPrText(
    {
      repo: { owner: where.owner, name: where.repo },
      prNumber: pr.number,
      // The list's PR has no `merged`; the memo keeps it for later comment events.
      pull: { ...(pr as unknown as Record<string, unknown>), ...pr, merged: pr.merged_at !== null },
      wants: { comments: sources.has("comments"), commits: sources.has("commits") },
    },
    { octokit, memo: deps.memo, appId: deps.appId },
  );
  const full = normalizePullRequestSnapshot(context.payload.repository, pr, {
    comments: text.comments,
    commits: text.commits,
  });
  if (!full.ok) throw new Error(full.reason);
  const plan = planSync({ ...full.event, trigger }, config);
  if (plan.keys.length === 0) return;
  plan.notes.push(
    `sync: brought in line with the PR's current state (${trigger.replace("_", " ")}); an issue already further along stays where it is`,
  );
  const repo = `${where.owner}/${where.repo}`;
  deps.sink.submit({
    deliveryId: context.id,
    connection,
    repo,
    prNumber: pr.number,
    prState: full.event.pr.state,
    eventAt: full.event.at,
    waitForAllPrs: config.wait_for_all_prs,
    ...(config.notify.length > 0 ? { notify: config.notify } : {}),
    report: {
      installationId: context.payload.installation?.id ?? 0,
      repo,
      headSha: pr.head.sha,
      prNumber: pr.number,
      requireKey: false,
    },
    plan,
  });
}

function nowSeconds(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** `since_days` from a `trackbridge.sync` dispatch's client payload; DEFAULT_SYNC_DAYS when absent. */
export function sinceDaysOf(payload: { client_payload?: unknown }): number {
  const value = (payload.client_payload as { since_days?: unknown } | null)?.since_days;
  return typeof value === "number" && Number.isFinite(value) && value >= 0
    ? value
    : DEFAULT_SYNC_DAYS;
}
