/**
 * What the app hands to the delivery layer, and what the delivery layer hands back to the
 * app's hooks. The store and worker know nothing of Probot or GitHub payloads.
 */
import type { IssueState } from "../core/issue-check.js";
import type { Notice, NotifyRule } from "../core/notify.js";
import type { ActionResult, Plan, PlannedAction } from "../core/types.js";

export interface IncomingDelivery {
  /** X-GitHub-Delivery */
  id: string;
  /** X-GitHub-Event */
  event: string;
  payload: unknown;
  receivedAt: string;
}

/**
 * What is recorded: the payload, or its JSON as received (webhook ingest stores that as it
 * is; the worker parses it when it plans).
 */
export type NewDelivery = Omit<IncomingDelivery, "payload"> &
  ({ payload: unknown; rawPayload?: never } | { rawPayload: string; payload?: never });

/** Where and how to report a delivery's outcome: a check run on a commit. */
export interface ReportTarget {
  installationId: number;
  /** owner/name */
  repo: string;
  headSha: string;
  prNumber: number | null;
  /** Fail the check when the PR has no moving key (a merge gate). */
  requireKey: boolean;
}

/** The planned work of one delivery, committed in one transaction with the delivery. */
export interface PlanSubmission {
  deliveryId: string;
  connection: string;
  /** owner/name */
  repo: string;
  prNumber: number | null;
  prState: "open" | "closed";
  /** The event's own timestamp: older events for the same PR and issue are skipped. */
  eventAt: string;
  /** Orders events of the same second (see `lifecycleRank`); the plan's moves decide when absent. */
  eventRank?: number;
  waitForAllPrs: boolean;
  plan: Plan;
  report: ReportTarget;
  /** Set when the repo config is invalid: reported, nothing executed. */
  configError?: string;
  /**
   * Set for a tracker change: the report is the PR's `trackbridge/issue` check with these
   * statuses (read when planned) and the repo's `merge_gate`, not the `trackbridge` check.
   */
  issueCheck?: { issues: IssueState[]; gate?: string[] };
  /**
   * The repo config has a `merge_gate`: the moves this event makes refresh the linked PRs'
   * `trackbridge/issue` checks. Without a gate the refresh is skipped, because it costs GitHub
   * requests (the PR, the check run) on every move, and the `trackbridge` check shows the move.
   */
  mergeGate?: boolean;
  /**
   * The moving keys the PR names after this event. When given, the PR stops referencing
   * issues it no longer names (a key edited out, a comment deleted).
   */
  prKeys?: string[];
  /** Only the PR's keys changed: recorded, nothing executed, no check run. */
  recordOnly?: boolean;
  /** The repo config's `notify:` rules: which channel hears how each job ends. */
  notify?: NotifyRule[];
  /** A Productboard feature's jobs: no check run (the feature's button shows the outcome). */
  productboard?: true;
}

export type JobState =
  | "pending"
  | "running"
  | "done"
  | "failed" // permanent failure reported on the check run, e.g. no transition
  | "dead" // retries or age exhausted; `trackbridge deliveries retry` runs it again
  | "superseded" // a newer event for the same PR and issue replaced it
  | "skipped" // out of order, or waiting for other PRs
  | "discarded"; // a dead letter an operator gave up on in the console

export interface JobRecord {
  id: number;
  deliveryId: string;
  connection: string;
  repo: string;
  prNumber: number | null;
  key: string;
  action: PlannedAction;
  eventAt: string;
  state: JobState;
  attempts: number;
  /** What happened, in the check run's words. */
  summary: string | null;
  lastError: string | null;
  /** What the finished action returned (a created issue's key, an assignee set). */
  result?: ActionResult | null;
}

/** The app's side of the worker: turning deliveries into plans, running actions, reporting. */
export interface DeliveryHooks {
  /** Runs the Probot handlers for a stored delivery; returns what they planned (none for an irrelevant event). */
  planDelivery(delivery: IncomingDelivery): Promise<PlanSubmission[]>;
  /**
   * Executes one action against the named tracker connection, for `job` (its report names the
   * GitHub installation, should the action need to ask GitHub). Throws `TrackerError`s.
   */
  executeAction(
    connection: string,
    action: PlannedAction,
    job: Pick<JobRecord, "id" | "repo"> & { reportId: number },
  ): Promise<ActionResult>;
  /** Sends one message (one event or a digest) to a server channel. Throws `TrackerError`s. */
  sendMessage?(channel: string, notices: readonly Notice[]): Promise<void>;
  /** Writes the check run for a delivery whose jobs have all settled. */
  report(submission: PlanSubmission, jobs: JobRecord[]): Promise<void>;
  /**
   * Shows work still retrying (the tracker is down, rate-limited) on the check run, so the
   * people on the PR see it while it happens. Called on a job's first retry; best effort.
   */
  progress?(submission: PlanSubmission, jobs: JobRecord[]): Promise<void>;
}

/** A delivery's plans, committed together (`wakesItself`: Store.commitPlan's). */
export interface PlanToCommit {
  deliveryId: string;
  submissions: readonly PlanSubmission[];
  now: number;
  wakesItself?: boolean;
}
