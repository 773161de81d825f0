import { scrubSecrets } from "../core/scrub-secrets.js";
import { TrackerError } from "../trackers/errors.js";

/**
 * A tracker's error becomes a job's summary: the check run, the console, a notification. The
 * adapter blanks its own token; this blanks every other secret the server holds (a Slack
 * webhook URL, another connection's token) that a careless tracker might echo.
 */
export function withoutSecrets(error: unknown, secrets: readonly string[]): unknown {
  if (!(error instanceof TrackerError)) return error;
  const message = scrubSecrets(error.message, secrets);
  if (message === error.message) return error;
  return new TrackerError(error.kind, message, {
    connection: error.connection,
    ...(error.status !== undefined ? { status: error.status } : {}),
    ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
  });
}
