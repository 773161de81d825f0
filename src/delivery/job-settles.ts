/**
 * Finished jobs are settled in batches: the ends that arrive in one turn of the event loop
 * share one transaction, their statements sent together (one round trip per step on
 * PostgreSQL), instead of a transaction of their own each. On PostgreSQL a transaction is a
 * BEGIN and a COMMIT more, and the ends of one claim's jobs arrive close together. A batch
 * that fails (a deadlock with another replica's, a broken connection) is settled again one
 * job at a time, so no job's end is lost with another's.
 *
 * Two batches of two replicas never touch the same job (each settles only what it claimed);
 * the `applied` rows they may share are written in one order (sorted), so they cannot deadlock.
 */
import { type Db, type Querier, together, writeRows } from "./db.js";
import * as messages from "./messages.js";
import * as q from "./queries.js";
import type { JobClaim, JobOutcome } from "./store.js";

type Settled = false | { followed: boolean };

interface Pending {
  claim: JobClaim;
  outcome: JobOutcome;
  now: number;
  resolve: (settled: Settled) => void;
  reject: (error: unknown) => void;
}

/** `finishJob` for the store: queues the end and resolves when its batch commits. */
export function createJobSettles(
  db: Db,
): (claim: JobClaim, outcome: JobOutcome, now: number) => Promise<Settled> {
  let queued: Pending[] = [];

  async function flush(): Promise<void> {
    const batch = queued.sort((a, b) => a.claim.id - b.claim.id);
    queued = [];
    try {
      const settled = await db.tx((tx) => settle(tx, batch));
      for (const [i, item] of batch.entries()) item.resolve(settled[i] ?? false);
    } catch {
      await Promise.all(batch.map(retryAlone));
    }
  }

  async function retryAlone(item: Pending): Promise<void> {
    try {
      item.resolve((await db.tx((tx) => settle(tx, [item])))[0] ?? false);
    } catch (error) {
      item.reject(error);
    }
  }

  return (claim, outcome, now) =>
    new Promise<Settled>((resolve, reject) => {
      queued.push({ claim, outcome, now, resolve, reject });
      if (queued.length === 1) setImmediate(() => void flush());
    });
}

type Finished = {
  kind: string;
  repo: string;
  pr_number: number | null;
  connection: string;
  issue_key: string;
  event_at: string;
  followed: number;
};

/** Every job's end (sent together), then what the ends write besides: messages, applied moves. */
async function settle(tx: Querier, batch: readonly Pending[]): Promise<Settled[]> {
  const finished = await together(
    batch.map(({ claim, outcome, now }) => {
      const result = outcome.result ? JSON.stringify(outcome.result) : null;
      const params = [outcome.state, outcome.summary, outcome.lastError ?? null, result, now];
      return tx.row<Finished>(q.FINISH_JOB, [...params, claim.id, claim.attempts]);
    }),
  );
  const writes: Promise<unknown>[] = [];
  const applied: unknown[][] = [];
  for (const [i, job] of finished.entries()) {
    if (!job) continue;
    const { outcome, now } = batch[i]!;
    writes.push(messages.insertMessages(tx, outcome.messages ?? [], now));
    // Only a move applied to a PR's issue sets the bar later events of that PR are held to.
    if (outcome.state === "done" && job.kind === "move" && job.pr_number !== null) {
      applied.push([job.repo, job.pr_number, job.connection, job.issue_key, job.event_at]);
    }
  }
  // Sorted, and one row per PR and issue (the latest event): a statement may not change a
  // row twice, and two replicas' batches lock the rows they share in one order.
  const latest = new Map<string, unknown[]>();
  for (const row of applied) {
    const key = JSON.stringify(row.slice(0, 4));
    const seen = latest.get(key);
    if (!seen || String(seen[4]) < String(row[4])) latest.set(key, row);
  }
  const rows = [...latest].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, row]) => row);
  writes.push(...writeRows(tx, rows, q.upsertApplied));
  await together(writes);
  return finished.map((job) => (job ? { followed: Number(job.followed) === 1 } : false));
}
