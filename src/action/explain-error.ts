/**
 * Turns a failed action into a message the person reading the job log can act on: which
 * issue, which tracker, what the tracker said, and — for 401/403 — which credential or
 * permission to fix. The adapters' messages already name the connection and never a token;
 * this adds what only the Action knows (its input names, the kind of change it tried).
 */
import type { PlannedAction } from "../core/types.js";
import type { TrackerConnection } from "../trackers/connection.js";
import { TrackerError, type TrackerErrorKind } from "../trackers/errors.js";
import { RetriesExhaustedError } from "./retry.js";

/** The project permission each change needs, by tracker. */
const PERMISSION: Record<TrackerConnection["type"], Record<PlannedAction["kind"], string>> = {
  jira: {
    set_field:
      'the "Edit Issues" project permission (and the field must be on the issue\'s edit screen)',
    move: 'the "Transition Issues" project permission',
    comment: 'the "Add Comments" project permission',
    link: 'the "Link Issues" project permission',
    fix_version:
      'the "Edit Issues" project permission, and "Administer Projects" to create a missing version',
  },
  linear: {
    set_field: "write access to the issue's team (the value is attached as a link)",
    move: "write access to the issue's team",
    comment: "write access to the issue's team",
    link: "write access to the issue's team",
    fix_version: "nothing: Linear has no fix versions",
  },
  "github-projects": {
    set_field: "the token's \"Projects: Read and write\" permission on the project's organization",
    move: "the token's \"Projects: Read and write\" permission on the project's organization",
    comment: "the token's \"Issues: Read and write\" permission on the issue's repository",
    link: "nothing: GitHub shows the pull request on the issue itself",
    fix_version: "nothing: GitHub Projects has no fix versions",
  },
  yandex: {
    set_field: "write access to the issue's queue",
    move: "write access to the issue's queue (and to this transition)",
    comment: "comment access to the issue's queue",
    link: "comment access to the issue's queue",
    fix_version: "write access to the issue's queue, and queue admin rights to create a version",
  },
  redmine: {
    set_field:
      'the "Edit issues" permission in the issue\'s project (and the custom field editable by its role)',
    move: 'the "Edit issues" permission, and a workflow transition for its role from the current status',
    comment: 'the "Add notes" permission in the issue\'s project',
    link: 'the "Add notes" permission in the issue\'s project',
    fix_version: 'the "Edit issues" permission, and "Manage versions" to create a missing version',
  },
  "request-tracker": {
    set_field: 'the "ModifyCustomField" right on the ticket\'s queue',
    move: "the \"ModifyTicket\" right on the ticket's queue (and the lifecycle's right for this status change)",
    comment: 'the "CommentOnTicket" right (or "ReplyToTicket" with comment_as: correspond)',
    link: 'the "CommentOnTicket" right on the ticket\'s queue',
    fix_version: "nothing: Request Tracker has no fix versions",
  },
  youtrack: {
    set_field: 'the "Update Issue" permission in the issue\'s project',
    move: 'the "Update Issue" permission in the issue\'s project',
    comment: 'the "Create Comment" permission in the issue\'s project',
    link: 'the "Create Comment" permission in the issue\'s project',
    fix_version:
      'the "Update Issue" permission, and "Update Project" to add a missing version to the Fix versions set',
  },
};

/**
 * @example
 * explainFailure(new TrackerError("auth", "…", { connection: "Jira at acme.atlassian.net", status: 401 }), action, connection)
 * // 'Jira at acme.atlassian.net rejected the token (401 Unauthorized). Check the "token" and "email" inputs: …'
 */
export function explainFailure(
  error: unknown,
  action: PlannedAction,
  connection: Pick<TrackerConnection, "name" | "type" | "email">,
): string {
  const kind = trackerErrorKind(error);
  const message = error instanceof Error ? error.message : String(error);
  if (kind === undefined) return `${action.key}: ${message}`;

  switch (kind) {
    case "auth":
      return `${connection.name} rejected the token (401 Unauthorized). ${credentialHint(connection)}`;
    case "forbidden": {
      // Yandex answers a wrong org header with 403 "Organization is not available, …".
      const hint =
        connection.type === "yandex" && /organization/i.test(message)
          ? 'Check the "org-id" / "cloud-org-id" input: it must be the ID of the organization the tracker belongs to.'
          : `The token's user needs ${PERMISSION[connection.type][action.kind]}.`;
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

function credentialHint(connection: Pick<TrackerConnection, "type" | "email">): string {
  if (connection.type === "redmine") {
    return 'Check the "token" input: the API access key from "My account" of a Redmine user that can see the project (REST API enabled in Administration → Settings → API).';
  }
  if (connection.type === "request-tracker") {
    return 'Check the "token" input: an authentication token from "Logged in as … → Settings → Auth Tokens" of an RT user with rights on the queue.';
  }
  if (connection.type === "youtrack") {
    return 'Check the "token" input: a YouTrack permanent token (perm:…) of a user or bot that can see the project, and that it has not been revoked.';
  }
  if (connection.type === "yandex") {
    return 'Check the "token" input: an OAuth token (or an IAM token) of a user or robot that has access to Tracker, and that it has not expired.';
  }
  return connection.email !== undefined
    ? 'Check the "token" and "email" inputs: a Jira Cloud API token and the e-mail of the account it belongs to.'
    : 'Check the "token" input: a Jira Data Center personal access token (for Jira Cloud, also set "email").';
}
