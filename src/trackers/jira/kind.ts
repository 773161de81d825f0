/**
 * Jira as a tracker kind, in two modes told apart by the connection: Cloud (an e-mail with
 * the API token, REST v3, a workflow API) and Data Center (a personal access token, REST v2,
 * no workflow API). Admin webhooks sign the raw body.
 */
import { z } from "zod";
import { capabilityTable, type TrackerKind, type TrackerMode } from "../kind.js";
import {
  field,
  headerOf,
  jsonBody,
  NOT_JSON,
  PROJECT_ISSUE_KEY,
  signatureRefused,
} from "../webhook-parts.js";
import { createJiraTracker } from "./index.js";
import { mapWorkflows } from "./map.js";

const cloud = capabilityTable({
  native: {
    transitions: "`expand=transitions` on the issue read",
    workflow_graph: "`POST /rest/api/3/workflows`, cached 10 min",
    routed_move: "one transition a step, the issue re-read between steps",
    field_write: "by field id or display name",
    pr_link: "a remote link keyed by `globalId`",
    webhooks: "admin webhook signed with `X-Hub-Signature` (HMAC)",
    poll: "JQL `updated >= …`",
    create_issue: "a label marks it, searched for only after an unknown outcome",
    unlink: "the remote link deleted by `globalId`",
    find_user_by_email: "`GET …/user/search` (Cloud `query=`, Data Center `username=`)",
  },
});

const dataCenter = capabilityTable(
  {
    emulated: {
      routed_move: "`routes:` from the config and the transitions learned from each issue read",
    },
    unavailable: {
      workflow_graph: "Jira Data Center has no REST API for a workflow's transitions",
    },
  },
  cloud,
);

const CLOUD: TrackerMode = { label: "Jira Cloud", capabilities: cloud };
const DATA_CENTER: TrackerMode = { label: "Jira Data Center", capabilities: dataCenter };

const PERMISSION: Record<string, string> = {
  set_field:
    'the "Edit Issues" project permission (and the field must be on the issue\'s edit screen)',
  move: 'the "Transition Issues" project permission',
  comment: 'the "Add Comments" project permission',
  link: 'the "Link Issues" project permission',
  fix_version:
    'the "Edit Issues" project permission, and "Administer Projects" to create a missing version',
};

export const jiraKind: TrackerKind = {
  type: "jira",
  label: "Jira",
  keys: { style: "project" },
  projectHelp: "Jira project",
  connection: {
    fields: { email: z.string().optional() },
    env: { email: "TRACKER_EMAIL" },
    toConnection: (fields) => ({ email: fields.email as string | undefined }),
  },
  modes: [CLOUD, DATA_CENTER],
  modeOf: (connection) => (connection.email ? CLOUD : DATA_CENTER),
  create: createJiraTracker,
  webhook: {
    // `X-Hub-Signature: sha256=<hex HMAC-SHA256>`; the delivery is named in
    // `X-Atlassian-Webhook-Identifier`, stable across Jira's retries.
    async read(_connection, secret, headers, body) {
      const refused = await signatureRefused(headers, secret, body, "X-Hub-Signature");
      if (refused) return refused;
      const payload = jsonBody(body);
      if (payload === undefined) return NOT_JSON;
      const key = field(field(payload, "issue"), "key");
      if (typeof key !== "string" || !PROJECT_ISSUE_KEY.test(key)) {
        return { kind: "invalid", reason: "the body has no issue key in issue.key" };
      }
      if (!statusMayHaveChanged(payload)) {
        return { kind: "ignored", reason: "the changelog has no status change" };
      }
      const deliveryId = headerOf(headers, "x-atlassian-webhook-identifier") ?? null;
      return { kind: "signal", key, deliveryId };
    },
    // Admin webhooks cannot be created with an app's token: print the administrator's steps.
    async connect(connection, target) {
      return [
        "Jira admin webhooks cannot be created with an app's token: a Jira administrator adds this one.",
        "",
        "1. Jira settings (cog) → System → WebHooks → Create a WebHook.",
        `2. Name: trackbridge (${connection.name})`,
        `3. URL: ${target.endpoint}`,
        `4. Secret: the value in ${connection.webhookSecretFrom ?? "the connection's webhook_secret"} on the trackbridge server.`,
        "   It is not printed here; copy it from where you keep it (your secret manager) into the Secret field.",
        `5. Issue related events, JQL: project = ${target.project}`,
        "6. Events: Issue → updated. Save.",
        "",
        "Jira then signs each call with X-Hub-Signature: sha256=…; trackbridge answers 401 to any call it cannot verify.",
        "",
      ].join("\n");
    },
  },
  issueUrl: (connection, key) =>
    `${connection.url.replace(/\/+$/, "")}/browse/${encodeURIComponent(key)}`,
  workflowFile: {
    what: "a Jira workflows answer (workflows)",
    read: (json) =>
      Array.isArray((json as { workflows?: unknown } | null)?.workflows)
        ? mapWorkflows(json)
        : undefined,
  },
  doctor: {
    projectWord: "project",
    tokenFix: (connection) =>
      connection.email
        ? `Jira Cloud: TRACKER_EMAIL (${connection.email}) and an API token of that user in TRACKER_TOKEN (id.atlassian.com → Security → API tokens)`
        : "Jira Data Center: a personal access token in TRACKER_TOKEN (Profile → Personal Access Tokens); for Jira Cloud also set TRACKER_EMAIL",
    forbidden: "token",
    workflowFix: () =>
      'grant the token\'s user the project permission "View (read-only) workflow" or "Administer projects"',
    noWorkflowApi: (connection) =>
      connection.email
        ? undefined
        : "not needed: Jira Data Center has no workflow API, routing learns each issue's transitions",
  },
  action: {
    inputs: {
      email: {
        field: "email",
        schema: z
          .string()
          .trim()
          .pipe(z.email({ error: "must be an e-mail address" })),
      },
    },
    credentialHint: (connection) =>
      connection.email !== undefined
        ? 'Check the "token" and "email" inputs: a Jira Cloud API token and the e-mail of the account it belongs to.'
        : 'Check the "token" input: a Jira Data Center personal access token (for Jira Cloud, also set "email").',
    forbiddenHint: (_connection, change) =>
      `The token's user needs ${PERMISSION[change] ?? PERMISSION.set_field}.`,
  },
};

/**
 * `jira:issue_updated` carries a `changelog`; a status change is an item with field `status`.
 * Events without a changelog (created, a transition on an older Jira) are taken as changes.
 */
function statusMayHaveChanged(payload: unknown): boolean {
  const items = field(field(payload, "changelog"), "items");
  if (!Array.isArray(items)) return field(payload, "comment") === undefined;
  return items.some(
    (item) => field(item, "field") === "status" || field(item, "fieldId") === "status",
  );
}
