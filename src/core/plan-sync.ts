/**
 * The sync of pull requests that were already open: the status each PR's current state
 * implies, derived from the PR as it stands (never by replaying its history), planned by the
 * same pull-request planner, with every move guarded so that no issue goes backwards.
 */
import { planPullRequest } from "./plan-pull-request.js";
import type { RepoConfig } from "./repo-config.js";
import type { Plan, PrEvent, Trigger } from "./types.js";

/**
 * How far back a sync reaches for merged PRs when no one says: the CLI's `--since`, the
 * console's form, a `trackbridge.sync` dispatch without `since_days`, a config push.
 */
export const DEFAULT_SYNC_DAYS = 14;

export interface ReviewState {
  /** GitHub's review state: APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED, PENDING. */
  state: string;
  login: string;
  submittedAt: string;
}

/**
 * Where an open (or recently merged) PR stands now. Each reviewer's latest deciding review
 * counts, as on GitHub: one reviewer's outstanding "changes requested" outweighs approvals.
 * A PR closed without a merge has no state to sync (null).
 *
 * @example
 * syncTrigger({ draft: false, merged: false, state: "open" }, [{ state: "APPROVED", login: "bob", submittedAt }]) // "approved"
 */
export function syncTrigger(
  pr: Pick<PrEvent["pr"], "draft" | "merged" | "state">,
  reviews: readonly ReviewState[],
): Trigger | null {
  if (pr.merged) return "merged";
  if (pr.state === "closed") return null;
  if (pr.draft) return "draft";
  const latest = new Map<string, string>();
  const ordered = [...reviews].sort((a, b) => a.submittedAt.localeCompare(b.submittedAt));
  for (const review of ordered) {
    const state = review.state.toUpperCase();
    if (state === "APPROVED" || state === "CHANGES_REQUESTED" || state === "DISMISSED") {
      latest.set(review.login, state);
    }
  }
  const states = new Set(latest.values());
  if (states.has("CHANGES_REQUESTED")) return "changes_requested";
  if (states.has("APPROVED")) return "approved";
  return "opened";
}

/**
 * Plans one PR of a sync: the PR planner with the sync's trigger. Its moves are `derived`:
 * the never-backwards rule holds them back from a status a later stage names, even where
 * this PR moved the issue before.
 *
 * @example
 * planSync(event /* trigger: syncTrigger(pr, reviews) *\/, config)
 */
export function planSync(event: PrEvent & { trigger: Trigger }, config: RepoConfig): Plan {
  const plan = planPullRequest(event, config);
  return {
    ...plan,
    actions: plan.actions.map((action) =>
      action.kind === "move" ? { ...action, derived: true } : action,
    ),
  };
}
