/**
 * How each tracker's webhook proves where it came from, and what trackbridge takes from it:
 * only "something changed on KEY". The App then reads the issue from the tracker's API and
 * never trusts a status in the body.
 *
 * - Jira admin webhooks sign the raw body: `X-Hub-Signature: sha256=<hex HMAC-SHA256>`, and
 *   name the delivery in `X-Atlassian-Webhook-Identifier` (stable across Jira's retries).
 * - Redmine 7 webhooks sign the raw body the same way GitHub does:
 *   `X-Redmine-Signature-256: sha256=<hex HMAC-SHA256>`; the body names the issue by number
 *   (`data.issue.id`), which becomes `<prefix>-<id>`. Older Redmine and Request Tracker send
 *   none: their changes are polled.
 * - Yandex Tracker triggers do not sign: the trigger sends the secret in `X-Trackbridge-Token`
 *   with the body `{"key": "{{issue.key}}"}`; there is no delivery id.
 * - Linear signs the raw body (`Linear-Signature`) and dates it (`webhookTimestamp`): see
 *   linear/webhook.ts.
 * - YouTrack's Webhook Triggers app does not sign either: it sends the shared webhook token in
 *   a header (`X-YouTrack-Token` by default) and the issue as JSON. The key is read from
 *   `issue.idReadable` (or a top-level `idReadable`); an update whose `changedFields` do not
 *   name State is ignored. The payload's exact shape is not in YouTrack's docs as read: the
 *   reading is tolerant, and only the key is trusted. No delivery id.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { verify } from "@octokit/webhooks-methods";
import type { TrackerConnection } from "./connection.js";
import { readLinearWebhook } from "./linear/webhook.js";

export type TrackerWebhook =
  | { kind: "unauthorized"; reason: string }
  | { kind: "invalid"; reason: string }
  /** Authentic, but not about a status (a Jira comment, a field edit): nothing to store. */
  | { kind: "ignored"; reason: string }
  | { kind: "signal"; key: string; deliveryId: string | null };

const ISSUE_KEY = /^[A-Za-z][A-Za-z0-9_]*-\d+$/;

/**
 * @example
 * await readTrackerWebhook({ type: "yandex" }, secret, { "x-trackbridge-token": secret }, '{"key":"PROJ-1"}')
 * // { kind: "signal", key: "PROJ-1", deliveryId: null }
 */
export async function readTrackerWebhook(
  connection: Pick<TrackerConnection, "type" | "keyPrefix">,
  secret: string,
  headers: Record<string, string | string[] | undefined>,
  body: string,
  now = Date.now(),
): Promise<TrackerWebhook> {
  const { type } = connection;
  if (type === "linear") return readLinearWebhook(secret, headers, body, now);
  const header = (name: string) => {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  if (type === "request-tracker") {
    return { kind: "invalid", reason: "Request Tracker sends no webhooks: its changes are polled" };
  }
  if (type === "redmine") {
    const signature = header("x-redmine-signature-256");
    if (!signature) return { kind: "unauthorized", reason: "X-Redmine-Signature-256 is missing" };
    if (!(await signatureMatches(secret, body, signature))) {
      return { kind: "unauthorized", reason: "X-Redmine-Signature-256 does not match" };
    }
    return redmineSignal(body, connection.keyPrefix ?? "");
  }
  // Project changes reach the App as GitHub's own webhooks, never on this path.
  if (type === "github-projects")
    return { kind: "unauthorized", reason: "GitHub Projects sends no tracker webhooks" };
  if (type === "jira") {
    const signature = header("x-hub-signature");
    if (!signature) return { kind: "unauthorized", reason: "X-Hub-Signature is missing" };
    if (!(await signatureMatches(secret, body, signature))) {
      return { kind: "unauthorized", reason: "X-Hub-Signature does not match" };
    }
  } else {
    const name = type === "youtrack" ? "X-YouTrack-Token" : "X-Trackbridge-Token";
    const token = header(name.toLowerCase());
    if (!token) return { kind: "unauthorized", reason: `${name} is missing` };
    if (!sameSecret(token, secret))
      return { kind: "unauthorized", reason: `${name} does not match` };
  }

  let payload: unknown;
  try {
    payload = JSON.parse(body);
  } catch {
    return { kind: "invalid", reason: "the body is not valid JSON" };
  }
  const key =
    type === "jira"
      ? jiraKey(payload)
      : type === "youtrack"
        ? (field(field(payload, "issue"), "idReadable") ?? field(payload, "idReadable"))
        : field(payload, "key");
  if (typeof key !== "string" || !ISSUE_KEY.test(key)) {
    const where = { jira: "issue.key", youtrack: "issue.idReadable", yandex: '"key"' }[type];
    return { kind: "invalid", reason: `the body has no issue key in ${where}` };
  }
  if (type === "jira" && !jiraStatusMayHaveChanged(payload)) {
    return { kind: "ignored", reason: "the changelog has no status change" };
  }
  if (type === "youtrack" && !youTrackStateMayHaveChanged(payload)) {
    return { kind: "ignored", reason: "changedFields does not name State" };
  }
  const deliveryId = type === "jira" ? (header("x-atlassian-webhook-identifier") ?? null) : null;
  return { kind: "signal", key, deliveryId };
}

/** `{"type": "issue.updated", "data": {"issue": {"id": 4521, …}}}` → `RM-4521`. */
function redmineSignal(body: string, prefix: string): TrackerWebhook {
  let payload: unknown;
  try {
    payload = JSON.parse(body);
  } catch {
    return { kind: "invalid", reason: "the body is not valid JSON" };
  }
  const event = field(payload, "type");
  if (typeof event === "string" && !event.startsWith("issue.")) {
    return { kind: "ignored", reason: `${event} is not about an issue` };
  }
  const data = field(payload, "data");
  const id = field(field(data, "issue"), "id") ?? field(data, "id");
  if ((typeof id !== "number" && typeof id !== "string") || !/^\d+$/.test(String(id))) {
    return { kind: "invalid", reason: "the body has no issue id in data.issue.id" };
  }
  return { kind: "signal", key: `${prefix.toUpperCase()}-${id}`, deliveryId: null };
}

async function signatureMatches(secret: string, body: string, signature: string) {
  try {
    return await verify(secret, body, signature);
  } catch {
    return false;
  }
}

/** Constant time whatever the lengths: both sides are hashed to 32 bytes first. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function field(value: unknown, name: string): unknown {
  return typeof value === "object" && value !== null
    ? (value as Record<string, unknown>)[name]
    : undefined;
}

function jiraKey(payload: unknown): unknown {
  return field(field(payload, "issue"), "key");
}

/**
 * `jira:issue_updated` carries a `changelog`; a status change is an item with field `status`.
 * Events without a changelog (created, a transition on an older Jira) are taken as changes.
 */
function jiraStatusMayHaveChanged(payload: unknown): boolean {
  const items = field(field(payload, "changelog"), "items");
  if (!Array.isArray(items)) return field(payload, "comment") === undefined;
  return items.some(
    (item) => field(item, "field") === "status" || field(item, "fieldId") === "status",
  );
}

/** `changedFields` (names, or objects with `name`) without State: not a status change. */
function youTrackStateMayHaveChanged(payload: unknown): boolean {
  const changed = field(payload, "changedFields");
  if (!Array.isArray(changed)) return true;
  return changed.some((item) => {
    const name = typeof item === "string" ? item : field(item, "name");
    return typeof name === "string" && name.toLowerCase() === "state";
  });
}
