/**
 * Executes one planned action against a tracker, with as few calls as the port allows:
 * a move is one read (issue + transitions) and, only when needed, one transition. Every
 * action is safe to repeat: a re-run finds the status reached, the link or the marker.
 */
import { findTransition, statusMatches } from "../core/match-status.js";
import type { ActionResult, PlannedAction } from "../core/types.js";
import { TrackerError } from "./errors.js";
import type { Tracker } from "./port.js";

type Action<K extends PlannedAction["kind"]> = Extract<PlannedAction, { kind: K }>;

const MAX_VALUE_IN_SUMMARY = 200;

/**
 * Runs `action`; resolves with what happened, rejects with a `TrackerError` when the tracker
 * refused or failed (the caller decides between retrying and reporting).
 *
 * @example
 * await applyAction(tracker, { kind: "move", key: "PROJ-1", target: "readyForTest", trigger: "merged", protect: ["closed"] })
 * // → { ok: true, summary: "moved Open → Ready for test", action }
 */
export async function applyAction(tracker: Tracker, action: PlannedAction): Promise<ActionResult> {
  const summary = await run(tracker, action);
  return { action, ok: true, summary };
}

function run(tracker: Tracker, action: PlannedAction): Promise<string> {
  switch (action.kind) {
    case "move":
      return move(tracker, action);
    case "link":
      return link(tracker, action);
    case "set_field":
      return setField(tracker, action);
    case "fix_version":
      return fixVersion(tracker, action);
    case "comment":
      return comment(tracker, action);
  }
}

async function move(tracker: Tracker, action: Action<"move">): Promise<string> {
  const issue = await tracker.getIssue(action.key, { transitions: true });
  // A moved issue answers under its new key; act on that one and say so.
  const now = issue.key === action.key ? "" : ` (now ${issue.key})`;
  const from = issue.status.display;
  if (statusMatches(issue.status, action.target)) return `already in ${from}${now}`;
  if (action.protect.some((status) => statusMatches(issue.status, status))) {
    return `protected: ${from}${now}`;
  }
  const transitions = issue.transitions ?? [];
  const transition = findTransition(transitions, action.target);
  if (!transition) {
    const available = transitions.map((t) => `${t.display} → ${t.to.display}`).join(", ") || "none";
    throw new TrackerError(
      "no_transition",
      `no transition to ${action.target} from ${from} (available: ${available})`,
      { connection: tracker.connection },
    );
  }
  await tracker.executeTransition(issue.key, transition.id);
  return `moved ${from} → ${transition.to.display}${now}`;
}

async function link(tracker: Tracker, action: Action<"link">): Promise<string> {
  const result = await tracker.linkPullRequest(action.key, {
    url: action.pr.url,
    title: action.pr.title,
    // The PR URL is stable and unique, so it is the remote link's identity.
    globalId: action.pr.url,
  });
  return result === "created" ? "linked" : "already linked";
}

async function setField(tracker: Tracker, action: Action<"set_field">): Promise<string> {
  await tracker.setField(action.key, action.field, action.value);
  const value =
    action.value.length > MAX_VALUE_IN_SUMMARY
      ? `${action.value.slice(0, MAX_VALUE_IN_SUMMARY)}…`
      : action.value;
  return `set ${action.field} = ${value}`;
}

async function fixVersion(tracker: Tracker, action: Action<"fix_version">): Promise<string> {
  const result = await tracker.addFixVersion(action.key, action.version);
  if (result === "exists") return `fix version ${action.version} already set`;
  return result === "created"
    ? `fix version ${action.version} (version created)`
    : `fix version ${action.version}`;
}

async function comment(tracker: Tracker, action: Action<"comment">): Promise<string> {
  const comments = await tracker.listComments(action.key);
  if (comments.some((c) => c.text.includes(action.marker))) return "comment already posted";
  await tracker.addComment(action.key, `${action.text}\n\n${action.marker}`);
  return "commented";
}
