/**
 * Turns a GitHub webhook payload into the small domain event the core plans from. This is
 * the only file that knows GitHub's payload shapes; payloads come from strangers and from
 * the store, so they are validated, and a malformed one gets a reason, not a crash.
 */
import { z } from "zod";
import type { PrEvent, Trigger } from "../core/types.js";

const user = z.object({ login: z.string(), type: z.string().optional() }).loose();

const pullRequest = z
  .object({
    number: z.number().int(),
    html_url: z.string(),
    title: z.string(),
    body: z.string().nullish(),
    state: z.enum(["open", "closed"]),
    draft: z.boolean().optional(),
    merged: z.boolean().nullish(),
    merged_at: z.string().nullish(),
    closed_at: z.string().nullish(),
    updated_at: z.string(),
    head: z.object({ ref: z.string(), sha: z.string() }).loose(),
    user: user.nullish(),
    assignees: z.array(user).nullish(),
    merged_by: user.nullish(),
  })
  .loose();

export const repository = z
  .object({ name: z.string(), owner: z.object({ login: z.string() }).loose() })
  .loose();

const pullRequestPayload = z
  .object({ action: z.string(), pull_request: pullRequest, repository, sender: user })
  .loose();

const reviewPayload = pullRequestPayload.extend({
  review: z
    .object({ state: z.string(), submitted_at: z.string().nullish(), user: user.nullish() })
    .loose(),
});

const commentPayload = z
  .object({
    repository,
    sender: user,
    comment: z.object({ created_at: z.string(), body: z.string() }).loose(),
  })
  .loose();

export type NormalizeResult<T> = { ok: true; event: T } | { ok: false; reason: string };

type PullRequest = z.infer<typeof pullRequest>;

/** The PR's state as a config trigger, for events that only add keys (edited, a comment). */
export function currentState(pr: PullRequest): Trigger {
  if (pr.merged || pr.merged_at) return "merged";
  if (pr.state === "closed") return "closed";
  return pr.draft ? "draft" : "opened";
}

function triggerFor(name: string, action: string, pr: PullRequest, reviewState?: string) {
  if (name === "pull_request_review") {
    if (action !== "submitted") return undefined;
    const state = reviewState?.toLowerCase();
    if (state === "approved") return "approved";
    if (state === "changes_requested") return "changes_requested";
    return undefined;
  }
  switch (action) {
    case "opened":
    case "reopened":
      return pr.draft ? "draft" : "opened";
    case "ready_for_review":
      return "ready";
    case "converted_to_draft":
      return "draft";
    case "closed":
      return pr.merged || pr.merged_at ? "merged" : "closed";
    case "edited":
    case "synchronize":
    case "labeled":
      return null;
    default:
      return undefined;
  }
}

/**
 * Normalizes `pull_request.*` and `pull_request_review.submitted` payloads. An action the App
 * does not act on (e.g. `labeled`, a plain comment review) is `{ ok: false }` with the reason.
 *
 * @example
 * const result = normalizePullRequestEvent("pull_request", payload);
 * if (result.ok) planPullRequest(result.event, config);
 */
export function normalizePullRequestEvent(
  name: string,
  payload: unknown,
  extra: { comments?: string[]; commits?: string[] } = {},
): NormalizeResult<PrEvent> {
  const schema = name === "pull_request_review" ? reviewPayload : pullRequestPayload;
  if (name !== "pull_request" && name !== "pull_request_review") {
    return { ok: false, reason: `event "${name}" is not a pull request event` };
  }
  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    return { ok: false, reason: `malformed ${name} payload: ${z.prettifyError(parsed.error)}` };
  }
  const data = parsed.data;
  const review =
    "review" in data ? (data.review as z.infer<typeof reviewPayload>["review"]) : undefined;
  const trigger = triggerFor(name, data.action, data.pull_request, review?.state);
  if (trigger === undefined) {
    const what = review
      ? `${name}.${data.action} (${review.state.toLowerCase()})`
      : `${name}.${data.action}`;
    return { ok: false, reason: `${what} does not move issues` };
  }
  const pr = data.pull_request;
  const at =
    review?.submitted_at ??
    (trigger === "merged" ? pr.merged_at : trigger === "closed" ? pr.closed_at : null) ??
    pr.updated_at;
  return {
    ok: true,
    event: buildEvent(data.repository, pr, trigger, data.sender, at, extra),
  };
}

/**
 * Builds the event for a new conversation comment on a PR: the comment payload does not carry
 * the PR's branch or head, so the caller fetches the PR and passes it in.
 */
export function normalizeCommentEvent(
  payload: unknown,
  pullRequestJson: unknown,
  extra: { comments?: string[]; commits?: string[] } = {},
): NormalizeResult<PrEvent> {
  const comment = commentPayload.safeParse(payload);
  if (!comment.success) {
    return {
      ok: false,
      reason: `malformed issue_comment payload: ${z.prettifyError(comment.error)}`,
    };
  }
  const pr = pullRequest.safeParse(pullRequestJson);
  if (!pr.success) {
    return { ok: false, reason: `malformed pull request: ${z.prettifyError(pr.error)}` };
  }
  const { repository: repo, sender, comment: body } = comment.data;
  return {
    ok: true,
    event: buildEvent(repo, pr.data, null, sender, body.created_at, extra),
  };
}

/**
 * A pull request as it stands (from `GET /pulls`), for the sync: no trigger (the sync derives
 * it from the PR's state and reviews), stamped with the PR's last update.
 */
export function normalizePullRequestSnapshot(
  repositoryJson: unknown,
  pullRequestJson: unknown,
  extra: { comments?: string[]; commits?: string[] } = {},
): NormalizeResult<PrEvent> {
  const repo = repository.safeParse(repositoryJson);
  const pr = pullRequest.safeParse(pullRequestJson);
  if (!repo.success || !pr.success) {
    const error = !repo.success ? repo.error : (pr.error as z.ZodError);
    return { ok: false, reason: `malformed pull request: ${z.prettifyError(error)}` };
  }
  const sender = { login: "trackbridge", type: "Bot" };
  return {
    ok: true,
    event: buildEvent(repo.data, pr.data, null, sender, pr.data.updated_at, extra),
  };
}

function buildEvent(
  repo: z.infer<typeof repository>,
  pr: PullRequest,
  trigger: Trigger | null,
  sender: z.infer<typeof user>,
  at: string,
  extra: { comments?: string[]; commits?: string[] },
): PrEvent {
  return {
    repo: { owner: repo.owner.login, name: repo.name },
    pr: {
      number: pr.number,
      url: pr.html_url,
      branch: pr.head.ref,
      title: pr.title,
      body: pr.body ?? "",
      merged: Boolean(pr.merged || pr.merged_at),
      draft: pr.draft ?? false,
      state: pr.state,
      headSha: pr.head.sha,
      ...(pr.user ? { author: pr.user.login } : {}),
      ...(pr.assignees ? { assignees: pr.assignees.map((a) => a.login) } : {}),
      ...(pr.merged_by ? { mergedBy: pr.merged_by.login } : {}),
    },
    trigger,
    currentState: currentState(pr),
    actor: { login: sender.login, isBot: sender.type === "Bot" },
    at,
    comments: extra.comments ?? [],
    commits: extra.commits ?? [],
  };
}
