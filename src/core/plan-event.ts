/**
 * The planner both the App and `trackbridge plan` call. Events that only add keys (an edited
 * title or body, a new comment: `trigger` null) act on the keys they add and leave the
 * others alone: re-applying the PR's current state to a key already moved further would
 * move it backwards.
 */
import { extractKeys } from "./extract-keys.js";
import { type CreateAsk, planCreate } from "./plan-create.js";
import { planPullRequest } from "./plan-pull-request.js";
import { configToKeyOptions, type RepoConfig } from "./repo-config.js";
import { restrictToNewKeys } from "./restrict-to-new-keys.js";
import type { Plan, PlannedAction, PrEvent } from "./types.js";

/** What the PR's text was before this event, as the webhook tells it. */
export interface EarlierText {
  /** `changes.title.from` of an `edited` event. */
  title?: string;
  /** `changes.body.from` of an `edited` event. */
  body?: string;
  /** The body of the comment this event created: the PR had every comment but it. */
  newComment?: string;
  /** The previous head's commit messages, for a `synchronize` (a push to the PR's branch). */
  commits?: string[];
  /** The body of the comment this event deleted: the PR had it until now. */
  removedComment?: string;
}

/**
 * @example
 * planEvent(editedEvent, config, { body: payload.changes.body.from }) // only the keys the edit added
 */
export function planEvent(
  event: PrEvent,
  config: RepoConfig,
  earlier: EarlierText = {},
  asks: Asks = {},
): Plan {
  const full = planPullRequest(event, config);
  let plan = full;
  const unlinks = new Set(asks.unlink ?? []);
  if (event.trigger === null) {
    const before = keysBefore(event, config, earlier);
    plan = restrictToNewKeys(full, before);
    // A key the PR named before this edit and names no more: its link goes (never a move).
    const now = keysIn(event, config, {});
    for (const key of before) if (!now.has(key)) unlinks.add(key);
  }
  const pr = {
    number: event.pr.number,
    url: event.pr.url,
    title: event.pr.title,
    repo: `${event.repo.owner}/${event.repo.name}`,
  };
  const yandexComment = config.unlink?.yandex_comment ?? "edit";
  const actions = [
    ...plan.actions,
    ...[...unlinks].map((key): PlannedAction => ({ kind: "unlink", key, pr, yandexComment })),
  ];
  const notes = [...plan.notes];
  if (asks.create) {
    const created = planCreate(event, config, asks.create, full.keys.length > 0);
    if (created && "action" in created) actions.push(created.action);
    else if (created) notes.push(created.note);
  }
  return { ...plan, actions, notes };
}

/** What the event asks beyond the PR's keys: a create (command, label, no key), unlinks (command). */
export interface Asks {
  create?: CreateAsk;
  unlink?: string[];
}

function keysBefore(event: PrEvent, config: RepoConfig, earlier: EarlierText): Set<string> {
  const index = earlier.newComment === undefined ? -1 : event.comments.indexOf(earlier.newComment);
  const comments =
    index === -1
      ? event.comments
      : [...event.comments.slice(0, index), ...event.comments.slice(index + 1)];
  return keysIn(event, config, {
    title: earlier.title ?? event.pr.title,
    body: earlier.body ?? event.pr.body,
    comments:
      earlier.removedComment === undefined ? comments : [...comments, earlier.removedComment],
    commits: earlier.commits ?? event.commits,
  });
}

/** Every key the PR's text names (all of them, not only the first `keys.max`). */
function keysIn(
  event: PrEvent,
  config: RepoConfig,
  text: { title?: string; body?: string; comments?: string[]; commits?: string[] },
): Set<string> {
  const { keys } = extractKeys(
    {
      branch: event.pr.branch,
      title: text.title ?? event.pr.title,
      body: text.body ?? event.pr.body,
      comments: text.comments ?? event.comments,
      // GitHub's closing references are known only as they are now: the text before says
      // which of them the PR already named.
      commits: text.commits ?? event.commits,
    },
    configToKeyOptions(config),
  );
  return new Set(keys.map((found) => found.key));
}

/**
 * The moving keys the PR names now, in order, at most `keys.max`: what "this PR references
 * the issue" means for `wait_for_all_prs`.
 *
 * @example
 * movingKeysOf(event, config) // ["PROJ-1", "PROJ-2"]
 */
export function movingKeysOf(event: PrEvent, config: RepoConfig): string[] {
  return planPullRequest(event, config)
    .keys.filter((found) => found.role === "moving")
    .map((found) => found.key)
    .filter((key, index, all) => all.indexOf(key) === index);
}

/** Reads `changes.title.from` / `changes.body.from` from a pull_request.edited payload. */
export function earlierTextOf(payload: unknown): EarlierText {
  const changes = (
    payload as { changes?: { title?: { from?: unknown }; body?: { from?: unknown } } }
  )?.changes;
  const text = (value: unknown) => (typeof value === "string" ? value : undefined);
  const title = text(changes?.title?.from);
  const body = text(changes?.body?.from);
  return { ...(title === undefined ? {} : { title }), ...(body === undefined ? {} : { body }) };
}
