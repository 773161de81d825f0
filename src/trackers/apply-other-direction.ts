/**
 * The other direction's actions against a tracker: create an issue for a PR (once, whatever
 * the retries), take a PR's link off an issue, set the assignee unless a person set it.
 * What must survive a crash between the tracker's commit and its answer is in the ledger
 * (the store), written before the call.
 */
import type { ActionResult, PlannedAction } from "../core/types.js";
import { TrackerError } from "./errors.js";
import { isTrackerType, kindOf } from "./kinds.js";
import type { NewIssue, Tracker } from "./port.js";

type Action<K extends PlannedAction["kind"]> = Extract<PlannedAction, { kind: K }>;

/** What the executor keeps in the store for these actions (the delivery room implements it). */
export interface ActionLedger {
  /**
   * Records a try to create the issue for `marker` before the call; says what earlier tries
   * left: the key when one finished, how many tried (an unfinished one's outcome is unknown).
   */
  beginCreate(connection: string, marker: string): Promise<{ key: string | null; tries: number }>;
  finishCreate(connection: string, marker: string, key: string): Promise<void>;
  /** What trackbridge last assigned the issue to (login and the id the tracker showed), if ever. */
  lastAssigned(connection: string, key: string): Promise<{ login: string; id: string } | null>;
}

export interface OtherDirectionDeps {
  ledger?: ActionLedger;
  /** The connection's people map: GitHub login → tracker login. */
  people?: Readonly<Record<string, string>>;
  /**
   * `match: email`: the public e-mail on a GitHub login's profile (null: none shown, or no
   * such user); rejects when GitHub could not say, and the job retries. Costs a GitHub
   * request unless the answer is kept (the App keeps it an hour).
   */
  publicEmail?: (login: string) => Promise<string | null>;
}

export type Outcome = Pick<ActionResult, "summary" | "created" | "assigned">;

export function unavailable(tracker: Tracker, what: string): TrackerError {
  return new TrackerError("invalid", `${tracker.connection} (${tracker.type}) cannot ${what}`, {
    connection: tracker.connection,
  });
}

export async function createIssue(
  tracker: Tracker,
  action: Action<"create">,
  deps: OtherDirectionDeps,
): Promise<Outcome> {
  const { type, project, summary, description, marker } = action;
  const issue = { project, summary, description, marker, ...(type ? { type } : {}) };
  const { key, created } = await createThroughLedger(tracker, issue, deps);
  // Linked on every run: a crash between the create and the link leaves no issue unlinked.
  await tracker.linkPullRequest(key, { ...action.pr, globalId: action.pr.url });
  return { summary: created ? `created ${key}` : `already created ${key}`, created: key };
}

/**
 * Creates the issue for `issue.marker` once, whatever the retries: the try is counted in the
 * ledger before the call, and the tracker is asked for the marker when an earlier try's
 * outcome is unknown. `created` is false when an earlier try made it.
 */
export async function createThroughLedger(
  tracker: Tracker,
  issue: NewIssue,
  deps: OtherDirectionDeps,
): Promise<{ key: string; created: boolean }> {
  if (!tracker.createIssue) throw unavailable(tracker, "create issues");
  if (!deps.ledger) throw new Error("creating an issue needs the store's ledger");
  const { connection } = tracker;
  const begun = await deps.ledger.beginCreate(connection, issue.marker);
  if (begun.key !== null) return { key: begun.key, created: false };
  const result = await tracker.createIssue(issue, { earlierTryUnknown: begun.tries > 1 });
  await deps.ledger.finishCreate(connection, issue.marker, result.key);
  return { key: result.key, created: result.created };
}

export async function unlink(tracker: Tracker, action: Action<"unlink">): Promise<Outcome> {
  if (!tracker.unlink) throw unavailable(tracker, "unlink pull requests");
  const link = { url: action.pr.url, title: action.pr.title, globalId: action.pr.url };
  const result = await tracker.unlink(action.key, link, { yandexComment: action.yandexComment });
  return { summary: result === "removed" ? "unlinked" : "no link to remove" };
}

/**
 * Assigns unless a person set the assignee: the issue's assignee counts as trackbridge's own
 * when it is what trackbridge last set (kept with the job's result), else as a person's.
 */
export async function assign(
  tracker: Tracker,
  action: Action<"assign">,
  deps: OtherDirectionDeps,
): Promise<Outcome> {
  if (!tracker.getAssignee || !tracker.setAssignee) throw unavailable(tracker, "assign issues");
  const login = await trackerLogin(tracker, action, deps);
  if (typeof login !== "string") return { summary: `warning: not assigned: ${login.unmapped}` };
  const [current, last] = await Promise.all([
    tracker.getAssignee(action.key),
    deps.ledger?.lastAssigned(tracker.connection, action.key) ?? Promise.resolve(null),
  ]);
  const ours = current !== null && last !== null && current.id === last.id;
  if (current !== null && (current.id === login || (ours && last.login === login))) {
    return {
      summary: `already assigned to ${current.display}`,
      assigned: { login, id: current.id },
    };
  }
  if (current !== null && !ours && !action.overwrite) {
    return { summary: `left alone: ${current.display} was assigned by a person` };
  }
  const set = await tracker.setAssignee(action.key, login);
  return { summary: `assigned to ${set.display}`, assigned: { login, id: set.id } };
}

/**
 * The tracker login for the action's person: the people map's; else the GitHub login itself
 * where the kind's people are GitHub users (GitHub Projects); else, with `match: email`, the
 * tracker's one user with the e-mail on their GitHub profile (asked of GitHub only then, and
 * only when the tracker can search by it). Otherwise why not (a warning on the check run,
 * never an error). The e-mail itself is never written into the summary.
 */
async function trackerLogin(
  tracker: Tracker,
  action: Action<"assign">,
  deps: OtherDirectionDeps,
): Promise<string | { unmapped: string }> {
  const mapped = deps.people?.[action.person];
  if (mapped) return mapped;
  if (isTrackerType(tracker.type) && kindOf(tracker.type).githubLogins) return action.person;
  const notMapped = `${action.person} is not in the people map of connection ${tracker.connection}`;
  if (action.match !== "email") return { unmapped: notMapped };
  if (!tracker.findUserByEmail) {
    return { unmapped: `${notMapped}, and ${tracker.type} cannot find users by e-mail` };
  }
  if (!deps.publicEmail) return { unmapped: `${notMapped}, and GitHub e-mails are not read here` };
  const email = await deps.publicEmail(action.person);
  if (!email) return { unmapped: `${notMapped}, and shows no public e-mail on GitHub` };
  const user = await tracker.findUserByEmail(email);
  if (user) return user.id;
  return { unmapped: `${notMapped}, and no single user of it has their GitHub e-mail` };
}
