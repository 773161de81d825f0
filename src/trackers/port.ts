/**
 * The one port every tracker adapter implements. Calls map to as few HTTP requests as the
 * tracker allows: `getIssue(key, { transitions: true })` is one request on both Yandex
 * Tracker and Jira (`expand=transitions`), so a one-step move costs two calls and a no-op
 * one. A routed move of k steps costs about k+1: Yandex's `_execute` answers with the next
 * transitions; Jira needs a re-read between steps (2k). The workflow graph is read once per
 * queue/project and issue type and cached (see `workflow`).
 */

export type { WorkflowGraph } from "../core/route.js";
// Statuses and transitions are core vocabulary: the core matches config targets against them.
export type { TrackerStatus, TrackerTransition } from "../core/types.js";

import type { WorkflowGraph } from "../core/route.js";
import type { TrackerStatus, TrackerTransition } from "../core/types.js";

/** Which workflow an issue follows: one per queue/project and issue type. */
export interface WorkflowScope {
  /** Yandex queue key; Jira project id. */
  project: string;
  /** Yandex type key; Jira issue type id. */
  issueType: string;
  /** For messages: "PROJ (Task)". */
  name: string;
}

export interface TrackerIssue {
  /** The issue's current key; differs from the asked key when the issue was moved. */
  key: string;
  /** Earlier keys of a moved issue. */
  aliases: string[];
  status: TrackerStatus;
  /** Present when asked for with `{ transitions: true }`. */
  transitions?: TrackerTransition[];
  /** The workflow the issue follows, when the tracker said (it does on every read here). */
  scope?: WorkflowScope;
  /**
   * GitHub Projects: whether the issue is an item of the connection's project (a write adds
   * it). Absent for the other trackers, whose issues are their project's by their key.
   */
  onProject?: boolean;
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

/** An issue trackbridge creates for a pull request that names none. */
export interface NewIssue {
  /** Yandex queue key; Jira project key. */
  project: string;
  /** Issue type: Yandex type key (`task`), Jira type name (`Task`); the tracker's default when absent. */
  type?: string;
  summary: string;
  /** Plain text; the adapter converts it (Jira Cloud: ADF). */
  description: string;
  /**
   * The same for every try of one PR's create: Yandex `unique` (a second create answers 409),
   * a Jira label searched for before creating again.
   */
  marker: string;
}

/** A person as the tracker names them on an issue. */
export interface TrackerUser {
  /** What `setAssignee` took and the issue shows: Yandex uid, Jira Cloud accountId, Data Center name. */
  id: string;
  display: string;
}

/** A queue's/project's statuses and workflow, as `trackbridge init` reads them. */
export interface ProjectWorkflow {
  /** Every status the queue's/project's issues can be in, once per key, with categories. */
  statuses: TrackerStatus[];
  /**
   * The workflow of its main issue type (Task, else the first): where new issues start and
   * which status leads to which. `unreadable` says why when the tracker does not serve it.
   */
  graph: WorkflowGraph;
}

/** Who the connection's token belongs to: the console's "Test connection" shows this, never the token. */
export interface TrackerIdentity {
  name: string;
  login: string | null;
}

export interface Tracker {
  /** The server connection's name, used in every error message. */
  readonly connection: string;
  /** The connection's kind (`TrackerKind.type`). */
  readonly type: string;
  getIssue(key: string, options?: { transitions?: boolean }): Promise<TrackerIssue>;
  /**
   * One request. Resolves with the transitions available from the new status when the
   * tracker answers with them (Yandex `_execute`), null when it does not (Jira: 204).
   */
  executeTransition(
    key: string,
    transitionId: string,
    /** Where the transition leads, so the adapter can learn the edges that follow it. */
    context?: { scope?: WorkflowScope; to?: TrackerStatus },
  ): Promise<TrackerTransition[] | null>;
  /**
   * The workflow graph of the issue's queue/project and issue type, merged with the edges
   * learned from every transitions list this adapter has seen. Cost: 0 requests when cached
   * (TTL 10 minutes, per scope); else Yandex 3 (`GET /v2/queues/{q}/workflows`,
   * `GET /v2/workflows/{id}`, `GET /v2/statuses`), Jira Cloud 1 (`POST /rest/api/3/workflows`),
   * Jira Data Center 0 (it has no graph API: learned edges only). A graph the tracker refuses
   * (403, 404) comes back as learned edges with `unreadable` saying why; `refresh` reads it
   * again (a step failed because the workflow changed). Rejects only for retryable failures.
   */
  workflow(issue: TrackerIssue, options?: { refresh?: boolean }): Promise<WorkflowGraph>;
  /**
   * The statuses and workflow of a whole queue/project, for `trackbridge init`. Cost: Yandex
   * 2 + one per workflow bound to the queue (`GET /v2/queues/{q}/workflows`, `GET
   * /v2/workflows/{id}`, `GET /v2/statuses`); Jira Cloud 3 (`GET /rest/api/3/project/{key}/statuses`,
   * `GET /rest/api/3/project/{key}`, `POST /rest/api/3/workflows`); Jira Data Center 1
   * (`GET /rest/api/2/project/{key}/statuses`, no graph). Rejects with `not_found` when the
   * queue/project does not exist; a Jira graph the tracker refuses comes back `unreadable`.
   */
  projectWorkflow(project: string): Promise<ProjectWorkflow>;
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
  addFixVersion(
    key: string,
    version: string,
    options?: FixVersionOptions,
  ): Promise<"added" | "created" | "exists">;
  /**
   * Creates the issue once per `marker`. `earlierTryUnknown`: an earlier try may have created
   * it without the answer arriving. Yandex: 1 request (`POST /v2/issues` with `unique`), 2 more
   * on a 409 (`POST /v2/issues/_search` by `unique`). Jira: 1 (`POST …/issue`), plus 1 search
   * (`labels = "<marker>"`) first, only when `earlierTryUnknown`. Optional on the port: an
   * adapter without it declares creating unavailable.
   */
  createIssue?(
    issue: NewIssue,
    options?: { earlierTryUnknown?: boolean },
  ): Promise<{ key: string; created: boolean }>;
  /**
   * Takes the PR's link off the issue. Jira: 1 request (`DELETE …/remotelink?globalId=`).
   * Yandex: the comments read (1 per 100) and 1 edit (`edit`: says the PR no longer refers to
   * the issue) or delete of the link comment. "absent": there was no link.
   */
  unlink?(
    key: string,
    link: PullRequestLink,
    options?: { yandexComment?: "edit" | "delete" },
  ): Promise<"removed" | "absent">;
  /** One request: the issue's assignee, null when none. */
  getAssignee?(key: string): Promise<TrackerUser | null>;
  /** One request: assigns the issue to the tracker login (Yandex login, Jira accountId or name). */
  setAssignee?(key: string, login: string): Promise<TrackerUser>;
  /**
   * The tracker's user with this e-mail, `id` being what `setAssignee` takes (Jira Cloud
   * accountId, Data Center name, Linear user id, YouTrack and Yandex login); null when no
   * single user has it. For `match: email`. Jira, Linear, YouTrack: 1 search request;
   * Yandex: the organization's users, one request per page, read at most once an hour.
   */
  findUserByEmail?(email: string): Promise<TrackerUser | null>;
  /** One request (`/myself` on both trackers): proves the URL answers and the token is accepted. */
  whoAmI(): Promise<TrackerIdentity>;
  /**
   * One request: a queue/project the token can see, with one of its issue types, so
   * `trackbridge doctor` can read a workflow before any issue needs it (Yandex
   * `GET /v2/queues?perPage=1`, Jira `GET …/project/search?maxResults=1&expand=issueTypes`).
   * Null when the token sees none.
   */
  someWorkflowScope(): Promise<WorkflowScope | null>;
  /**
   * Keys of the issues in these queues/projects updated at or after `since` (epoch ms): the
   * poll that catches changes whose webhook was lost. One search request per 100 issues
   * (Yandex `POST /v2/issues/_search` with an `updatedAt` filter, Jira JQL `updated >= …`).
   */
  updatedSince(projects: readonly string[], since: number): Promise<string[]>;
}

export interface FixVersionOptions {
  /**
   * Runs a version's find-then-create alone (per connection, queue and name) across every
   * replica: a release's issues are stamped in parallel, and a tracker may accept a second
   * version of the same name (neither Yandex Tracker nor Jira documents a refusal).
   */
  serializeCreate?: <T>(name: string, create: () => Promise<T>) => Promise<T>;
}
