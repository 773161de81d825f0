/**
 * Creating an issue once per marker where the tracker has no idempotency key of its own
 * (Jira, YouTrack, Redmine, Request Tracker, GitHub Projects): the marker is written into the
 * issue, and searched for only when an earlier try may have created the issue without the
 * answer arriving. A first try never searches (one request, not two), and a search that finds
 * nothing creates. The search is exact: trackers' full-text search finds by words, so each
 * adapter checks the marker on what it found before it trusts it.
 */
import type { NewIssue } from "./port.js";

/** The line that carries the marker in an issue's description. */
export function markerLine(marker: string): string {
  return `trackbridge-marker: ${marker}`;
}

/**
 * The description with the marker on its own last line.
 *
 * @example
 * withMarker("Pull request: https://github.com/o/r/pull/1", "trackbridge:o/r#1")
 * // "Pull request: https://github.com/o/r/pull/1\n\ntrackbridge-marker: trackbridge:o/r#1"
 */
export function withMarker(description: string, marker: string): string {
  return `${description}\n\n${markerLine(marker)}`;
}

/** Whether a description carries this marker's line (and not a longer marker's). */
export function carriesMarker(text: unknown, marker: string): boolean {
  if (typeof text !== "string") return false;
  return text.split(/\r?\n/).some((line) => line.trim() === markerLine(marker));
}

/**
 * How one tracker finds an issue by its marker and creates one (answering the new key); the
 * create already holds the issue it makes.
 */
interface CreateByMarker {
  find(project: string, marker: string): Promise<string | null>;
  create(): Promise<string>;
}

/**
 * @example
 * await createOnce(issue, { earlierTryUnknown: true }, { find, create })
 * // { key: "NP-7", created: false } when `find` found it; else `create`'s key, created: true
 */
export async function createOnce(
  issue: NewIssue,
  options: { earlierTryUnknown?: boolean },
  tracker: CreateByMarker,
): Promise<{ key: string; created: boolean }> {
  if (options.earlierTryUnknown) {
    const found = await tracker.find(issue.project, issue.marker);
    if (found) return { key: found, created: false };
  }
  return { key: await tracker.create(), created: true };
}
