/**
 * The three things the worker does with what it claimed: plan a delivery, run a job, report
 * a delivery whose jobs have settled. Each ends by writing its outcome to the store; none
 * throws for a failure of the hook it calls (store failures do propagate to the worker).
 */
import { isRetryable, retryAfterMs, TrackerError } from "../trackers/errors.js";
import { DEFAULT_MESSAGE_POLICY, draftMessages, type MessagePolicy } from "./message-steps.js";
import { backoffMs, type RetryPolicy, shouldGiveUp } from "./retry-policy.js";
import { type Clock, errorMessage, type Logger } from "./runtime.js";
import type {
  ClaimedDelivery,
  ClaimedJob,
  ClaimedReport,
  IssueRef,
  JobOutcome,
  Store,
  StoredJob,
} from "./store.js";
import type { DeliveryHooks } from "./types.js";

export interface StepDeps {
  store: Store;
  hooks: DeliveryHooks;
  log: Logger;
  clock: Clock;
  policy: RetryPolicy & Partial<MessagePolicy>;
}

export async function planDelivery(delivery: ClaimedDelivery, deps: StepDeps): Promise<void> {
  const { store, hooks, log, clock, policy } = deps;
  const { attempts, retryFrom, unreadable, ...incoming } = delivery;
  const context = { delivery: delivery.id, event: delivery.event, attempt: attempts };
  if (unreadable !== undefined) {
    // Planning it again cannot help: it stays failed, with the reason, for an operator to see.
    await store.failDelivery(delivery, unreadable);
    log.error({ ...context, err: unreadable }, "the delivery cannot be planned");
    return;
  }
  try {
    const submissions = await hooks.planDelivery(incoming);
    const committed = await store.commitPlan(delivery.id, submissions, clock.now(), true);
    const jobs = submissions.reduce(
      (sum, s) => sum + (s.configError ? 0 : s.plan.actions.length),
      0,
    );
    log.debug({ ...context, committed, submissions: submissions.length, jobs }, "delivery planned");
  } catch (error) {
    const now = clock.now();
    const message = errorMessage(error);
    if (!isRetryable(error) || shouldGiveUp(policy, attempts, retryFrom, now)) {
      await store.failDelivery(delivery, message);
      log.error({ ...context, err: message }, "planning the delivery failed; giving up");
      return;
    }
    const nextAt = now + backoffMs(policy, attempts, waitAsked(error, clock.now()));
    await store.delayDelivery(delivery, { nextAt, error: message });
    log.warn(
      { ...context, err: message, retryAt: new Date(nextAt).toISOString() },
      "planning the delivery failed; will retry",
    );
  }
}

/**
 * How a run ended, for the worker. `issueDue`: a job of its issue may be due now: the one that
 * waited behind it, or itself (given back to wait, with a backoff that may already be over).
 */
export interface JobEnd {
  issueDue: boolean;
}

const AGAIN: JobEnd = { issueDue: true };

/**
 * Runs a claimed job. `trackerDone` is called once its tracker calls are over (and a wait the
 * tracker asked for is recorded), before its end is written: the connection's slot is for
 * the tracker, and a settle waits for the store.
 */
export async function runJob(
  job: ClaimedJob,
  deps: StepDeps,
  trackerDone: () => void = () => {},
): Promise<JobEnd> {
  const { store, hooks, log, clock, policy } = deps;
  const claim = { id: job.id, attempts: job.attempts };
  const context = {
    job: job.id,
    delivery: job.deliveryId,
    connection: job.connection,
    key: job.key,
    kind: job.action.kind,
  };
  const settle = async (outcome: JobOutcome, error?: unknown): Promise<JobEnd> => {
    const gatherMs = policy.messageGatherMs ?? DEFAULT_MESSAGE_POLICY.messageGatherMs;
    const messages = draftMessages(
      job,
      {
        state: outcome.state,
        summary: outcome.summary,
        ...(error instanceof TrackerError ? { errorKind: error.kind } : {}),
      },
      clock.now() + gatherMs,
    );
    const written = await store.finishJob(claim, { ...outcome, messages }, clock.now());
    const level = outcome.state === "dead" ? "error" : outcome.state === "failed" ? "warn" : "info";
    log[level](
      { ...context, state: outcome.state, written: written !== false, attempt: job.attempts },
      outcome.summary,
    );
    return { issueDue: written !== false && written.followed };
  };

  const { skip, followsPr } = await whyNotNow(job, store);
  // A 429 that any replica got holds the connection back for every replica (read with the claim).
  const { heldUntil } = job.claimed;
  if (skip !== null) return settle({ state: "skipped", summary: skip });
  const action =
    job.action.kind === "move" && followsPr && !job.action.derived
      ? { ...job.action, followsPr }
      : job.action;

  if (heldUntil !== null && heldUntil > clock.now()) {
    const lastError = `${job.connection}: rate limited; waiting until ${new Date(heldUntil).toISOString()} as the tracker asked`;
    await store.rescheduleJob(
      claim,
      { nextAt: heldUntil, lastError, attempted: false },
      clock.now(),
    );
    log.info({ ...context, heldUntil }, "tracker rate limit shared by the replicas: job waits");
    return AGAIN;
  }

  try {
    const result = await hooks.executeAction(job.connection, action, job);
    trackerDone();
    return await settle({ state: result.ok ? "done" : "failed", summary: result.summary, result });
  } catch (error) {
    const message = errorMessage(error);
    const now = clock.now();
    const asked = waitAsked(error, now);
    // Only a tracker's own answer holds its connection (for every job and replica): GitHub's
    // limit (an e-mail lookup) delays this job alone. A tracker that asked to wait keeps the
    // slot until the wait is recorded (below): a job that took it sooner would call it again.
    const trackerAsked = waitAsked(error, now, { trackerOnly: true });
    if (trackerAsked === undefined) trackerDone();
    if (!isRetryable(error))
      return settle({ state: "dead", summary: message, lastError: message }, error);
    if (shouldGiveUp(policy, job.attempts, job.retryFrom, now)) {
      const summary = `gave up after ${job.attempts} attempt${job.attempts === 1 ? "" : "s"}: ${message}`;
      return settle({ state: "dead", summary, lastError: message }, error);
    }
    if (trackerAsked !== undefined) {
      await store.memo.holdTracker(job.connection, now + trackerAsked);
      trackerDone();
    }
    const nextAt = now + backoffMs(policy, job.attempts, asked);
    const written = await store.rescheduleJob(claim, { nextAt, lastError: message }, now);
    if (written && job.attempts === 1) await showProgress(job, deps);
    log.warn(
      {
        ...context,
        err: message,
        written,
        attempt: job.attempts,
        retryAt: new Date(nextAt).toISOString(),
      },
      "job failed; will retry",
    );
    return AGAIN;
  }
}

