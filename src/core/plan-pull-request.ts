/**
 * Turns one normalized pull-request event and the repository config into a plan: which
 * issues to move where, and which to link. Pure: executing, storing or printing the plan is
 * the caller's business, so a dry run is the same code path.
 */
import { extractKeys } from "./extract-keys.js";
import { assignAction } from "./plan-create.js";
import { configToKeyOptions, type RepoConfig } from "./repo-config.js";
import type {
  KeyRole,
  LifecycleStatuses,
  Plan,
  PlannedAction,
  PrEvent,
  SkippedKey,
} from "./types.js";

/**
 * Plans the tracker actions for a pull-request event.
 *
 * Every key found gets a `link`; moving keys also get a `move` (listed first, because the
 * move is what people look for) when the config names a status for what happened. An event
 * that only adds keys (`trigger: null`, e.g. an edited body) moves new keys to the status of
 * the PR's current state.
 *
 * @example
 * planPullRequest(event, config)
 * // { keys: [{ key: "PROJ-1", role: "moving", source: "branch" }],
 * //   actions: [{ kind: "move", key: "PROJ-1", target: "readyForTest", trigger: "approved", protect: [] },
 * //             { kind: "link", key: "PROJ-1", pr: { number: 7, url, title, repo: "acme/web" } }],
 * //   skipped: [], notes: [] }
 */
export function planPullRequest(event: PrEvent, config: RepoConfig): Plan {
  const { keys, notes } = extractKeys(
    {
      branch: event.pr.branch,
      title: event.pr.title,
      body: event.pr.body,
      comments: event.comments,
      commits: event.commits,
      ...(event.closingIssues ? { closing: event.closingIssues } : {}),
    },
    configToKeyOptions(config),
  );

  const trigger = event.trigger ?? event.currentState;
  const target = config.statuses[trigger];
  const pr = {
    number: event.pr.number,
    url: event.pr.url,
    title: event.pr.title,
    repo: `${event.repo.owner}/${event.repo.name}`,
  };

  const actions: PlannedAction[] = [];
  const skipped: SkippedKey[] = [];
  const roles = [...rolesByKey(keys)];
  const kept = roles.slice(0, config.keys.max);
  const extraNotes: string[] = [];
  if (roles.length > kept.length) {
    // A release PR (develop → main) or a hostile one must not move hundreds of issues.
    const left = roles.length - kept.length;
    extraNotes.push(
      `${left} issue key${left === 1 ? "" : "s"} left out: this pull request names ${roles.length} issues and keys.max is ${config.keys.max}, so only the first ${kept.length} are moved and linked`,
    );
  }
  const keptKeys = new Set(kept.map(([key]) => key));
  for (const [key, role] of kept) {
    if (role === "moving") {
      if (target === undefined) {
        skipped.push({ key, reason: `no status configured for "${trigger}"` });
      } else {
        actions.push({
          kind: "move",
          key,
          target,
          trigger,
          protect: [...config.protect],
          ...moveRules(config, target),
        });
        // The assignee follows whoever the config names each time the issue moves.
        const assign = assignAction(event, config, key);
        if (assign) actions.push(assign);
      }
    }
    actions.push({ kind: "link", key, pr: { ...pr } });
  }

  return {
    keys: keys.filter((found) => keptKeys.has(found.key)),
    actions,
    skipped,
    notes: [...notes, ...extraNotes],
  };
}

/**
 * What the executor needs to route the move and keep it from going backwards: the config's
 * lifecycle (its `statuses:`, and each `deployments:` environment's status as the `deployed`
 * stage), `reopen`, and the config route to this target, if any. Every planner's moves carry
 * it, so one rule (`neverBackwards`) guards the PR's life, deployments, releases and the sync.
 *
 * @example
 * moveRules(config, "readyForTest") // { statuses: { approved: "readyForTest" }, reopen: false, via: ["inProgress", "inReview"] }
 */
export function moveRules(
  config: RepoConfig,
  target: string,
): Pick<Extract<PlannedAction, { kind: "move" }>, "statuses" | "reopen" | "via"> {
  const statuses: LifecycleStatuses = Object.fromEntries(
    Object.entries(config.statuses).filter(([, status]) => status !== undefined),
  );
  const deployed = Object.values(config.deployments).flatMap((d) => d.status ?? []);
  if (deployed.length > 0) statuses.deployed = [...new Set(deployed)];
  const via = config.routes[target];
  return { statuses, reopen: config.reopen, ...(via ? { via: [...via] } : {}) };
}

/**
 * One role per key, in order of first appearance. Should the extractor ever report a key
 * twice, being named as moving anywhere makes it moving: a reference elsewhere does not
 * cancel the author's intent to move it.
 */
export function rolesByKey(
  keys: ReadonlyArray<{ key: string; role: KeyRole }>,
): Map<string, KeyRole> {
  const roles = new Map<string, KeyRole>();
  for (const { key, role } of keys) {
    if (roles.get(key) !== "moving") roles.set(key, role);
  }
  return roles;
}
