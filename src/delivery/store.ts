/**
 * The delivery log, the outbox and what the worker needs to order and report its jobs.
 * Async because one implementation (sql-store.ts) serves the embedded SQLite file and a
 * PostgreSQL server alike.
 *
 * Times the worker compares (`now`, `nextAt`, leases) are epoch milliseconds; event and
 * receipt times are ISO 8601 strings, normalized so that they sort as text.
 *
 * Claims are fenced: `claimJobs` returns each job with its new `attempts`, and `finishJob` /
 * `rescheduleJob` only touch a job still `running` with that count. A job whose lease
 * expired and was claimed again elsewhere (or released by `stop`) is not overwritten by the
 * late answer of the first run.
 */
import type { NotifyRule } from "../core/notify.js";
import type { ActionResult } from "../core/types.js";
import type { ActionLedger } from "../trackers/apply-other-direction.js";
import type { FeatureLinks } from "../trackers/productboard/follow-feature.js";
import type { StatementCounts } from "./db.js";
import type { Memo } from "./github-memo.js";
import type { LeaseOptions } from "./leases.js";
import type { MessageBatch, MessageDraft, MessageState, StoredMessage } from "./messages.js";
import type {
  IncomingDelivery,
  JobRecord,
  JobState,
  NewDelivery,
  PlanSubmission,
} from "./types.js";

export type DeliveryState = "received" | "planned" | "failed";

/** A job as stored: the shared `JobRecord` plus what the worker and the operator view need. */
export interface StoredJob extends JobRecord {
  reportId: number;
  /** When the delivery that planned it was received: breaks ties between equal `eventAt`s. */
  receivedAt: string;
  waitForAllPrs: boolean;
  result: ActionResult | null;
  nextAt: number;
  leaseUntil: number | null;
  createdAt: number;
  /** Retries count their age from here: creation, or the last manual retry. */
  retryFrom: number;
  updatedAt: number;
  /** The repo's `notify:` rules when the job was planned: who hears how it ends. */
  notify: NotifyRule[];
}

/**
 * A job the worker claimed, with what running it asks first, read with the claim: the
 * connection's shared rate-limit hold (null: none), and the eventAt of the last move applied
 * to this PR and issue (null: none).
 */
export interface ClaimedJob extends StoredJob {
  claimed: { heldUntil: number | null; appliedAt: string | null };
}

/** A received delivery the worker has claimed for planning; `attempts` includes this one. */
export interface ClaimedDelivery extends IncomingDelivery {
  /** Why the stored payload could not be read (it is not JSON); `payload` is null then. */
  unreadable?: string;
  attempts: number;
  retryFrom: number;
}

/** A delivery whose jobs have all settled, claimed for reporting. */
export interface ClaimedReport {
  id: number;
  /** Bumped when a job of the report is retried, so an older report run cannot mark it done. */
  version: number;
  attempts: number;
  submission: PlanSubmission;
  jobs: StoredJob[];
}

/** A report's submission and its jobs as they stand, settled or not. */
export interface ReportSnapshot {
  submission: PlanSubmission;
  jobs: StoredJob[];
}

export interface DeliverySummary {
  id: string;
  event: string;
  receivedAt: string;
  state: DeliveryState;
  attempts: number;
  error: string | null;
  jobs: Partial<Record<JobState, number>>;
}

/** How a claimed job ended (or why it did not run). */
export interface JobOutcome {
  state: Extract<JobState, "done" | "failed" | "dead" | "skipped">;
  summary: string;
  lastError?: string | null;
  result?: ActionResult | null;
  /** Notifications of how it ended, written with the outcome (only if the claim still holds). */
  messages?: MessageDraft[];
}

/** Identifies one claim of a job: its id and the attempt count the claim gave it. */
export interface JobClaim {
  id: number;
  attempts: number;
}

export interface IssueRef {
  connection: string;
  key: string;
  repo: string;
  prNumber: number;
}

export interface Store {
  /** Check-run ids, PR text and tracker holds (github-memo.ts), shared by every replica. */
  readonly memo: Memo;
  /** Issues created, assignees set (action-ledger.ts), features pushed (feature-links.ts). */
  readonly ledger: ActionLedger & FeatureLinks;
  /** Records a verified webhook delivery; a redelivered id is a duplicate, stored once. */
  recordDelivery(delivery: NewDelivery): Promise<"new" | "duplicate">;
  /** Which of these delivery ids are in the log (the redelivery poller asks). */
  knownDeliveryIds(ids: readonly string[]): Promise<Set<string>>;

