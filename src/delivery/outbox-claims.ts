/**
 * The outbox worker's round of claims: what it holds in flight (deliveries being planned, jobs
 * running, reports and message batches being written) and one round that claims what is due
 * and free slots allow, and starts it. Each task's end says what may have become due next,
 * through `wake`. The loop around it (when a round runs, sleeping, stopping, draining) is
 * outbox-worker.ts.
 */

import { sendBatch } from "./message-steps.js";
import type { WorkerOptions, WorkerPolicy, WorkKind } from "./outbox-policy.js";
import type { HeldClaims } from "./outbox-upkeep.js";
import { errorMessage } from "./runtime.js";
import type { ClaimedReport } from "./store.js";
import { planDelivery, reportDelivery, runJob, type StepDeps } from "./worker-steps.js";

const CLAIM_BATCH = 100;

export interface ClaimRoundContext {
  deps: StepDeps & { policy: WorkerPolicy };
  options: Pick<WorkerOptions, "connectionLimits" | "hooks">;
  /** False once the worker stops: a round in progress claims nothing more. */
  isRunning(): boolean;
  /** A task ended: look for these kinds of work. */
  wake(kinds: WorkKind[]): void;
}

export interface ClaimRound extends HeldClaims {
  running: Map<number, { attempts: number; task: Promise<unknown> }>;
  /** Claims the `wanted` kinds and starts them; true when the job claim hit its batch size. */
  claim(wanted: ReadonlySet<WorkKind>, now: number): Promise<boolean>;
  inFlight(): number;
  /** Every task in flight, to wait for on stop. */
  tasks(): Promise<unknown>[];
}

