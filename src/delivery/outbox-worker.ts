/**
 * The outbox worker: plans received deliveries, runs their jobs, reports settled deliveries.
 * It sleeps on a timer until the next thing is due (a retry, a lease expiry) or until it is
 * woken (a delivery was stored, a job finished, another replica committed jobs: the store's
 * `watch`, PostgreSQL's LISTEN/NOTIFY), with an idle poll so that work another process added
 * (the CLI's `retry` on SQLite) is seen too, and a slow one for safety where the store listens.
 * No busy loop. What a round claims, and what it holds in flight, is outbox-claims.ts.
 *
 * @example
 * const worker = createWorker({ store, hooks, log: app.log });
 * worker.start();
 * // ingest: onStored: () => worker.wake()
 * // on SIGTERM: await worker.stop({ timeoutMs: 8_000 });
 */

import { createClaimRound } from "./outbox-claims.js";
import {
  ALL_KINDS,
  DEFAULT_WORKER_POLICY,
  type Worker,
  type WorkerOptions,
  type WorkerPolicy,
  type WorkKind,
} from "./outbox-policy.js";
import {
  pruneDeliveries,
  releaseUnfinished,
  renewClaims,
  watchOtherProcesses,
} from "./outbox-upkeep.js";
import { errorMessage, systemClock } from "./runtime.js";

export type { Worker, WorkerOptions, WorkerPolicy, WorkKind };
export { DEFAULT_WORKER_POLICY };

const DUE_CHECK_MS = 100;
const YIELD_STEP_MS = 2;

