/**
 * The worker's side of notifications: the messages a settled job writes, and sending one
 * claimed batch. A send ends by writing its outcome: sent (the channel then rests for the
 * service's pace), rescheduled (a 429 holds the channel for the wait it asked, shared by
 * replicas), or dead with the service's reason (a wrong token, an unknown chat).
 */
import { channelsFor, type FinishedJob, notifyEventOf } from "../core/notify.js";
import { isRetryable, TrackerError } from "../trackers/errors.js";
import type { MessageBatch, MessageDraft } from "./messages.js";
import { backoffMs, type RetryPolicy, shouldGiveUp } from "./retry-policy.js";
import { type Clock, errorMessage, type Logger } from "./runtime.js";
import type { Store, StoredJob } from "./store.js";
import type { DeliveryHooks } from "./types.js";

export interface MessagePolicy {
  /** A new message waits this long, so that events arriving together become one digest. */
  messageGatherMs: number;
  /** After a send, the channel rests this long: Slack and Telegram take one message a second per chat. */
  messageSpacingMs: number;
}

export const DEFAULT_MESSAGE_POLICY: MessagePolicy = {
  messageGatherMs: 1_000,
  messageSpacingMs: 1_000,
};

/** The messages a job's outcome sends: one per channel the repo subscribed to that event. */
export function draftMessages(
  job: StoredJob,
  finished: Omit<FinishedJob, "action">,
  nextAt: number,
): MessageDraft[] {
  if (job.notify.length === 0) return [];
  const event = notifyEventOf({ ...finished, action: job.action });
  if (event === null) return [];
  const notice = {
    event,
    repo: job.repo,
    prNumber: job.prNumber,
    key: job.key,
    summary: finished.summary,
    connection: job.connection,
  };
  return channelsFor(job.notify, event).map((channel) => ({
    channel,
    dedupKey: `${job.id}:${channel}:${event}`,
    notice,
    nextAt,
  }));
}

export interface MessageDeps {
  store: Store;
  hooks: DeliveryHooks;
  log: Logger;
  clock: Clock;
  policy: RetryPolicy & MessagePolicy;
}

export async function sendBatch(batch: MessageBatch, deps: MessageDeps): Promise<void> {
  const { store, hooks, log, clock, policy } = deps;
  const context = {
    channel: batch.channel,
    messages: batch.messages.map((m) => m.id),
    attempt: batch.attempts,
  };
  const notices = batch.messages.map((m) => m.notice);
  try {
    if (!hooks.sendMessage) throw new Error("this server sends no notifications");
    await hooks.sendMessage(batch.channel, notices);
    const now = clock.now();
    await store.settleMessages(
      batch,
      { state: "sent", holdUntil: now + policy.messageSpacingMs },
      now,
    );
    log.info({ ...context, events: notices.length }, "notification sent");
  } catch (error) {
    const message = errorMessage(error);
    const now = clock.now();
    const permanent = !isRetryable(error) || !(error instanceof TrackerError);
    if (permanent || shouldGiveUp(policy, batch.attempts, batch.retryFrom, now)) {
      const reason = permanent
        ? message
        : `gave up after ${batch.attempts} attempt${batch.attempts === 1 ? "" : "s"}: ${message}`;
      await store.settleMessages(batch, { state: "dead", error: reason }, now);
      log.error({ ...context, err: reason }, "notification is a dead letter");
      return;
    }
    const asked = error.retryAfterMs;
    const nextAt = now + backoffMs(policy, batch.attempts, asked);
    await store.rescheduleMessages(
      batch,
      { nextAt, error: message, hold: asked !== undefined },
      now,
    );
    log.warn(
      { ...context, err: message, retryAt: new Date(nextAt).toISOString() },
      "notification failed; will retry",
    );
  }
}
