/**
 * The one port every tracker adapter implements. Calls map to as few HTTP requests as the
 * tracker allows: `getIssue(key, { transitions: true })` is one request on both Yandex
 * Tracker and Jira (`expand=transitions`), so a move costs two calls and a no-op one.
 */

// Statuses and transitions are core vocabulary: the core matches config targets against them.
export type { TrackerStatus, TrackerTransition } from "../core/types.js";

import type { TrackerStatus, TrackerTransition } from "../core/types.js";

export interface TrackerIssue {
  /** The issue's current key; differs from the asked key when the issue was moved. */
  key: string;
  /** Earlier keys of a moved issue. */
  aliases: string[];
  status: TrackerStatus;
  /** Present when asked for with `{ transitions: true }`. */
  transitions?: TrackerTransition[];
}

export interface TrackerComment {
  id: string;
  text: string;
}

export interface PullRequestLink {
  url: string;
  title: string;
  /** Stable id so the link is created once (Jira remote link `globalId`). */
  globalId: string;
}

export interface Tracker {
  /** The server connection's name, used in every error message. */
  readonly connection: string;
  readonly type: "yandex" | "jira";
  getIssue(key: string, options?: { transitions?: boolean }): Promise<TrackerIssue>;
  executeTransition(key: string, transitionId: string): Promise<void>;
  /** `field` is an id/key; Jira also resolves a display name through the field list. */
  setField(key: string, field: string, value: string): Promise<void>;
  listComments(key: string): Promise<TrackerComment[]>;
  addComment(key: string, text: string): Promise<void>;
  /**
   * Links the PR from the issue once. Jira: a remote link keyed by `globalId`.
   * Yandex Tracker has no web links, so: one comment carrying the URL, not posted again.
   */
  linkPullRequest(key: string, link: PullRequestLink): Promise<"created" | "exists">;
  /**
   * Adds `version` (by name) to the issue's fix versions: one read of the issue, one read of
   * the project's/queue's versions, one create when the version is missing, one edit.
   * "exists": the issue had it already; "created": the version was created first.
   */
  addFixVersion(key: string, version: string): Promise<"added" | "created" | "exists">;
}
