/**
 * Redmine as a tracker kind: numbered issues behind a key prefix (`key_prefix: RM` → RM-4521),
 * an API key (or Basic auth with `login`), Redmine 7's signed webhooks; no workflow API, so
 * routing learns the transitions each read shows.
 */
import { z } from "zod";
import { capabilityTable, type TrackerKind } from "../kind.js";
import { numericKeys } from "../numeric-key.js";
import {
  field,
  jsonBody,
  NOT_JSON,
  signatureRefused,
  type TrackerWebhook,
} from "../webhook-parts.js";
import { createRedmineTracker } from "./index.js";

const capabilities = capabilityTable({
  native: {
    transitions: "`include=allowed_statuses` on the read",
    field_write: "a custom field by name, re-read to see it was kept",
    comment: "an issue note",
    fix_versions: "`fixed_version_id`: one version per issue",
    webhooks: "Redmine 7: `X-Redmine-Signature-256` (HMAC); older ones are polled",
    poll: "issues by `updated_on`",
    create_issue:
      "`POST /issues.json`; the marker ends the description, searched for (`description=~`) only after an unknown outcome",
    set_assignee: "`assigned_to_id` (the people map names Redmine user ids), re-read after",
  },
  emulated: {
    workflow_graph: "no workflow API: the statuses, with the transitions learned from each read",
    routed_move:
      "`routes:` and learned transitions; each step re-read (Redmine drops a refused status silently)",
    pr_link: "no web links: one note carrying the PR's URL, written once",
    unlink: "the link note edited or emptied (`PUT /journals/{id}.json`, Redmine 5.0+)",
  },
  unavailable: {
    find_user_by_email:
      "Redmine lists users (`/users.json?name=`, which matches e-mails) only to administrators' keys: the people map names user ids",
  },
});

const mode = { label: "Redmine", capabilities };

const PERMISSION: Record<string, string> = {
  set_field:
    'the "Edit issues" permission in the issue\'s project (and the custom field editable by its role)',
  move: 'the "Edit issues" permission, and a workflow transition for its role from the current status',
  comment: 'the "Add notes" permission in the issue\'s project',
  link: 'the "Add notes" permission in the issue\'s project',
  fix_version: 'the "Edit issues" permission, and "Manage versions" to create a missing version',
};

export const redmineKind: TrackerKind = {
  type: "redmine",
  label: "Redmine",
  keys: { style: "numeric", prefixOption: "key_prefix" },
  projectHelp: "Redmine project",
  connection: {
    fields: {
      key_prefix: z.string().regex(/^[A-Za-z][A-Za-z0-9_]+$/, "must be letters, like RM"),
      login: z.string().optional(),
    },
    env: { key_prefix: "TRACKER_KEY_PREFIX", login: "TRACKER_LOGIN" },
    toConnection: (fields) => ({
      keyPrefix: fields.key_prefix as string,
      login: fields.login as string | undefined,
    }),
  },
  modes: [mode],
  modeOf: () => mode,
  create: createRedmineTracker,
  webhook: {
    async read(connection, secret, headers, body): Promise<TrackerWebhook> {
      const refused = await signatureRefused(headers, secret, body, "X-Redmine-Signature-256");
      if (refused) return refused;
      // `{"type": "issue.updated", "data": {"issue": {"id": 4521, …}}}` → `RM-4521`.
      const payload = jsonBody(body);
      if (payload === undefined) return NOT_JSON;
      const event = field(payload, "type");
      if (typeof event === "string" && !event.startsWith("issue.")) {
        return { kind: "ignored", reason: `${event} is not about an issue` };
      }
      const data = field(payload, "data");
      const id = field(field(data, "issue"), "id") ?? field(data, "id");
      if ((typeof id !== "number" && typeof id !== "string") || !/^\d+$/.test(String(id))) {
        return { kind: "invalid", reason: "the body has no issue id in data.issue.id" };
      }
      const prefix = (connection.keyPrefix ?? "").toUpperCase();
      return { kind: "signal", key: `${prefix}-${id}`, deliveryId: null };
    },
    async connect(connection, target) {
      return [
        "Redmine 7 webhooks are added by a Redmine administrator:",
        "",
        `1. Administration → Webhooks → New webhook; URL: ${target.endpoint}`,
        `2. Project: ${target.project}; events: issue updated.`,
        `3. Secret: the value in ${connection.webhookSecretFrom ?? "the connection's webhook_secret"} on the trackbridge server (not printed here).`,
        "",
        "Redmine then signs each call with X-Redmine-Signature-256; trackbridge answers 401 to any call it cannot verify. Older Redmine: nothing to add, changes are polled.",
        "",
      ].join("\n");
    },
  },
  issueUrl: (connection, key) =>
    `${connection.url.replace(/\/+$/, "")}/issues/${numericKeys(connection).id(key)}`,
  doctor: {
    projectWord: "project",
    tokenFix: () =>
      'put the API access key from "My account" in TRACKER_TOKEN (token: in TRACKBRIDGE_CONNECTIONS); the REST API must be on (Administration → Settings → API)',
    forbidden: "token",
    workflowFix: () => "let the token's user see the projects the repositories name",
  },
  action: {
    inputs: { "key-prefix": { field: "key_prefix" }, login: { field: "login" } },
    check(given, issue) {
      if (!given["key-prefix"]) {
        issue(
          "key-prefix",
          "is required for tracker redmine: its issues are numbered, so keys are <prefix>-123 (e.g. RM)",
        );
      }
    },
    credentialHint: () =>
      'Check the "token" input: the API access key from "My account" of a Redmine user that can see the project (REST API enabled in Administration → Settings → API).',
    forbiddenHint: (_connection, change) =>
      `The token's user needs ${PERMISSION[change] ?? PERMISSION.set_field}.`,
  },
};