/** Best effort: a failed progress update is logged; the final report is what must land. */
async function showProgress(job: StoredJob, { store, hooks, log }: StepDeps): Promise<void> {
  if (!hooks.progress) return;
  try {
    const report = await store.getReport(job.reportId);
    if (report) await hooks.progress(report.submission, report.jobs);
  } catch (error) {
    log.warn(
      { job: job.id, err: errorMessage(error) },
      "could not show the retry on the check run",
    );
  }
}

export async function reportDelivery(report: ClaimedReport, deps: StepDeps): Promise<void> {
  const { store, hooks, log, clock, policy } = deps;
  const context = {
    report: report.id,
    delivery: report.submission.deliveryId,
    attempt: report.attempts,
  };
  try {
    await hooks.report(report.submission, report.jobs);
    await store.markReported(report);
    log.debug(context, "delivery reported");
  } catch (error) {
    const message = errorMessage(error);
    if (!isRetryable(error) || report.attempts >= policy.maxAttempts) {
      await store.markReported(report, message);
      log.error({ ...context, err: message }, "reporting the delivery failed; giving up");
      return;
    }
    const nextAt = clock.now() + backoffMs(policy, report.attempts, waitAsked(error, clock.now()));
    await store.delayReport(report, { nextAt, error: message });
    log.warn({ ...context, err: message }, "reporting the delivery failed; will retry");
  }
}

/**
 * Why a move should not run now, in the check run's words: an older event than the one
 * already applied to this PR and issue would move it backwards; with `waitForAllPrs`, a
 * merge waits until no other open PR still references the issue. Also says whether this PR
 * moved the issue before (the never-backwards rule then follows the PR's own life).
 */
async function whyNotNow(
  job: ClaimedJob,
  store: Store,
): Promise<{ skip: string | null; followsPr: boolean }> {
  const go = { skip: null, followsPr: false };
  if (job.action.kind !== "move" || job.prNumber === null) return go;
  const ref: IssueRef = {
    connection: job.connection,
    key: job.key,
    repo: job.repo,
    prNumber: job.prNumber,
  };
  const applied = job.claimed.appliedAt;
  if (applied !== null && job.eventAt < applied) {
    // To the second, as GitHub shows times; the milliseconds only carry the lifecycle rank.
    const second = (iso: string) => `${iso.slice(0, 19)}Z`;
    return {
      skip: `skipped: older than the event already applied (${second(job.eventAt)} ≤ ${second(applied)})`,
      followsPr: true,
    };
  }
  if (job.waitForAllPrs && job.action.trigger === "merged") {
    const others = await store.openPrsReferencing(ref);
    if (others.length > 0) {
      const names = others.map((pr) =>
        pr.repo === job.repo ? `#${pr.prNumber}` : `${pr.repo}#${pr.prNumber}`,
      );
      return { skip: `waiting for ${names.join(", ")}`, followsPr: applied !== null };
    }
  }
  // This PR moved the issue before: its newer events are its own life, not late ones.
  return { skip: null, followsPr: applied !== null };
}

/**
 * The wait a tracker asked for, or GitHub's (an Octokit error carrying `retry-after` or the
 * rate limit's reset time): planning a sync waits out GitHub's rate limit instead of failing.
 * GitHub sends its rate-limit headers with every answer, so only a refusal for the limit (429,
 * or 403 with `retry-after` or none of the limit left) is a wait; a 500 is a plain retry.
 */
function waitAsked(error: unknown, now: number, { trackerOnly = false } = {}): number | undefined {
  if (error instanceof TrackerError) return error.retryAfterMs;
  if (error instanceof AggregateError)
    return error.errors
      .map((e) => waitAsked(e, now, { trackerOnly }))
      .find((ms) => ms !== undefined);
  if (trackerOnly) return undefined;
  const refused = error as {
    status?: unknown;
    response?: { headers?: Record<string, unknown> };
  } | null;
  const headers = refused?.response?.headers;
  if (!headers) return undefined;
  const limited =
    refused?.status === 429 ||
    (refused?.status === 403 &&
      (headers["retry-after"] !== undefined || String(headers["x-ratelimit-remaining"]) === "0"));
  if (!limited) return undefined;
  const plain = Object.entries(headers).flatMap(([name, value]) =>
    typeof value === "string" || typeof value === "number" ? [[name, String(value)]] : [],
  ) as Array<[string, string]>;
  return retryAfterMs(new Headers(plain), now);
}
