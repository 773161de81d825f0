/**
 * Turns a failed action into a message the person reading the job log can act on: which
 * issue, which tracker, what the tracker said, and — for 401/403 — which credential or
 * permission to fix. The adapters' messages already name the connection and never a token;
 * this adds what only the Action knows (its input names, the kind of change it tried).
 */
import type { PlannedAction } from "../core/types.js";
import type { TrackerConnection } from "../trackers/connection.js";
import { TrackerError, type TrackerErrorKind } from "../trackers/errors.js";
import { kindOf } from "../trackers/kinds.js";
import { RetriesExhaustedError } from "./retry.js";

/**
 * @example
 * explainFailure(new TrackerError("auth", "…", { connection: "Jira at acme.atlassian.net", status: 401 }), action, connection)
 * // 'Jira at acme.atlassian.net rejected the token (401 Unauthorized). Check the "token" and "email" inputs: …'
 */
export function explainFailure(
  error: unknown,
  action: PlannedAction,
  connection: TrackerConnection,
): string {
  const kind = trackerErrorKind(error);
  const message = error instanceof Error ? error.message : String(error);
  if (kind === undefined) return `${action.key}: ${message}`;

  switch (kind) {
    case "auth":
      return `${connection.name} rejected the token (401 Unauthorized). ${kindOf(connection.type).action.credentialHint(connection)}`;
    case "forbidden": {
      const hint = kindOf(connection.type).action.forbiddenHint(connection, action.kind, message);
      return `${message.replace(/\.$/, "")}. ${hint}`;
    }
    case "not_found":
      return `${message}: check the key, and that the token's user can see the issue.`;
    case "no_transition":
      return `cannot move ${action.key}: ${message}`;
    default:
      // The adapter's message names the tracker, the call and the key, and carries the
      // tracker's own words ("Field 'customfield_10030' cannot be set. …").
      return message;
  }
}

/** The kind of the tracker's failure; after retries ran out, that of the last attempt. */
function trackerErrorKind(error: unknown): TrackerErrorKind | undefined {
  if (error instanceof TrackerError) return error.kind;
  if (error instanceof RetriesExhaustedError && error.cause instanceof TrackerError) {
    return error.cause.kind;
  }
  return undefined;
}
