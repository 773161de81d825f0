/**
 * Finds webhook deliveries GitHub could not hand over (the server was down, timed out, or
 * answered 5xx) and asks GitHub to send them again: GitHub never retries on its own.
 * Runs at start-up and every few minutes. The HTTP calls are injected; wire them to an
 * app-level Octokit (JWT auth):
 *
 * @example
 * createRedeliveryPoller({
 *   store, log, intervalMs: 5 * 60_000,
 *   listDeliveries: async (cursor) => {
 *     const response = await octokit.request("GET /app/hook/deliveries", { per_page: 100, ...(cursor ? { cursor } : {}) });
 *     return { deliveries: response.data, nextCursor: cursorFromLinkHeader(response.headers.link) };
 *   },
 *   redeliver: async (id) => {
 *     await octokit.request("POST /app/hook/deliveries/{delivery_id}/attempts", { delivery_id: id });
 *   },
 * });
 */
import { type Clock, errorMessage, type Logger, systemClock } from "./runtime.js";
import type { Store } from "./store.js";

/** One attempt as GET /app/hook/deliveries lists it (newest first); `guid` is X-GitHub-Delivery. */
export interface HookDelivery {
  id: number | bigint;
  guid: string;
  delivered_at: string;
  redelivery: boolean;
  status: string;
  status_code: number;
  event: string;
  action?: string | null;
}

export interface RedeliveryPollerOptions {
  store: Pick<Store, "knownDeliveryIds">;
  /**
   * One page of attempts, newest first, from `cursor` (null: the first page). Paging stops at
   * the last page or once a page reaches past the window.
   */
  listDeliveries: (
    cursor: string | null,
  ) => Promise<{ deliveries: readonly HookDelivery[]; nextCursor: string | null }>;
  /** Asks GitHub to send the attempt with this id again. */
  redeliver: (attemptId: number | bigint) => Promise<void>;
  log: Logger;
  clock?: Clock;
  intervalMs?: number;
  /** GitHub keeps deliveries for 3 days, and redelivers only those. */
  windowMs?: number;
  /** A delivery that failed this many times is left alone: asking again will not help. */
  maxFailuresPerDelivery?: number;
  /** At most this many redelivery requests per run (GitHub rate-limits the App). */
  maxPerRun?: number;
}

export interface RedeliveryPoller {
  start(): void;
  stop(): Promise<void>;
  /** One pass; returns the guids it asked GitHub to send again. */
  runOnce(): Promise<{ requested: string[] }>;
}

/** This server's own permanent refusals: the same payload would be refused again. */
const REFUSED_FOR_GOOD = new Set([400, 413]);
/** A guard against a cursor that never ends: 100 pages of 100 is far more than 3 days of a busy App. */
const MAX_PAGES = 100;
const OVERLAP_MS = 15 * 60_000;

export function createRedeliveryPoller(options: RedeliveryPollerOptions): RedeliveryPoller {
  const { store, log } = options;
  const clock = options.clock ?? systemClock;
  const intervalMs = options.intervalMs ?? 5 * 60_000;
  const windowMs = options.windowMs ?? 3 * 24 * 60 * 60_000;
  const maxFailures = options.maxFailuresPerDelivery ?? 5;
  const maxPerRun = options.maxPerRun ?? 100;
  let interval: NodeJS.Timeout | undefined;
  /**
   * Failures delivered before this moment were all dealt with by an earlier pass. Later passes
   * list back to it (with an overlap for GitHub's listing lag) instead of three days each time:
   * a busy App has thousands of deliveries a day, and each page is an API call.
   */
  let coveredUntil: number | null = null;
  /** How often this process asked for each guid: later passes see only the newest failures. */
  const asked = new Map<string, { count: number; at: number }>();
  let current: Promise<{ requested: string[] }> | null = null;

  async function collect(since: number): Promise<Map<string, HookDelivery[]>> {
    const byGuid = new Map<string, HookDelivery[]>();
    let cursor: string | null = null;
    for (let pages = 0; pages < MAX_PAGES; pages++) {
      const page = await options.listDeliveries(cursor);
      let reachedOld = false;
      for (const attempt of page.deliveries) {
        if (Date.parse(attempt.delivered_at) < since) {
          reachedOld = true;
          continue;
        }
        const attempts = byGuid.get(attempt.guid) ?? [];
        attempts.push(attempt);
        byGuid.set(attempt.guid, attempts);
      }
      cursor = page.nextCursor;
      if (reachedOld || !cursor) break;
    }
    return byGuid;
  }

  async function pass(): Promise<{ requested: string[] }> {
    const now = clock.now();
    const horizon = now - windowMs;
    const byGuid = await collect(
      coveredUntil === null ? horizon : Math.max(horizon, coveredUntil - OVERLAP_MS),
    );
    let complete = true;
    const candidates = new Map<string, { latest: HookDelivery; failures: number }>();
    for (const [guid, attempts] of byGuid) {
      const latest = attempts.reduce((a, b) =>
        Date.parse(b.delivered_at) > Date.parse(a.delivered_at) ? b : a,
      );
      if (succeeded(latest) || REFUSED_FOR_GOOD.has(latest.status_code)) continue;
      const listed = attempts.filter((attempt) => !succeeded(attempt)).length;
      candidates.set(guid, { latest, failures: Math.max(listed, asked.get(guid)?.count ?? 0) });
    }
    const known = await store.knownDeliveryIds([...candidates.keys()]);
    const requested: string[] = [];
    for (const [guid, { latest, failures }] of candidates) {
      if (known.has(guid)) continue;
      if (failures >= maxFailures) {
        log.warn(
          { delivery: guid, failures },
          "webhook delivery keeps failing; not asking GitHub again",
        );
        continue;
      }
      if (requested.length >= maxPerRun) {
        complete = false;
        break;
      }
      try {
        await options.redeliver(latest.id);
        requested.push(guid);
        asked.set(guid, { count: (asked.get(guid)?.count ?? 0) + 1, at: now });
        log.info(
          { delivery: guid, event: latest.event, status: latest.status_code },
          "asked GitHub to redeliver a missed webhook",
        );
      } catch (error) {
        complete = false;
        log.warn({ delivery: guid, err: errorMessage(error) }, "could not ask GitHub to redeliver");
      }
    }
    if (complete) coveredUntil = now;
    for (const [guid, entry] of asked) if (entry.at < horizon) asked.delete(guid);
    return { requested };
  }

  function runOnce(): Promise<{ requested: string[] }> {
    // One pass at a time: a slow listing must not overlap the next tick.
    current ??= pass().finally(() => {
      current = null;
    });
    return current;
  }

  const runLogged = () =>
    void runOnce().catch((error: unknown) =>
      log.warn({ err: errorMessage(error) }, "could not list recent webhook deliveries"),
    );

  return {
    start() {
      if (interval) return;
      runLogged();
      interval = setInterval(runLogged, intervalMs);
    },
    async stop() {
      clearInterval(interval);
      interval = undefined;
      await current?.catch(() => undefined);
    },
    runOnce,
  };
}

function succeeded(attempt: HookDelivery): boolean {
  return attempt.status_code < 400 && attempt.status === "OK";
}
