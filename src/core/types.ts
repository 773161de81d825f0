/**
 * The domain types every ring shares. Nothing here knows GitHub's payload shapes or a
 * tracker's JSON: the app normalizes webhooks into `PrEvent`, adapters map tracker JSON
 * into `TrackerIssue`.
 */

/** Where a key was read from, in the order keys are listed. */
export const KEY_SOURCES = ["branch", "title", "body", "comments", "commits"] as const;
export type KeySource = (typeof KEY_SOURCES)[number];

/**
 * How a connection's issues are named in a pull request: `PROJ-123` (every tracker that has
 * project keys, and Redmine/RT with their prefix), or GitHub issue references (`#12`,
 * `owner/repo#12`) for a GitHub project, where a bare `#12` is an issue of `repo`.
 */
export type KeyStyle =
  | { kind: "project" }
  /**
   * `branches`: a branch named as GitHub names one made from an issue (`12-login-form`, also
   * under a folder: `feature/12-login-form`) is that issue's. Only the Action reads it: the App
   * has the PR's own text and GitHub's closing references, and a number in a branch is no
   * reference there.
   */
  | { kind: "github"; repo: string; branches?: boolean };

/** A moving key is transitioned; a reference (after "refs", "part of", …) is only linked. */
export type KeyRole = "moving" | "reference";

export interface FoundKey {
  key: string;
  role: KeyRole;
  source: KeySource;
}

/** Where each stage of the life puts an issue: the config's `statuses:` and `deployments:`. */
export type LifecycleStatuses = Partial<Record<MoveTrigger, string | readonly string[]>>;

/** What just happened to the pull request, named as the repo config names statuses. */
export const TRIGGERS = [
  "opened",
  "draft",
  "ready",
  "approved",
  "changes_requested",
  "merged",
  "closed",
] as const;
export type Trigger = (typeof TRIGGERS)[number];

/**
 * What a move answers to: a pull-request trigger, or a step of the delivery life after it
 * (work started on a branch, a deployment to an environment, a release).
 */
export type MoveTrigger = Trigger | "started" | "deployed" | "released";

export interface RepoRef {
  owner: string;
  name: string;
}

export interface PullRequestRef {
  number: number;
  url: string;
  title: string;
}

/**
 * One pull-request event, normalized once from the webhook payload.
 * `trigger` is null for events that only add keys (edited, a new comment): the plan then
 * links new keys and moves them to the PR's current state.
 */
export interface PrEvent {
  repo: RepoRef;
  pr: {
    number: number;
    url: string;
    branch: string;
    title: string;
    body: string;
    merged: boolean;
    draft: boolean;
    state: "open" | "closed";
    headSha: string;
    /** The PR's author, its assignees and who merged it: whom `assignee.from` names. */
    author?: string;
    assignees?: string[];
    mergedBy?: string | null;
  };
  trigger: Trigger | null;
  /** The PR's state after this event, used when `trigger` is null. */
  currentState: Trigger;
  actor: { login: string; isBot: boolean };
  /** The event's own timestamp (ISO 8601), used to skip out-of-order events. */
  at: string;
  /** Extra text sources the app fetched: conversation comments and commit messages. */
  comments: string[];
  commits: string[];
  /** GitHub's `closingIssuesReferences` (`owner/repo#12`), read only for a GitHub project. */
  closingIssues?: string[];
}

/** A deployment that reached `success` with an environment URL. */
export interface DeploymentEvent {
  repo: RepoRef;
  ref: string;
  sha: string;
  environment: string;
  url: string;
  headCommitMessage: string;
  at: string;
  /** Messages of the commits deployed since the environment's last successful deployment. */
  commits?: string[];
  /** Set when GitHub's compare listed more commits than were read: the report says so. */
  commitsCapped?: CommitsCapped;
}

/** GitHub listed more commits than were read; `total` is null when it did not say how many. */
export interface CommitsCapped {
  read: number;
  total: number | null;
}

/** Work started: a branch was created, or pushed to for the first time. */
export interface BranchEvent {
  repo: RepoRef;
  branch: string;
  sha: string;
  at: string;
}

/** A published GitHub release, with the commits since the previous release's tag. */
export interface ReleaseEvent {
  repo: RepoRef;
  tag: string;
  sha: string;
  prerelease: boolean;
  at: string;
  /** Messages of the commits between the previous release's tag and this one. */
  commits: string[];
  commitsCapped?: CommitsCapped;
}

/**
 * One intended action. A plan is a list of these: printed by `trackbridge plan`, stored in
 * the outbox by the app, executed directly by the Action.
 */
