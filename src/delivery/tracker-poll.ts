/**
 * The fallback for lost tracker webhooks (TrackDuck's search-based poll): every interval,
 * each connection is asked which of the issues open PRs move changed since the last poll.
 * Each change becomes the same stored signal a webhook would have made; the worker plans it
 * like one (and the loop guard drops the App's own moves).
 *
 * The last poll's time lives in memory: after a restart the first poll looks back one hour
 * (or one interval, if longer), so a change made while the server was down is still seen.
 *
 * @example
 * const poll = createTrackerPoller({ store, trackers, intervalMs: 300_000, log, onStored: () => worker.wake() });
 * poll.start(); // … await poll.stop();
 */
import type { Tracker } from "../trackers/port.js";
import { type Clock, errorMessage, type Logger, systemClock } from "./runtime.js";
import type { Store } from "./store.js";
import { TRACKER_EVENT, type TrackerSignal } from "./tracker-ingest.js";

export interface TrackerPollerOptions {
  store: Pick<Store, "openIssueKeys" | "recordDelivery">;
  trackers: ReadonlyMap<string, Pick<Tracker, "updatedSince">>;
  intervalMs: number;
  onStored?: () => void;
  log: Logger;
  clock?: Clock;
}

/** Tracker clocks and ours differ a little, and Jira counts whole minutes: look back a bit more. */
const OVERLAP_MS = 60_000;
const FIRST_LOOK_BACK_MS = 60 * 60_000;

export interface TrackerPoller {
  start(): void;
  stop(): Promise<void>;
  /** One pass over every connection; returns the signals it stored. */
  runOnce(): Promise<TrackerSignal[]>;
}

export function createTrackerPoller(options: TrackerPollerOptions): TrackerPoller {
  const { store, trackers, intervalMs, log } = options;
  const clock = options.clock ?? systemClock;
  const startedAt = clock.now();
  const lastPoll = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | null = null;

  async function pollConnection(name: string, tracker: Pick<Tracker, "updatedSince">) {
    const keys = new Set(await store.openIssueKeys(name));
    if (keys.size === 0) return [];
    const projects = [...new Set([...keys].map((key) => key.replace(/-\d+$/, "")))];
    const now = clock.now();
    const since =
      (lastPoll.get(name) ?? startedAt - Math.max(intervalMs, FIRST_LOOK_BACK_MS)) - OVERLAP_MS;
    const changed = (await tracker.updatedSince(projects, since)).filter((key) => keys.has(key));
    const stored: TrackerSignal[] = [];
    for (const key of changed) {
      const payload: TrackerSignal = { connection: name, key, origin: "poll" };
      const id = `poll:${name}:${key}:${now}`;
      const receivedAt = new Date(now).toISOString();
      if ((await store.recordDelivery({ id, event: TRACKER_EVENT, payload, receivedAt })) === "new")
        stored.push(payload);
    }
    lastPoll.set(name, now);
    return stored;
  }

  async function runOnce(): Promise<TrackerSignal[]> {
    const stored: TrackerSignal[] = [];
    for (const [name, tracker] of trackers) {
      try {
        stored.push(...(await pollConnection(name, tracker)));
      } catch (error) {
        // The next poll looks back to the last good one: nothing is skipped.
        log.warn({ connection: name, err: errorMessage(error) }, "tracker poll failed");
      }
    }
    if (stored.length > 0) {
      log.info({ changes: stored.length }, "tracker poll found changes");
      options.onStored?.();
    }
    return stored;
  }

  function schedule(): void {
    timer = setTimeout(() => {
      running = runOnce().finally(() => {
        running = null;
        if (timer !== undefined) schedule();
      });
    }, intervalMs);
  }

  return {
    start() {
      if (intervalMs > 0) schedule();
    },
    async stop() {
      clearTimeout(timer);
      timer = undefined;
      await running;
    },
    runOnce,
  };
}
