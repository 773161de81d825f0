/**
 * Notifications, the pure part: which finished job is worth telling a channel about, and the
 * text of the message. A message is plain text (no markup: nothing to escape, nothing a key
 * or a PR title could inject), and goes through `scrubSecrets` before it leaves.
 */
import { scrubSecrets } from "./scrub-secrets.js";
import type { PlannedAction } from "./types.js";

/** What a repository can subscribe a channel to (`notify: [{ channel, on }]`). */
export const NOTIFY_EVENTS = [
  "moved",
  "blocked",
  "dead_letter",
  "deployed",
  "released",
  "created",
  "unlinked",
] as const;
export type NotifyEvent = (typeof NOTIFY_EVENTS)[number];

export interface NotifyRule {
  channel: string;
  on: NotifyEvent[];
}

/** One event as a message job stores it: everything the text needs, no secret, no payload. */
export interface Notice {
  event: NotifyEvent;
  repo: string;
  prNumber: number | null;
  key: string;
  /** What happened, in the check run's words: "moved Open → In progress", the error. */
  summary: string;
  /** The tracker connection the issue lives in (absent in notices stored before it was kept). */
  connection?: string;
}

/** How a job ended, as the worker knows it when it settles the job. */
export interface FinishedJob {
  action: PlannedAction;
  state: "done" | "failed" | "dead" | "skipped";
  summary: string;
  /** The tracker error's kind when the job ended with one (`no_transition`, `auth`, …). */
  errorKind?: string;
}

/**
 * A move the App made that changed the issue's status: "already in …" and "protected: …"
 * changed nothing.
 *
 * @example
 * changedStatus({ action: move, state: "done", summary: "moved Open → In progress" }) // true
 * changedStatus({ action: move, state: "done", summary: "already in In progress" }) // false
 */
export function changedStatus(job: {
  action: PlannedAction;
  state: string;
  summary: string | null;
}): boolean {
  return job.action.kind === "move" && job.state === "done" && !!job.summary?.startsWith("moved");
}

/**
 * The event a finished job is, or null when it is nothing a channel hears about (a link, a
 * skip, "already in …"). A move the App could not make is `blocked`: no route, a protected
 * status, a transition that needs a field. Any other dead letter is `dead_letter`.
 *
 * @example
 * notifyEventOf({ action: move, state: "done", summary: "moved Open → In progress" }) // "moved"
 * notifyEventOf({ action: move, state: "dead", summary: "no route…", errorKind: "no_transition" }) // "blocked"
 */
export function notifyEventOf(job: FinishedJob): NotifyEvent | null {
  const { action, state, summary } = job;
  if (state === "dead" || state === "failed") {
    if (action.kind === "move" && isBlocked(job)) return "blocked";
    return state === "dead" ? "dead_letter" : null;
  }
  if (state !== "done") return null;
  switch (action.kind) {
    case "move":
      if (summary.startsWith("protected:")) return "blocked";
      if (!summary.startsWith("moved")) return null;
      if (action.trigger === "deployed") return "deployed";
      return action.trigger === "released" ? "released" : "moved";
    case "set_field":
      // A deployment's URL written into the issue: the issue is on that environment now.
      return "deployed";
    case "fix_version":
      // Already there, or a tracker without versions: nothing was released into the issue.
      return summary.includes("already set") || summary.includes("not stamped") ? null : "released";
    case "create":
      return summary.startsWith("created") ? "created" : null;
    case "unlink":
      return summary === "unlinked" ? "unlinked" : null;
    case "feature":
      // A Productboard feature's issue made, or the feature unlinked from its issue.
      if (summary.startsWith("created")) return "created";
      return summary.startsWith("unlinked") ? "unlinked" : null;
    default:
      return null;
  }
}

function isBlocked(job: FinishedJob): boolean {
  if (job.errorKind === "no_transition") return true;
  return job.errorKind === "invalid" && /\bneeds (field|input)\b/.test(job.summary);
}

/** The channels a rule list sends this event to, each once. */
export function channelsFor(rules: readonly NotifyRule[], event: NotifyEvent): string[] {
  return [...new Set(rules.filter((r) => r.on.includes(event)).map((r) => r.channel))];
}

/** At most this many events go into one digest; the rest wait for the next message. */
export const DIGEST_LIMIT = 20;
/** A summary longer than this is cut: a message is read at a glance. */
const MAX_SUMMARY = 300;

const LABELS: Record<NotifyEvent, string> = {
  moved: "moved",
  blocked: "blocked",
  dead_letter: "failed",
  deployed: "deployed",
  released: "released",
  created: "created",
  unlinked: "unlinked",
};

/**
 * The message for one or several events of one channel: one event is one line (and the PR's
 * address); several are a digest, one bullet each. Secrets are blanked last, over the whole text.
 *
 * @example
 * formatNotification([{ event: "moved", repo: "acme/web", prNumber: 7, key: "PROJ-1", summary: "moved Open → In progress" }],
 *   { githubUrl: "https://github.com", secrets: [] })
 * // "PROJ-1 moved Open → In progress — acme/web#7 https://github.com/acme/web/pull/7"
 * // with trackerOf: () => "YouTrack" and the notice's connection:
 * // "PROJ-1 moved Open → In progress in YouTrack — acme/web#7 https://github.com/acme/web/pull/7"
 */
export function formatNotification(
  notices: readonly Notice[],
  options: {
    githubUrl: string;
    secrets: readonly string[];
    /** What to call a connection's tracker ("YouTrack", "Jira Cloud"); unnamed when it says nothing. */
    trackerOf?: (connection: string) => string | undefined;
  },
): string {
  const lines = notices.map((notice) => {
    const tracker = notice.connection ? options.trackerOf?.(notice.connection) : undefined;
    return line(notice, options.githubUrl, tracker);
  });
  const text =
    lines.length === 1
      ? lines[0]!
      : [`trackbridge: ${lines.length} updates`, ...lines.map((l) => `• ${l}`)].join("\n");
  return scrubSecrets(text, options.secrets);
}

function line(notice: Notice, githubUrl: string, tracker: string | undefined): string {
  const summary =
    notice.summary.length > MAX_SUMMARY
      ? `${notice.summary.slice(0, MAX_SUMMARY)}…`
      : notice.summary;
  // A move's summary already says "moved A → B"; other events get their label in front.
  const what = summary.startsWith(LABELS[notice.event])
    ? summary
    : `${LABELS[notice.event]}: ${summary}`;
  const where =
    notice.prNumber === null
      ? notice.repo
      : `${notice.repo}#${notice.prNumber} ${githubUrl}/${notice.repo}/pull/${notice.prNumber}`;
  // Several trackers may feed one channel: say which one the issue is in.
  return `${notice.key} ${what}${tracker ? ` in ${tracker}` : ""} — ${where}`;
}
