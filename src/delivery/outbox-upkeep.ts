/**
 * The outbox worker's upkeep beside its rounds of claims: leases renewed while work is in
 * flight, old payloads pruned, unfinished jobs given back on stop, and the store's wake-ups
 * for other processes' work. Each logs its own failure and never throws: upkeep must not
 * stop the worker.
 */

import type { WorkKind } from "./outbox-policy.js";
import { type Clock, errorMessage, type Logger } from "./runtime.js";
import type { Store } from "./store.js";

/** The claims the worker holds now, by kind. */
export interface HeldClaims {
  running: ReadonlyMap<number, unknown>;
  planning: ReadonlyMap<string, unknown>;
  reporting: ReadonlyMap<number, unknown>;
}

export async function renewClaims(
  store: Store,
  held: HeldClaims,
  until: number,
  log: Logger,
): Promise<void> {
  if (held.running.size + held.planning.size + held.reporting.size === 0) return;
  try {
    await store.renewLeases({
      jobs: [...held.running.keys()],
      deliveries: [...held.planning.keys()],
      reports: [...held.reporting.keys()],
      until,
    });
  } catch (error) {
    log.error({ err: errorMessage(error) }, "worker could not renew its leases");
  }
}

export async function pruneDeliveries(
  store: Store,
  retentionDays: number,
  clock: Clock,
  log: Logger,
): Promise<void> {
  try {
    const { payloadsCleared } = await store.prune({
      olderThanDays: retentionDays,
      now: clock.now(),
    });
    if (payloadsCleared > 0)
      log.info({ payloadsCleared, retentionDays }, "pruned old delivery payloads");
  } catch (error) {
    log.error({ err: errorMessage(error) }, "pruning old deliveries failed");
  }
}

/** Gives back the jobs still running when the stop's time ran out: they stay pending. */
export async function releaseUnfinished(
  store: Store,
  running: ReadonlyArray<readonly [number, { attempts: number }]>,
  now: number,
  log: Logger,
): Promise<void> {
  const claims = running.map(([id, job]) => ({ id, attempts: job.attempts }));
  try {
    await store.releaseJobs(claims, now);
    log.warn(
      { jobs: claims.map((claim) => claim.id) },
      "stopped before these jobs finished; they stay pending",
    );
  } catch (error) {
    log.error(
      { err: errorMessage(error) },
      "could not give unfinished jobs back; their leases will expire",
    );
  }
}

/** The store's wake-ups for other processes' work (PostgreSQL); null where it cannot listen. */
export function watchOtherProcesses(
  store: Store,
  wake: (kinds: readonly WorkKind[] | null) => void,
  log: Logger,
): Promise<{ close(): Promise<void> } | null> {
  return store
    .watch(wake, (error) =>
      log.warn({ err: errorMessage(error) }, "listening for other replicas' work failed"),
    )
    .catch((error: unknown) => {
      log.warn(
        { err: errorMessage(error) },
        "cannot listen for other replicas' work; polling instead",
      );
      return null;
    });
}
