/**
 * The Productboard section's part of the processing thread, around the App's own hooks: a
 * `productboard` delivery plans feature jobs; a feature job runs against Productboard and the
 * configured tracker connection; a move the App made to an issue that features follow, or its
 * 404 when the App touched it, plans the features' `follow` jobs. A person's change, told by
 * a tracker's webhook, the poll or a GitHub project's item, is followed where it is planned
 * (plan-issue-change.ts), past the loop guard that drops the echo of the App's own move.
 * Feature jobs write no check run: their report is the button of a feature whose push ended
 * without an issue.
 */
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { ServerConfig } from "../config/server-config.js";
import { changedStatus } from "../core/notify.js";
import { errorMessage } from "../delivery/runtime.js";
import type { Store } from "../delivery/store.js";
import type { DeliveryHooks, JobRecord, JobState } from "../delivery/types.js";
import { FEATURE_EVENT, type FeatureSignal, planFeatureSignal } from "../handlers/plan-feature.js";
import { sendHttp } from "../http/send.js";
import { TrackerError } from "../trackers/errors.js";
import { kindOf } from "../trackers/kinds.js";
import type { Tracker } from "../trackers/port.js";
import { createProductboardClient } from "../trackers/productboard/client.js";
import { applyFeatureAction, showPushFailed } from "../trackers/productboard/follow-feature.js";
import { withoutSecrets } from "./without-secrets.js";

export interface ProductboardHookOptions {
  config: ServerConfig;
  store: Store;
  trackers: ReadonlyMap<string, Tracker>;
  timeoutMs: number;
  /** Every secret the server holds: blanked from a feature job's error. */
  secrets: readonly string[];
  /** Wakes the worker for deliveries recorded here. */
  wake: () => void;
  log: Logger;
}

/** How a job ends when the outbox gives up on it (worker-steps.ts). */
const GAVE_UP: ReadonlySet<JobState> = new Set(["failed", "dead"]);

/** `hooks` unchanged without a `productboard:` section; else with the features following. */
export function withProductboard(
  hooks: DeliveryHooks,
  options: ProductboardHookOptions,
): DeliveryHooks {
  const section = options.config.productboard;
  if (!section) return hooks;
  const { store, log } = options;
  const links = store.ledger;
  const productboard = createProductboardClient(section, {
    send: sendHttp,
    timeoutMs: options.timeoutMs,
  });
  const connection = options.config.connections.find((c) => c.name === section.connection);

  /** Records that features of this issue may have to follow it (once per `id`). */
  async function signalFollow(id: string, connectionName: string, keys: string[]) {
    if ((await links.featuresOfIssue(connectionName, keys)).length === 0) return false;
    const payload: FeatureSignal = { op: "follow", connection: connectionName, keys };
    const receivedAt = new Date().toISOString();
    const outcome = await store.recordDelivery({ id, event: FEATURE_EVENT, payload, receivedAt });
    return outcome === "new";
  }

  /**
   * The App's moves that changed a status: the features of those issues follow. One signal
   * (and one read of the links) per connection of the report; its id names the jobs, so a
   * report written again signals once.
   */
  async function followMoves(jobs: readonly JobRecord[]) {
    const moved = new Map<string, JobRecord[]>();
    for (const job of jobs.filter(changedStatus)) {
      const same = moved.get(job.connection);
      if (same) same.push(job);
      else moved.set(job.connection, [job]);
    }
    let recorded = false;
    for (const [connectionName, ofConnection] of moved) {
      const id = `productboard:follow:${ofConnection.map((job) => job.id).join("+")}`;
      const keys = [...new Set(ofConnection.map((job) => job.key))];
      recorded = (await signalFollow(id, connectionName, keys)) || recorded;
    }
    if (recorded) options.wake();
  }

  /** A push the outbox gave up on (refused, or out of retries): the button says so. */
  async function showFailedPushes(jobs: readonly JobRecord[]) {
    for (const job of jobs) {
      const { action } = job;
      if (action.kind !== "feature" || action.op !== "push" || !GAVE_UP.has(job.state)) continue;
      const reason = job.summary ?? job.lastError ?? "the issue could not be created";
      await showPushFailed(action.key, reason, { productboard, links });
    }
  }

  return {
    ...hooks,
    planDelivery(delivery) {
      if (delivery.event === FEATURE_EVENT)
        return planFeatureSignal(delivery, links, section.notify);
      return hooks.planDelivery(delivery);
    },
    async executeAction(connectionName, action, job) {
      if (action.kind === "feature") {
        const tracker = options.trackers.get(section.connection);
        if (!tracker || !connection) {
          throw new TrackerError("invalid", `no tracker connection named "${section.connection}"`, {
            connection: section.connection,
          });
        }
        return applyFeatureAction(action, {
          config: section,
          productboard,
          tracker,
          issueUrl: (key) => kindOf(connection.type).issueUrl(connection, key),
          links,
          ledger: store.ledger,
        }).catch((error: unknown) => {
          throw withoutSecrets(error, options.secrets);
        });
      }
      try {
        return await hooks.executeAction(connectionName, action, job);
      } catch (error) {
        // The issue is gone (deleted): features linked to it go back to their push button.
        if (error instanceof TrackerError && error.kind === "not_found") {
          const id = `productboard:follow:${randomUUID()}`;
          const signalled = await signalFollow(id, connectionName, [action.key]).catch(
            (signalError: unknown) => {
              // The job's own 404 is what the worker reports; this only says why features wait.
              log.warn(
                { connection: connectionName, key: action.key, err: errorMessage(signalError) },
                "could not tell the features of a deleted issue",
              );
              return false;
            },
          );
          if (signalled) {
            log.info({ connection: connectionName, key: action.key }, "features follow a 404");
            options.wake();
          }
        }
        throw error;
      }
    },
    async report(submission, jobs) {
      if (submission.productboard) return showFailedPushes(jobs);
      await followMoves(jobs);
      return hooks.report(submission, jobs);
    },
    ...(hooks.progress
      ? {
          progress: (submission, jobs) =>
            submission.productboard ? Promise.resolve() : hooks.progress!(submission, jobs),
        }
      : {}),
  };
}
