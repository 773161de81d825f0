/**
 * The use case behind every pull-request event: load the repo config, gather the text
 * sources, plan, and hand the plan to the delivery layer. Guard clauses first, each with a
 * debug line, so "why did nothing happen?" is answered at LOG_LEVEL=debug.
 */
import type { Context } from "probot";
import { REOPEN_RANK } from "../core/lifecycle-rank.js";
import { isWriteBack } from "../core/plan-create.js";
import { earlierTextOf, movingKeysOf, planEvent } from "../core/plan-event.js";
import type { Plan, PrEvent } from "../core/types.js";
import type { Memo } from "../delivery/github-memo.js";
import type { PlanSubmission } from "../delivery/types.js";
import type { ClosingIssues } from "../github/closing-issues.js";
import { MAX_FETCHED_ITEMS } from "../github/fetch-pr-text.js";
import { type LoadedConfig, loadRepoConfig, type RepoConfigs } from "../github/load-repo-config.js";
import { knownPull, readPrText } from "../github/pr-text.js";
import { normalizeCommentEvent, normalizePullRequestEvent } from "./normalize-event.js";
import type { PlanSink } from "./plan-sink.js";
import { readAsks } from "./read-asks.js";

export interface HandlerDeps {
  appId: number;
  /** Repository configs, validated against the server's connections and channels. */
  configs: RepoConfigs;
  sink: PlanSink;
  /** What GitHub already told us (PR text per head): read once, not on every event. */
  memo: Memo;
  /** The issues PRs close, for repositories on a GitHub project (read per head and body). */
  closing?: ClosingIssues;
}

type PullJson = Record<string, unknown> & { head: { sha: string }; updated_at: string };

type PrContext = Context<"pull_request" | "pull_request_review">;
type CommentContext = Context<"issue_comment.created" | "issue_comment.deleted">;

export async function handlePullRequest(context: PrContext, deps: HandlerDeps): Promise<void> {
  const first = normalizePullRequestEvent(context.name, context.payload);
  if (!first.ok) {
    context.log.debug({ delivery: context.id }, first.reason);
    return;
  }
  const pull = (context.payload as { pull_request: PullJson }).pull_request;
  // The text read later completes the event; the payload is validated once (zod, ~23 KB).
  await planAndSubmit(context, deps, first.event, pull, withText(first.event));
}

export async function handleComment(context: CommentContext, deps: HandlerDeps): Promise<void> {
  const { payload } = context;
  if (!payload.issue.pull_request) {
    context.log.debug({ delivery: context.id }, "comment on an issue, not a pull request");
    return;
  }
  if (
    payload.comment.performed_via_github_app?.id === deps.appId &&
    !isWriteBack(payload.comment.body ?? "")
  ) {
    context.log.debug({ delivery: context.id }, "the App's own comment");
    return;
  }
  // The PR as its last pull_request event showed it; asked of GitHub only if none was seen.
  const repo = `${payload.repository.owner.login}/${payload.repository.name}`;
  const pr =
    ((await knownPull(deps.memo, repo, payload.issue.number)) as PullJson | null) ??
    ((await context.octokit.rest.pulls.get(context.repo({ pull_number: payload.issue.number })))
      .data as unknown as PullJson);
  const first = normalizeCommentEvent(payload, pr);
  if (!first.ok) {
    context.log.debug({ delivery: context.id }, first.reason);
    return;
  }
  const complete = withText({ ...first.event });
  // A deletion happens now, not when the comment was written: it outranks what came before.
  if (payload.action === "deleted") first.event.at = new Date().toISOString();
  await planAndSubmit(context, deps, first.event, pr, complete);
}

type PrText = Pick<PrEvent, "comments" | "commits" | "closingIssues">;

/** The normalized event with the PR's comments and commits, once they are read. */
function withText(event: PrEvent) {
  return (extra: PrText): PrEvent => ({ ...event, ...extra });
}

