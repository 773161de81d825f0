/**
 * What the simulators keep of an issue (its comments, remote links, versions) and the snapshot tests read, shared by the store and every tracker's routes.
 */
import type { SimStatus } from "./workflow.js";

/** `true`/"all": every call on the issue answers 403; "write": reads work, writes answer 403. */
export type ForbiddenMode = boolean | "all" | "write";

export interface SimComment {
  id: number;
  text: string;
  /** The ADF document as Jira v3 received it. */
  adf?: unknown;
  createdAt: string;
}

export interface SimRemoteLink {
  id: number;
  globalId?: string;
  url: string;
  title: string;
  relationship?: string;
}

/** A Jira project version / a Yandex Tracker queue version. */
export interface SimVersion {
  id: string;
  name: string;
  queue: string;
  released: boolean;
}

export interface SimIssue {
  /** Sequence number; each simulator renders its own id format. */
  seq: number;
  key: string;
  aliases: string[];
  queue: string;
  status: string;
  previousStatus?: string;
  fields: Record<string, unknown>;
  comments: SimComment[];
  links: SimRemoteLink[];
  /** Ids of the versions in the issue's fix versions, rendered by each tracker its own way. */
  fixVersions: string[];
  forbidden: ForbiddenMode;
  version: number;
  createdAt: string;
  updatedAt: string;
  /** The assignee's login; each simulator renders its own user object. */
  assignee?: string;
  /** Yandex Tracker's `unique` given at creation: a second create with it answers 409. */
  unique?: string;
}

export interface CreateIssueOptions {
  /** Status key, id or display name; the workflow's initial status by default. */
  status?: string;
  fields?: Record<string, unknown>;
  forbidden?: ForbiddenMode;
  assignee?: string;
  unique?: string;
}

/** What the admin `getIssue` returns: a copy, safe to keep. */
export interface IssueSnapshot {
  key: string;
  aliases: string[];
  queue: string;
  status: SimStatus;
  fields: Record<string, unknown>;
  comments: Array<{ id: string; text: string }>;
  links: Array<{ id: string; globalId?: string; url: string; title: string }>;
  /** Names of the issue's fix versions. */
  fixVersions: string[];
  forbidden: ForbiddenMode;
  version: number;
  /** The assignee's login, null when unassigned. */
  assignee: string | null;
}

export function nowIso(): string {
  // Both trackers write UTC as +0000, not Z.
  return new Date().toISOString().replace("Z", "+0000");
}

export function isForbidden(issue: SimIssue, write: boolean): boolean {
  if (issue.forbidden === true || issue.forbidden === "all") return true;
  return issue.forbidden === "write" && write;
}

/** What tests see of an issue: a copy, with the status resolved and versions by name. */
export function snapshotOf(
  issue: SimIssue,
  status: SimStatus,
  versionName: (id: string) => string,
): IssueSnapshot {
  return structuredClone({
    key: issue.key,
    aliases: issue.aliases,
    queue: issue.queue,
    status,
    fields: issue.fields,
    comments: issue.comments.map((c) => ({ id: String(c.id), text: c.text })),
    links: issue.links.map((l) => ({
      id: String(l.id),
      ...(l.globalId === undefined ? {} : { globalId: l.globalId }),
      url: l.url,
      title: l.title,
    })),
    fixVersions: issue.fixVersions.map(versionName),
    forbidden: issue.forbidden,
    version: issue.version,
    assignee: issue.assignee ?? null,
  });
}
