/**
 * YouTrack (Cloud and Server, REST `/api`) as a tracker kind: a permanent token, the `State`
 * field moved under the project's workflow rules (no transitions API: routing learns, as on
 * Jira Data Center), and the Webhook Triggers app's shared token header.
 */
import { capabilityTable, type TrackerKind } from "../kind.js";
import { field, jsonBody, NOT_JSON, PROJECT_ISSUE_KEY, tokenRefused } from "../webhook-parts.js";
import { createYouTrackTracker } from "./index.js";

const capabilities = capabilityTable({
  native: {
    read: "`idReadable` and the `State` field",
    field_write: "a text or URL custom field by name, with `$type`",
    fix_versions: "the `Fix versions` field, when the project has one",
    webhooks: "Webhook Triggers app: a shared token in `X-YouTrack-Token`",
    poll: "a search query by `updated`",
    create_issue:
      "`POST /api/issues`; the marker ends the description, searched for only after an unknown outcome",
    set_assignee: "the `Assignee` field (`SingleUserIssueCustomField`) by login",
    find_user_by_email: "`GET /api/users?query=` with the e-mail, matched exactly",
  },
  emulated: {
    transitions: "no transitions API: every state of the project, less those the workflow refused",
    routed_move: "`routes:` and learned edges, as on Jira Data Center",
    pr_link: "one comment carrying the PR's URL, written once",
    unlink: "the PR's link comment is edited or deleted",
  },
  unavailable: {
    workflow_graph: "YouTrack has no REST API for a workflow's transitions",
  },
});

const mode = { label: "YouTrack", capabilities };

const PERMISSION: Record<string, string> = {
  set_field: 'the "Update Issue" permission in the issue\'s project',
  move: 'the "Update Issue" permission in the issue\'s project',
  comment: 'the "Create Comment" permission in the issue\'s project',
  link: 'the "Create Comment" permission in the issue\'s project',
  fix_version:
    'the "Update Issue" permission, and "Update Project" to add a missing version to the Fix versions set',
};

export const youtrackKind: TrackerKind = {
  type: "youtrack",
  label: "YouTrack",
  keys: { style: "project" },
  projectHelp: "YouTrack project",
  connection: { fields: {}, env: {} },
  modes: [mode],
  modeOf: () => mode,
  create: createYouTrackTracker,
  webhook: {
    // The Webhook Triggers app does not sign: it sends the shared token in a header and the
    // issue as JSON. Only the key is trusted; an update whose `changedFields` do not name
    // State is ignored. No delivery id.
    async read(_connection, secret, headers, body) {
      const refused = tokenRefused(headers, secret, "X-YouTrack-Token");
      if (refused) return refused;
      const payload = jsonBody(body);
      if (payload === undefined) return NOT_JSON;
      const key = field(field(payload, "issue"), "idReadable") ?? field(payload, "idReadable");
      if (typeof key !== "string" || !PROJECT_ISSUE_KEY.test(key)) {
        return { kind: "invalid", reason: "the body has no issue key in issue.idReadable" };
      }
      if (!stateMayHaveChanged(payload)) {
        return { kind: "ignored", reason: "changedFields does not name State" };
      }
      return { kind: "signal", key, deliveryId: null };
    },
    async connect(connection, target) {
      return [
        "YouTrack webhooks come from the Webhook Triggers app, set up by a project admin:",
        "",
        `1. Project ${target.project} → Apps → Webhook Triggers → add a trigger on issue changes (State).`,
        `2. URL: ${target.endpoint}; method POST; body: the issue as JSON (it must carry idReadable).`,
        `3. Header X-YouTrack-Token: the value in ${connection.webhookSecretFrom ?? "the connection's webhook_secret"} on the trackbridge server (not printed here).`,
        "",
        "trackbridge answers 401 to any call without the right token.",
        "",
      ].join("\n");
    },
  },
  issueUrl: (connection, key) =>
    `${connection.url.replace(/\/+$/, "")}/issue/${encodeURIComponent(key)}`,
  doctor: {
    projectWord: "project",
    tokenFix: () =>
      "put a YouTrack permanent token (perm:…; Profile → Account Security → Tokens) in TRACKER_TOKEN or TRACKER_TOKEN_FILE (token: in TRACKBRIDGE_CONNECTIONS)",
    forbidden: "token",
    workflowFix: () => "let the token's user see the projects the repositories name",
    noWorkflowApi: () =>
      "not needed: YouTrack has no workflow API, routing learns each project's transitions",
  },
  action: {
    inputs: {},
    credentialHint: () =>
      'Check the "token" input: a YouTrack permanent token (perm:…) of a user or bot that can see the project, and that it has not been revoked.',
    forbiddenHint: (_connection, change) =>
      `The token's user needs ${PERMISSION[change] ?? PERMISSION.set_field}.`,
  },
};

/** `changedFields` (names, or objects with `name`) without State: not a status change. */
function stateMayHaveChanged(payload: unknown): boolean {
  const changed = field(payload, "changedFields");
  if (!Array.isArray(changed)) return true;
  return changed.some((item) => {
    const name = typeof item === "string" ? item : field(item, "name");
    return typeof name === "string" && name.toLowerCase() === "state";
  });
}