async function planAndSubmit(
  context: PrContext | CommentContext,
  deps: HandlerDeps,
  event: PrEvent,
  pull: PullJson,
  withText: (extra: PrText) => PrEvent,
): Promise<void> {
  const loaded = await loadRepoConfig(context, deps);
  if (loaded.kind === "missing") {
    context.log.debug({ delivery: context.id }, "no .github/trackbridge.yml: nothing to do");
    return;
  }
  const base = submissionBase(context, event, loaded);
  if (loaded.kind === "invalid") {
    deps.sink.submit({ ...base, plan: emptyPlan(), configError: loaded.error });
    return;
  }
  const { config } = loaded;
  const sources = new Set(config.keys.from);
  const payload = context.payload as {
    action?: string;
    comment?: { id?: number; body?: string };
    pull_request?: { comments?: unknown; commits?: unknown };
  };
  const commentEvent = context.name === "issue_comment" && payload.comment?.id !== undefined;
  const deletedCommentId =
    commentEvent && payload.action === "deleted" ? payload.comment!.id : undefined;
  const newComment =
    commentEvent &&
    payload.action === "created" &&
    payload.comment?.body !== undefined &&
    payload.comment.id !== undefined
      ? { id: payload.comment.id, body: payload.comment.body }
      : undefined;
  const text = await readPrText(
    {
      repo: event.repo,
      prNumber: event.pr.number,
      pull,
      // pull_request payloads count the PR's comments and commits: a zero saves an API call.
      ...(payload.pull_request ? { counts: payload.pull_request } : {}),
      ...(newComment ? { newComment } : {}),
      ...(deletedCommentId !== undefined ? { deletedCommentId } : {}),
      wants: { comments: sources.has("comments"), commits: sources.has("commits") },
    },
    { octokit: context.octokit, memo: deps.memo, appId: deps.appId },
  );
  const { comments, commits } = text;
  // For a GitHub project, the issues GitHub says the PR closes are its keys too.
  const closingIssues =
    config.keys.style?.kind === "github" && deps.closing
      ? await deps.closing.read(context.octokit, {
          owner: event.repo.owner,
          repo: event.repo.name,
          number: event.pr.number,
          headSha: event.pr.headSha,
          body: event.pr.body,
        })
      : undefined;
  const withPrText = withText({ comments, commits, ...(closingIssues ? { closingIssues } : {}) });

  const { asks, notes } = await readAsks(context, config);
  const removedComment = deletedCommentId === undefined ? undefined : payload.comment?.body;
  const plan = planEvent(
    withPrText,
    config,
    {
      ...earlierTextOf(context.payload),
      ...(newComment ? { newComment: newComment.body } : {}),
      ...(removedComment === undefined ? {} : { removedComment }),
      // A push: keys its new commits bring are new; the earlier head's commits are not.
      ...((context.payload as { action?: string }).action === "synchronize"
        ? { commits: text.earlierCommits ?? [] }
        : {}),
    },
    asks,
  );
  plan.notes.push(...notes);
  // The keys the PR names now: a key removed from its text no longer links it to the issue.
  const prKeys = movingKeysOf(withPrText, config);
  if (withPrText.trigger === null) {
    if (plan.actions.length === 0 && notes.length === 0) {
      context.log.debug(
        { delivery: context.id },
        "no new issue keys: only the PR's links are updated",
      );
      deps.sink.submit({ ...base, plan, prKeys, recordOnly: true });
      return;
    }
  }
  for (const [what, items] of [
    ["comments", comments],
    ["commits", commits],
  ] as const) {
    if (items.length >= MAX_FETCHED_ITEMS)
      plan.notes.push(`${what}: read the first ${MAX_FETCHED_ITEMS}`);
  }
  deps.sink.submit({ ...base, plan, prKeys });
}

function submissionBase(
  context: PrContext | CommentContext,
  event: PrEvent,
  loaded: Exclude<LoadedConfig, { kind: "missing" }>,
): Omit<PlanSubmission, "plan"> {
  const repo = `${event.repo.owner}/${event.repo.name}`;
  const config = loaded.kind === "valid" ? loaded.config : undefined;
  return {
    deliveryId: context.id,
    connection: loaded.connection ?? "",
    repo,
    prNumber: event.pr.number,
    prState: event.pr.state,
    eventAt: event.at,
    ...((context.payload as { action?: string }).action === "reopened"
      ? { eventRank: REOPEN_RANK }
      : {}),
    waitForAllPrs: config?.wait_for_all_prs ?? false,
    ...(config?.merge_gate ? { mergeGate: true } : {}),
    ...(config?.notify.length ? { notify: config.notify } : {}),
    report: {
      installationId: (context.payload as { installation?: { id: number } }).installation?.id ?? 0,
      repo,
      headSha: event.pr.headSha,
      prNumber: event.pr.number,
      requireKey: config?.require_key ?? false,
    },
  };
}

export function emptyPlan(): Plan {
  return { keys: [], actions: [], skipped: [], notes: [] };
}
