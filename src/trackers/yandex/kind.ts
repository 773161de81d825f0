/**
 * Yandex Tracker as a tracker kind: its connection options (the organization header, the
 * token scheme), its trigger webhook, and what doctor and the Action tell its users.
 */
import { z } from "zod";
import type { TrackerConnection } from "../connection.js";
import { capabilityTable, type TrackerKind } from "../kind.js";
import { field, jsonBody, NOT_JSON, PROJECT_ISSUE_KEY, tokenRefused } from "../webhook-parts.js";
import { connectYandexWebhook } from "./connect-webhook.js";
import { createYandexTracker } from "./index.js";
import { mapWorkflow } from "./map.js";

const capabilities = capabilityTable({
  native: {
    workflow_graph: "the queue's workflow: 3 requests, cached 10 min",
    routed_move: "`_execute` answers with the next transitions",
    webhooks:
      "a queue trigger POSTs the key with a shared token header (connect-webhooks creates it)",
    poll: "`POST /v2/issues/_search` by `updatedAt`",
    create_issue: "`POST /v2/issues` with `unique`, found by it after a 409",
  },
  emulated: {
    pr_link:
      "no web links for arbitrary URLs: one comment carrying the PR's URL, never posted twice",
    unlink: "the PR's link comment is edited or deleted",
    find_user_by_email:
      "no search by e-mail: the organization's users (`GET /v2/users`, page by page) matched by `email`",
  },
});

const mode = { label: "Yandex Tracker", capabilities };

export const yandexKind: TrackerKind = {
  type: "yandex",
  label: "Yandex Tracker",
  keys: { style: "project" },
  projectHelp: "Yandex Tracker queue",
  connection: {
    fields: {
      org_id: z.string().optional(),
      cloud_org_id: z.string().optional(),
      auth_scheme: z.enum(["OAuth", "Bearer"]).optional(),
    },
    env: {
      org_id: "TRACKER_ORG_ID",
      cloud_org_id: "TRACKER_CLOUD_ORG_ID",
      auth_scheme: "TRACKER_AUTH_SCHEME",
    },
    toConnection: (fields) => ({
      orgId: fields.org_id as string | undefined,
      cloudOrgId: fields.cloud_org_id as string | undefined,
      authScheme: fields.auth_scheme as "OAuth" | "Bearer" | undefined,
    }),
  },
  modes: [mode],
  modeOf: () => mode,
  create: createYandexTracker,
  webhook: {
    // Tracker triggers do not sign: the trigger sends the secret in X-Trackbridge-Token
    // with the body {"key": "{{issue.key}}"}; there is no delivery id.
    async read(_connection, secret, headers, body) {
      const refused = tokenRefused(headers, secret, "X-Trackbridge-Token");
      if (refused) return refused;
      const payload = jsonBody(body);
      if (payload === undefined) return NOT_JSON;
      const key = field(payload, "key");
      if (typeof key !== "string" || !PROJECT_ISSUE_KEY.test(key)) {
        return { kind: "invalid", reason: 'the body has no issue key in "key"' };
      }
      return { kind: "signal", key, deliveryId: null };
    },
    async connect(connection, target, deps) {
      const { outcome, triggerId } = await connectYandexWebhook(
        connection,
        { queue: target.project, endpoint: target.endpoint },
        deps,
      );
      const what = {
        created: "Created",
        exists: "Already there:",
        updated: "Updated the secret of",
      }[outcome];
      return [
        `${what} trigger ${triggerId} in queue ${target.project}.`,
        `On every status change it POSTs {"key": "{{issue.key}}"} to ${target.endpoint}`,
        `with the header X-Trackbridge-Token = the secret in ${connection.webhookSecretFrom ?? "the connection's webhook_secret"} (not shown).`,
        "",
      ].join("\n");
    },
  },
  issueUrl(connection, key) {
    const base = connection.url.replace(/\/+$/, "");
    const web = /(^|\.)api\.tracker\.yandex\.net$/.test(new URL(base).hostname)
      ? "https://tracker.yandex.ru"
      : base;
    return `${web}/${encodeURIComponent(key)}`;
  },
  workflowFile: {
    what: "a Yandex Tracker workflow (steps)",
    read: (json) =>
      Array.isArray((json as { steps?: unknown } | null)?.steps)
        ? mapWorkflow(json, [])
        : undefined,
  },
  doctor: {
    projectWord: "queue",
    afterToken: (connection) => ({ item: "organization", detail: orgHeader(connection) }),
    tokenFix: () =>
      "put a valid OAuth token (or an IAM token with TRACKER_AUTH_SCHEME=Bearer) in TRACKER_TOKEN or TRACKER_TOKEN_FILE (token: in TRACKBRIDGE_CONNECTIONS)",
    // Yandex Tracker answers a token it knows, sent with a wrong or missing org header, 403.
    forbidden: {
      item: "organization",
      fix: "set TRACKER_ORG_ID (org_id: in TRACKBRIDGE_CONNECTIONS) to the Yandex 360 organization id, or TRACKER_CLOUD_ORG_ID (cloud_org_id:) to the Yandex Cloud one (Tracker → Administration → Organizations)",
    },
    workflowFix: () =>
      "give the token's user the right to view the queues' workflows (a queue administrator has it)",
  },
  action: {
    inputs: { "org-id": { field: "org_id" }, "cloud-org-id": { field: "cloud_org_id" } },
    check(given, issue) {
      if (!given["org-id"] && !given["cloud-org-id"]) {
        issue(
          "org-id",
          "is required for tracker yandex: set org-id (Yandex 360 organization) or cloud-org-id (Yandex Cloud organization)",
        );
      }
      if (given["org-id"] && given["cloud-org-id"]) {
        issue("cloud-org-id", "cannot be combined with org-id: set the one your organization uses");
      }
    },
    credentialHint: () =>
      'Check the "token" input: an OAuth token (or an IAM token) of a user or robot that has access to Tracker, and that it has not expired.',
    forbiddenHint(_connection, change, message) {
      // Yandex answers a wrong org header with 403 "Organization is not available, …".
      if (/organization/i.test(message)) {
        return 'Check the "org-id" / "cloud-org-id" input: it must be the ID of the organization the tracker belongs to.';
      }
      return `The token's user needs ${PERMISSION[change] ?? "write access to the issue's queue"}.`;
    },
  },
};

const PERMISSION: Record<string, string> = {
  set_field: "write access to the issue's queue",
  move: "write access to the issue's queue (and to this transition)",
  comment: "comment access to the issue's queue",
  link: "comment access to the issue's queue",
  fix_version: "write access to the issue's queue, and queue admin rights to create a version",
};

function orgHeader(connection: TrackerConnection): string {
  if (connection.orgId) return `X-Org-ID ${connection.orgId} accepted`;
  if (connection.cloudOrgId) return `X-Cloud-Org-ID ${connection.cloudOrgId} accepted`;
  return "no organization id set, and the tracker did not ask for one";
}