  /** Received deliveries due for planning, leased for `leaseMs`. */
  claimDeliveries(input: {
    now: number;
    leaseMs: number;
    limit: number;
  }): Promise<ClaimedDelivery[]>;
  /** Planning failed but may work later (e.g. the GitHub API was down). */
  delayDelivery(
    claim: { id: string; attempts: number },
    input: { nextAt: number; error: string },
  ): Promise<void>;
  /** Planning failed for good: the delivery stays `failed` until an operator retries it. */
  failDelivery(claim: { id: string; attempts: number }, error: string): Promise<void>;
  /**
   * In one transaction: one report row per submission, a job per planned action, older
   * pending moves of the same PR and issue superseded, which PRs reference which issue,
   * and the delivery marked `planned`. Returns false when the delivery was no longer
   * waiting to be planned (another worker committed it first); nothing is written then.
   */
  commitPlan(
    deliveryId: string,
    submissions: readonly PlanSubmission[],
    now: number,
    /** The worker planning it wakes itself for the jobs: only other processes are told. */
    wakesItself?: boolean,
  ): Promise<boolean>;

  /**
   * Jobs due now, at most one per issue (the earliest by eventAt, receipt, id, and none while
   * another job of the issue runs), within each connection's free slots. Marks them running
   * until `now + leaseMs` and counts the attempt.
   */
  claimJobs(input: {
    now: number;
    leaseMs: number;
    limit: number;
    /** Slots of a connection that `limits` does not name. */
    perConnection: number;
    /** Slots per connection, where the connection's config sets them. */
    limits?: ReadonlyMap<string, number>;
    running: ReadonlyMap<string, number>;
  }): Promise<ClaimedJob[]>;
  /** Other open PRs that reference the issue, as `owner/name#12`. */
  openPrsReferencing(ref: IssueRef): Promise<Array<{ repo: string; prNumber: number }>>;
  /** Open PRs that move the issue (tracker → GitHub: whose `trackbridge/issue` check to update). */
  openPrsOfIssue(
    connection: string,
    key: string,
  ): Promise<Array<{ repo: string; prNumber: number }>>;
  /** The issues a PR moves, on every connection. */
  issuesOfPr(repo: string, prNumber: number): Promise<Array<{ connection: string; key: string }>>;
  /** Issues of a connection that open PRs move: what the tracker poll asks about. */
  openIssueKeys(connection: string): Promise<string[]>;
  /** The target of the App's own latest finished move of the issue since `since` (the loop guard). */
  lastAppMoveTarget(connection: string, key: string, since: number): Promise<string | null>;
  /** Statements and transactions this store's connection sent so far (`/metrics`, the bench). */
  statementCounts(): StatementCounts;
  /**
   * Calls `onWork` when another process adds work (PostgreSQL: LISTEN/NOTIFY on a connection
   * of its own, reconnected when it drops); with null when some may have been missed. Null on
   * SQLite: one process holds the store, and its worker is woken in-process.
   */
  watch(
    onWork: (kinds: ReadonlyArray<"deliveries" | "jobs"> | null) => void,
    onError: (error: Error) => void,
  ): Promise<{ close(): Promise<void> } | null>;
  /**
   * Settles a claimed job; a `done` move records its eventAt as applied. False when fenced off;
   * `followed`: another job of the issue waits to run (it heads the issue now).
   */
  finishJob(
    claim: JobClaim,
    outcome: JobOutcome,
    now: number,
  ): Promise<false | { followed: boolean }>;
  /**
   * Puts a claimed job back to pending until `nextAt`. False when fenced off. `attempted:
   * false`: the tracker was never called (a shared rate-limit hold), so it costs no attempt.
   */
  rescheduleJob(
    claim: JobClaim,
    input: { nextAt: number; lastError: string; attempted?: boolean },
    now: number,
  ): Promise<boolean>;
  /** Returns still-running claims to pending at once (graceful stop ran out of time). */
  releaseJobs(claims: readonly JobClaim[], now: number): Promise<void>;
  /** Extends the leases of work this process is still doing. */
  renewLeases(input: {
    jobs: readonly number[];
    deliveries: readonly string[];
    reports: readonly number[];
    until: number;
  }): Promise<void>;