export function createWorker(options: WorkerOptions): Worker {
  const { store, log } = options;
  const clock = options.clock ?? systemClock;
  const policy: WorkerPolicy = { ...DEFAULT_WORKER_POLICY, ...options.policy };
  const claims = createClaimRound({
    deps: { store, hooks: options.hooks, log, clock, policy },
    options,
    isRunning: () => state === "running",
    wake: (kinds) => wake(kinds),
  });
  let drainWaiters: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  let idleWaiters: Array<() => void> = [];
  let timer: NodeJS.Timeout | undefined;
  /** Brings back a round that gave way to `yieldTo`; `timer` keeps the next due time meanwhile. */
  let yieldTimer: NodeJS.Timeout | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let pruner: NodeJS.Timeout | undefined;
  /** The store's wake-ups for other processes' work, once it listens (PostgreSQL). */
  let watching: Promise<{ close(): Promise<void> } | null> = Promise.resolve(null);
  let pollMs = policy.idlePollMs;
  let state: "new" | "running" | "stopping" | "stopped" = "new";
  let ticking: Promise<void> | null = null;
  let scheduled = false;
  let again = false;
  /** What may have become due since the last claim of it ("reports": any report). */
  const dirty = new Set<WorkKind>(ALL_KINDS);
  let dueCheckedAt = Number.NEGATIVE_INFINITY;
  /** When a round last looked for every kind: at least every idle poll, however busy. */
  let fullRoundAt = Number.NEGATIVE_INFINITY;

  const inFlight = () => claims.inFlight();
  /** When the worker began holding its claims back for `yieldTo` (real time, not `clock`). */
  let yieldingSince: number | null = null;

  /**
   * Wake-ups say what may have become due, so a round claims only that: a finished job can
   * free its issue's next job and its own report, never a delivery to plan. Under load most
   * claims would find nothing, and a search of every waiting report or job grows with the
   * backlog.
   */
  function wake(kinds: readonly WorkKind[] = ALL_KINDS): void {
    if (state !== "running") return;
    for (const kind of kinds) dirty.add(kind);
    if (ticking) {
      again = true;
      return;
    }
    if (scheduled) return;
    // Tasks that end in the same turn of the event loop share one round of claims.
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      if (state !== "running" || ticking) return;
      ticking = tick().finally(() => {
        ticking = null;
        // Woken after the tick's last claim: look again rather than lose the wake-up.
        if (again) wake([...dirty]);
      });
    });
  }

  async function tick(): Promise<void> {
    if (yielding()) return;
    try {
      // Claim again only when woken meanwhile or a claim came back full: a task that ends
      // wakes the worker anyway, and each needless round costs three queries.
      let saturated = false;
      do {
        again = false;
        saturated = await claimAndStart();
      } while ((again || saturated) && state === "running");
      if (state === "running") await sleepUntilDue();
    } catch (error) {
      log.error({ err: errorMessage(error) }, "worker could not read the store; will try again");
      if (state === "running") sleep(policy.idlePollMs);
      return;
    }
    if (inFlight() === 0 && !again) await settleWaiters();
  }

  /** True (and a wake-up set) when this round gives way to `yieldTo`. */
  function yielding(): boolean {
    if (!options.yieldTo?.()) {
      yieldingSince = null;
      return false;
    }
    const now = performance.now();
    yieldingSince ??= now;
    if (now - yieldingSince >= policy.yieldMaxMs) {
      yieldingSince = null;
      return false;
    }
    // What the round was woken for stays marked; the timer brings it back.
    clearTimeout(yieldTimer);
    yieldTimer = setTimeout(() => wake([]), YIELD_STEP_MS);
    return true;
  }

  /** Claims what is due and free slots allow, starts it; true when a claim hit its batch size. */
  async function claimAndStart(): Promise<boolean> {
    const now = clock.now();
    // What no wake-up names is still found: work another process added (a replica, the CLI),
    // a report whose last job a newer event superseded. The timer that would look is put off
    // by every round while the worker is busy, so a round looks everywhere this often.
    if (now - fullRoundAt >= policy.idlePollMs) for (const kind of ALL_KINDS) dirty.add(kind);
    const wanted = new Set(dirty);
    dirty.clear();
    if (ALL_KINDS.every((kind) => wanted.has(kind))) fullRoundAt = now;
    const saturated = await claims.claim(wanted, now);
    if (saturated) dirty.add("jobs");
    return saturated;
  }

  /**
   * Sets the timer for the next retry, lease expiry or gathered message. While tasks are in
   * flight their ends wake the worker anyway, so the store is asked at most every
   * DUE_CHECK_MS then; the round after the last task ends always asks.
   */
  async function sleepUntilDue(): Promise<void> {
    const now = clock.now();
    if (inFlight() > 0 && now - dueCheckedAt < DUE_CHECK_MS) return;
    dueCheckedAt = now;
    const due = await store.nextDueAt(now);
    // Someone waits for every replica's work to end (drain): the others' ends notify nothing.
    const poll = drainWaiters.length > 0 ? policy.idlePollMs : pollMs;
    sleep(due === null ? poll : Math.min(Math.max(due - now, 0), poll));
  }

  function sleep(ms: number): void {
    clearTimeout(timer);
    timer = setTimeout(wake, ms);
  }

  async function settleWaiters(): Promise<void> {
    const idle = idleWaiters;
    idleWaiters = [];
    for (const resolve of idle) resolve();
    if (drainWaiters.length === 0 || state !== "running") return;
    try {
      if ((await store.countOutstanding()) > 0) return;
    } catch (error) {
      log.error({ err: errorMessage(error) }, "worker could not count outstanding work");
      return;
    }
    const drained = drainWaiters;
    drainWaiters = [];
    for (const waiter of drained) waiter.resolve();
  }

  const renewLeases = () => renewClaims(store, claims, clock.now() + policy.leaseMs, log);
  const prune = (retentionDays: number) => pruneDeliveries(store, retentionDays, clock, log);

  return {
    start() {
      if (state !== "new") throw new Error(`worker cannot start: it is ${state}`);
      state = "running";
      heartbeat = setInterval(
        () => void renewLeases(),
        Math.max(Math.floor(policy.leaseMs / 3), 1),
      );
      const { retentionDays } = policy;
      if (retentionDays !== null) {
        void prune(retentionDays);
        pruner = setInterval(() => void prune(retentionDays), policy.pruneEveryMs);
      }
      watching = watchOtherProcesses(store, (kinds) => wake(kinds ?? ALL_KINDS), log).then(
        (listening) => {
          if (listening) pollMs = Math.max(policy.listenPollMs, policy.idlePollMs);
          return listening;
        },
      );
      wake();
    },

    wake: (kinds) => wake(kinds),

    state: () => state,

    async stop({ timeoutMs }) {
      if (state !== "running") return;
      state = "stopping";
      clearTimeout(timer);
      clearTimeout(yieldTimer);
      clearInterval(pruner);
      await (await watching)?.close().catch(() => {});
      // A tick in progress may still be claiming: let it finish so its claims are waited for too.
      await ticking;
      const tasks = claims.tasks();
      let timeout: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        Promise.allSettled(tasks).then(() => false),
        new Promise<boolean>((resolve) => {
          timeout = setTimeout(() => resolve(true), timeoutMs);
        }),
      ]);
      clearTimeout(timeout);
      clearInterval(heartbeat);
      if (timedOut && claims.running.size > 0) {
        await releaseUnfinished(store, [...claims.running], clock.now(), log);
      }
      state = "stopped";
      const stopped = new Error("worker stopped");
      for (const waiter of drainWaiters) waiter.reject(stopped);
      drainWaiters = [];
      for (const resolve of idleWaiters) resolve();
      idleWaiters = [];
    },

    drain() {
      if (state !== "running") return Promise.reject(new Error(`worker is ${state}`));
      return new Promise<void>((resolve, reject) => {
        drainWaiters.push({ resolve, reject });
        wake();
      });
    },

    idle() {
      if (state !== "running") return Promise.resolve();
      return new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        wake();
      });
    },
  };
}