export type PlannedAction =
  | {
      kind: "move";
      key: string;
      /** Status key, display name or transition id, exactly as the config gave it. */
      target: string;
      trigger: MoveTrigger;
      /** Statuses the issue is never moved out of. */
      protect: string[];
      /**
       * The config's `statuses:` section: where each stage of a PR's life puts an issue.
       * The never-backwards rule reads the lifecycle order from it. Absent on jobs stored
       * before routing existed and on Action moves without a config: no lifecycle order.
       * `deployed` may name several statuses: one per environment in `deployments:`.
       */
      statuses?: LifecycleStatuses;
      /** Config `reopen: true`: an issue in a done-category status may be moved. */
      reopen?: boolean;
      /** Config `routes:` entry for this target: statuses to pass through, in order. */
      via?: string[];
      /**
       * Set by the worker when this PR has moved the issue before: its newer events are the
       * PR's own life (back to draft, changes requested), not late ones, so the config's
       * stage order does not hold them back.
       */
      followsPr?: boolean;
      /**
       * A sync's move: derived from where the PR stands now, not an event of its life, so it
       * never follows the PR back (`followsPr` is not set for it).
       */
      derived?: boolean;
    }
  | { kind: "link"; key: string; pr: PullRequestRef & { repo: string } }
  /**
   * Creates an issue for a PR that names none. `key` is a stand-in (`PROJ (new)`) until the
   * tracker answers; the same `marker` on every try makes it one issue however often it runs.
   */
  | {
      kind: "create";
      key: string;
      project: string;
      type?: string;
      summary: string;
      description: string;
      marker: string;
      pr: PullRequestRef & { repo: string };
      /** Where the new key is written back on the PR: its title (`KEY: title`) or a comment. */
      writeBack: "title" | "comment";
      /** Who asked: the `/trackbridge create` command, the config's label, or `when: no_key`. */
      via: "command" | "label" | "no_key";
    }
  /** Takes the PR's link off an issue the PR no longer names; never moves the issue. */
  | {
      kind: "unlink";
      key: string;
      pr: PullRequestRef & { repo: string };
      /** Yandex Tracker's link comment: edited to say so (default) or deleted. */
      yandexComment: "edit" | "delete";
    }
  /**
   * Assigns the issue to the tracker login the server's people map gives `person` (a GitHub
   * login). An assignee a person set is left alone unless `overwrite`.
   */
  | {
      kind: "assign";
      key: string;
      person: string;
      from: "author" | "assignees" | "merger";
      overwrite: boolean;
      /**
       * `match: email`: a person the people map lacks is looked up by the public e-mail on
       * their GitHub profile, read when the job runs (never stored: rows written before this
       * may still carry an `email`, which nothing reads).
       */
      match?: "email";
    }
  /**
   * A Productboard feature follows the work. `push`: its issue is created in the configured
   * connection (once) and the feature's button connected to it; `follow`: the feature's status
   * follows the issue's (a deleted issue unlinks it); `unlink`: the issue is forgotten. `key`
   * is the feature's id, so one feature's jobs run in order.
   */
  | {
      kind: "feature";
      key: string;
      op: "push" | "follow" | "unlink";
      /** The feature's page, as Productboard sent it with a push. */
      featureUrl?: string;
      /** follow: the issue whose status the feature takes. */
      issue?: { connection: string; key: string };
    }
  | { kind: "set_field"; key: string; field: string; value: string }
  /** Adds a release to the issue's fix versions, creating the version when the project lacks it. */
  | { kind: "fix_version"; key: string; version: string }
  | {
      kind: "comment";
      key: string;
      text: string;
      /** Written into the comment so a re-run after a crash finds it and does not post twice. */
      marker: string;
    };

/** Why a found key got no action; shown on the check run. */
export interface SkippedKey {
  key: string;
  reason: string;
}

export interface Plan {
  keys: FoundKey[];
  actions: PlannedAction[];
  skipped: SkippedKey[];
  /** Things the people on the PR should know, e.g. "body truncated at 65536 characters". */
  notes: string[];
}

/** What executing one action did, in words the check run shows. */
export interface ActionResult {
  action: PlannedAction;
  ok: boolean;
  /** e.g. "moved Open → Ready for test", "already in Ready for test", "not found". */
  summary: string;
  /** A `create`'s issue key, for the write-back to the PR. */
  created?: string;
  /** What an `assign` set: the login asked for and the id the tracker shows for it. */
  assigned?: { login: string; id: string };
}

/**
 * The tracker's own coarse order of statuses: Jira `statusCategory` (new / indeterminate /
 * done), Yandex Tracker status `type` (new, paused / inProgress / done, cancelled).
 */
export type StatusCategory = "todo" | "in_progress" | "done";

/** A tracker status as the core compares it with config targets. */
export interface TrackerStatus {
  /** Machine key (Yandex `status.key`, Jira status id). */
  key: string;
  /** What people see: "Ready for test". */
  display: string;
  /** Known when the tracker said it (Jira issues) or from the workflow graph's status list. */
  category?: StatusCategory;
}

export interface TrackerTransition {
  id: string;
  display: string;
  to: TrackerStatus;
  /** Fields the transition's screen requires (Jira `hasScreen` + `fields[].required`), by name. */
  requiredFields?: string[];
  /** The transition has a screen whose fields the tracker does not list (Yandex `screen`). */
  hasScreen?: boolean;
}