  /**
   * Message jobs due now, one batch per channel (every message the channel has waiting, up
   * to the digest's size), skipping channels held back or being sent to.
   */
  claimMessages(input: { now: number; leaseMs: number; limit: number }): Promise<MessageBatch[]>;
  /** Settles a claimed batch and holds its channel until `holdUntil`; 0 when fenced off. */
  settleMessages(
    batch: Pick<MessageBatch, "claim" | "channel">,
    outcome: { state: "sent" | "dead"; error?: string; holdUntil?: number },
    now: number,
  ): Promise<number>;
  /** A batch waits until `nextAt` (with `hold`, its channel too: a 429's wait). */
  rescheduleMessages(
    batch: Pick<MessageBatch, "claim" | "channel">,
    input: { nextAt: number; error: string; hold: boolean },
    now: number,
  ): Promise<number>;
  listMessages(input: { states: readonly MessageState[]; limit: number }): Promise<StoredMessage[]>;
  /** Sends dead messages again (every one, or the one with `id`); returns how many. */
  retryDeadMessages(now: number, id?: number): Promise<number>;

  /** Reports whose jobs have all settled and that are not reported yet, leased for `leaseMs`. */
  /**
   * Due reports, leased: any, or only those `of` these jobs' reports and these deliveries
   * (what a worker knows has just settled: no search of every waiting report).
   */
  claimReports(input: {
    now: number;
    leaseMs: number;
    limit: number;
    of?: { reports: readonly number[]; deliveries: readonly string[] };
  }): Promise<ClaimedReport[]>;
  /** Marks a report done (or given up, with `error`) unless a retry reopened it meanwhile. */
  markReported(claim: { id: number; version: number }, error?: string): Promise<void>;
  delayReport(
    claim: { id: number; version: number },
    input: { nextAt: number; error: string },
  ): Promise<void>;

  /** The earliest moment after `now` at which something becomes due (a retry, a lease expiry). */
  nextDueAt(now: number): Promise<number | null>;
  /** Deliveries waiting to be planned, jobs pending or running, reports not yet written. */
  countOutstanding(): Promise<number>;

  // The operator's view (`trackbridge deliveries`).
  /** The newest deliveries first, optionally only those in one state. */
  listDeliveries(input: { limit: number; state?: DeliveryState }): Promise<DeliverySummary[]>;
  /** Runs `work` holding the named lease, which no other process holds meanwhile (leases.ts). */
  withLease<T>(name: string, work: () => Promise<T>, options?: LeaseOptions): Promise<T>;
  /** The newest delivery whose id starts with `idPrefix` and is still received or has work pending. */
  unfinishedDelivery(idPrefix: string): Promise<string | null>;
  listJobs(input: { states: readonly JobState[]; limit: number }): Promise<StoredJob[]>;
  getJob(id: number): Promise<StoredJob | null>;
  /** A report's submission and jobs now (the check run shows retries while they happen). */
  getReport(id: number): Promise<ReportSnapshot | null>;
  /** Every report about one commit, oldest first: its check run shows them all. */
  reportsForCommit(repo: string, headSha: string): Promise<ReportSnapshot[]>;
  /** Runs a dead or failed job again (attempts and age reset) and reopens its report. */
  retryJob(id: number, now: number): Promise<boolean>;
  /** Runs every dead letter again; returns how many. */
  retryDeadJobs(now: number): Promise<number>;
  /** Plans a `failed` delivery again. */
  retryDelivery(id: string, now: number): Promise<boolean>;

  /**
   * Runs one statement written once for both backends (`?` placeholders), for the console's
   * query module (src/console/queries.ts): its reads and its small writes (audit, sessions,
   * discard) stay in one file, one function per query, instead of widening this interface.
   */
  rows<T>(sql: string, params: readonly unknown[]): Promise<T[]>;
  /** As `rows`, for a write; returns how many rows it changed. */
  run(sql: string, params: readonly unknown[]): Promise<number>;

  /** Deletes the payloads of deliveries older than the retention whose work has finished. */
  prune(input: { olderThanDays: number; now: number }): Promise<{ payloadsCleared: number }>;
  close(): Promise<void>;
}
