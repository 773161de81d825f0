/**
 * What the outbox worker is told (its policy, options) and what it offers (`Worker`), apart
 * from the loop itself (outbox-worker.ts) so both stay short.
 */
import { DEFAULT_TRACKER_CONCURRENCY } from "../trackers/connection.js";
import { DEFAULT_MESSAGE_POLICY, type MessagePolicy } from "./message-steps.js";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./retry-policy.js";
import type { Clock, Logger } from "./runtime.js";
import type { Store } from "./store.js";
import type { DeliveryHooks } from "./types.js";

export interface WorkerPolicy extends RetryPolicy, MessagePolicy {
  /** Jobs running at once against one tracker connection (one that `connectionLimits` does not name). */
  perConnection: number;
  /** Deliveries planned at once (each costs a few GitHub API calls). */
  planConcurrency: number;
  reportConcurrency: number;
  /** How long a claim holds without a heartbeat; a crashed process's work is re-run after it. */
  leaseMs: number;
  /** The longest sleep: how soon work added by another process is noticed. */
  idlePollMs: number;
  /**
   * The longest sleep while the store says when other processes add work (PostgreSQL's
   * LISTEN/NOTIFY): a poll for safety only.
   */
  listenPollMs: number;
  /** Payloads of finished deliveries older than this are deleted; null keeps them. */
  retentionDays: number | null;
  pruneEveryMs: number;
  /** However long `yieldTo` holds, a round of claims runs this often: the backlog never starves. */
  yieldMaxMs: number;
}

export const DEFAULT_WORKER_POLICY: WorkerPolicy = {
  ...DEFAULT_RETRY_POLICY,
  ...DEFAULT_MESSAGE_POLICY,
  perConnection: DEFAULT_TRACKER_CONCURRENCY,
  planConcurrency: 4,
  // Reports may wait: check-run writes for one commit are coalesced over a short window.
  reportConcurrency: 16,
  leaseMs: 60_000,
  idlePollMs: 5_000,
  listenPollMs: 30_000,
  retentionDays: null,
  pruneEveryMs: 60 * 60_000,
  yieldMaxMs: 100,
};

export interface WorkerOptions {
  store: Store;
  hooks: DeliveryHooks;
  log: Logger;
  clock?: Clock;
  policy?: Partial<WorkerPolicy>;
  /** Jobs running at once per connection, where its config sets it (`concurrency`). */
  connectionLimits?: ReadonlyMap<string, number>;
  /**
   * True while something more urgent is using the machine (the server answering a burst of
   * webhooks): new claims wait for it, a few ms at a time and at most `yieldMaxMs` in a row.
   * Work in flight goes on.
   */
  yieldTo?: () => boolean;
}

export interface Worker {
  start(): void;
  /**
   * Look for work now: of these kinds (ingest stored a delivery: `["deliveries"]`), or of
   * every kind (an operator's retry, the clock moved).
   */
  wake(kinds?: readonly WorkKind[]): void;
  /** Stops claiming; waits up to `timeoutMs` for work in flight, then gives unfinished jobs back. */
  stop(options: { timeoutMs: number }): Promise<void>;
  /** Resolves when nothing is waiting to be planned, run or reported (tests, the demo). */
  drain(): Promise<void>;
  /** Resolves when nothing is in flight and nothing is due at the clock's current time. */
  idle(): Promise<void>;
  /** Where the worker is in its life: `/readyz` is ready only while it is "running". */
  state(): "new" | "running" | "stopping" | "stopped";
}

export type WorkKind = "deliveries" | "jobs" | "messages" | "reports";
export const ALL_KINDS: readonly WorkKind[] = ["deliveries", "jobs", "messages", "reports"];