export function createClaimRound(context: ClaimRoundContext): ClaimRound {
  const { deps, options, isRunning } = context;
  const { store, policy, log } = deps;
  const planning = new Map<string, Promise<void>>();
  const running = new Map<number, { attempts: number; task: Promise<unknown> }>();
  const reporting = new Map<number, Promise<void>>();
  /** Message batches being sent, by claim (the store lets one send per channel run at a time). */
  const sending = new Map<string, Promise<void>>();
  const perConnection = new Map<string, number>();
  /** Reports that may have become due: of a job that ended, of a delivery just planned. */
  const reportsOfJobs = new Set<number>();
  const reportsOfDeliveries = new Set<string>();
  /** The last report claim filled every slot: due reports may be waiting for one. */
  let reportsWaiting = false;
  /** When every due report was last searched for. */
  let searchedAt = 0;

  async function claim(wanted: ReadonlySet<WorkKind>, now: number): Promise<boolean> {
    const leaseMs = policy.leaseMs;
    const planSlots = policy.planConcurrency - planning.size;
    if (wanted.has("deliveries") && planSlots > 0) {
      for (const delivery of await store.claimDeliveries({ now, leaseMs, limit: planSlots })) {
        const task = planDelivery(delivery, deps);
        planning.set(delivery.id, task);
        // A plan adds jobs, or settles its reports at once when they have none.
        track(task, () => {
          planning.delete(delivery.id);
          reportsOfDeliveries.add(delivery.id);
          return ["deliveries", "jobs"];
        });
      }
    }
    if (!isRunning()) return false;
    let saturated = false;
    if (wanted.has("jobs")) {
      const jobs = await store.claimJobs({
        now,
        leaseMs,
        limit: CLAIM_BATCH,
        perConnection: policy.perConnection,
        ...(options.connectionLimits ? { limits: options.connectionLimits } : {}),
        running: perConnection,
      });
      for (const job of jobs) {
        perConnection.set(job.connection, (perConnection.get(job.connection) ?? 0) + 1);
        // The slot is freed once the tracker calls are over (the end is still being written):
        // due jobs wait for a slot only when every slot was taken.
        let held = true;
        const freeSlot = () => {
          if (!held) return;
          held = false;
          const taken = perConnection.get(job.connection) ?? 1;
          if (taken > 1) perConnection.set(job.connection, taken - 1);
          else perConnection.delete(job.connection);
          if (taken >= slotsOf(job.connection)) context.wake(["jobs"]);
        };
        const task = runJob(job, deps, freeSlot);
        running.set(job.id, { attempts: job.attempts, task });
        // A job may settle its report. It frees its issue's next job when one waits (the store
        // says so as it settles it) or goes back to wait itself; anything else due is new (a
        // wake-up) or due later (the timer). Only a job with notification rules drafts
        // messages. A claim that would find nothing is not tried: it costs a transaction.
        track(task, (end) => {
          running.delete(job.id);
          freeSlot();
          reportsOfJobs.add(job.reportId);
          const kinds: WorkKind[] = [];
          if (end?.issueDue !== false) kinds.push("jobs");
          if (job.notify.length > 0) kinds.push("messages");
          return kinds;
        });
      }
      saturated = jobs.length === CLAIM_BATCH;
    }
    if (!isRunning()) return false;
    if (wanted.has("messages") && options.hooks.sendMessage) {
      for (const batch of await store.claimMessages({ now, leaseMs, limit: CLAIM_BATCH })) {
        const task = sendBatch(batch, deps);
        sending.set(batch.claim, task);
        track(task, () => {
          sending.delete(batch.claim);
          return ["messages"];
        });
      }
    }
    if (!isRunning()) return false;
    await claimReports(wanted.has("reports"));
    return saturated;
  }

  /**
   * Every due report (`all`), or those of the jobs and deliveries that just settled. Those named
   * but not claimed (no slot was free, or the claim filled every slot) stay named for the next
   * round, which a report's end starts: searching every unreported report instead costs more
   * the larger the backlog (4 ms a claim at 100 events/s on PostgreSQL ×2, once a backlog grew).
   * Names are claimed CLAIM_BATCH at a time while slots are free (as many passes as the names
   * there were when it began); a claim that fills fewer slots than it had drops the names it
   * was given (those not due wait for a job's end). Each pass asks as of its own start, not
   * the round's: a report planned while the round's other claims ran is due from its plan's
   * time, and asked as of before it, its name would be dropped.
   */
  async function claimReports(all: boolean): Promise<void> {
    let search = all;
    let passes = Math.ceil((reportsOfJobs.size + reportsOfDeliveries.size) / CLAIM_BATCH);
    while (search || passes-- > 0) {
      const now = deps.clock.now();
      if (!search && reportsOfJobs.size + reportsOfDeliveries.size === 0) return;
      const limit = policy.reportConcurrency - reporting.size;
      if (limit <= 0) {
        if (search) reportsWaiting = true;
        return;
      }
      if (search) searchedAt = now;
      // A search finds the named too: their names are kept for a claim of their own.
      const of = search
        ? undefined
        : { reports: take(reportsOfJobs), deliveries: take(reportsOfDeliveries) };
      const reports = await store.claimReports({
        now,
        leaseMs: policy.leaseMs,
        limit,
        ...(of ? { of } : {}),
      });
      if (reports.length === limit && search) reportsWaiting = true;
      if (reports.length === limit && of) {
        const claimed = new Set(reports.map((report) => report.id));
        for (const id of of.reports) if (!claimed.has(id)) reportsOfJobs.add(id);
        for (const id of of.deliveries) reportsOfDeliveries.add(id);
      }
      for (const report of reports) startReport(report);
      search = false;
      if (!isRunning()) return;
    }
  }

  function startReport(report: ClaimedReport): void {
    const task = reportDelivery(report, deps);
    reporting.set(report.id, task);
    track(task, () => {
      reporting.delete(report.id);
      // Slots are free: look for every due report only when some may have waited for one,
      // and once half the slots are free. A search for the one slot a report's end frees
      // fills it and finds more may wait, so under load every end searched again.
      // A search that has waited an idle poll for half the slots goes first all the same:
      // reports no end names (a retry's backoff over, a superseded job's) are not held back
      // by a steady stream of named ones.
      const overdue = deps.clock.now() - searchedAt >= policy.idlePollMs;
      const look = reportsWaiting && (reporting.size <= policy.reportConcurrency / 2 || overdue);
      if (look) reportsWaiting = false;
      return look ? ["reports"] : [];
    });
  }

  /**
   * At most CLAIM_BATCH of the named, the rest left named for the next round: a claim's lists
   * stay short however many reports waited for a slot (a statement of thousands of parameters
   * each round, each of a new length, is slow to plan and, on SQLite, cached).
   */
  function take<T>(named: Set<T>): T[] {
    const taken: T[] = [];
    for (const item of named) {
      if (taken.length === CLAIM_BATCH) break;
      taken.push(item);
    }
    for (const item of taken) named.delete(item);
    return taken;
  }

  /**
   * When a task ends: `settle` forgets it and says what to look for next (its slot is free,
   * its issue unblocked, its report due); the reports it names are looked at in any case.
   */
  function track<T>(task: Promise<T>, settle: (outcome: T | undefined) => WorkKind[]): void {
    task.then(
      (outcome) => context.wake(settle(outcome)),
      (error: unknown) => {
        log.error({ err: errorMessage(error) }, "worker could not record an outcome");
        context.wake(settle(undefined));
      },
    );
  }

  function slotsOf(connection: string): number {
    return options.connectionLimits?.get(connection) ?? policy.perConnection;
  }

  return {
    planning,
    running,
    reporting,
    claim,
    inFlight: () => planning.size + running.size + reporting.size + sending.size,
    tasks: () => [
      ...planning.values(),
      ...[...running.values()].map((r) => r.task),
      ...reporting.values(),
      ...sending.values(),
    ],
  };
}
