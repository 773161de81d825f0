/**
 * Creates the Yandex Tracker trigger that calls trackbridge when an issue's status changes
 * (`POST /v2/queues/{queue}/triggers`): an HTTP-request ("Webhook") action that POSTs
 * `{"key": "{{issue.key}}"}` with the connection's webhook secret in `X-Trackbridge-Token`.
 * Tracker triggers do not sign their requests, so the shared secret header is what the
 * endpoint checks. Safe to run again: a trigger with the same name and endpoint is kept, its
 * secret brought up to date.
 */
import type { TrackerConnection } from "../connection.js";
import type { HttpDeps } from "../http.js";
import { createYandexClient } from "./client.js";

export const TRIGGER_NAME = "trackbridge: issue status changed";
const TOKEN_HEADER = "X-Trackbridge-Token";

export function webhookTrigger(endpoint: string, secret: string) {
  return {
    name: TRIGGER_NAME,
    actions: [
      {
        type: "Webhook",
        endpoint,
        method: "POST",
        contentType: "application/json",
        authContext: { type: "noauth" },
        headers: { [TOKEN_HEADER]: secret },
        body: '{"key": "{{issue.key}}"}',
      },
    ],
    conditions: [{ type: "Event.update" }, { type: "FieldChangedCondition", field: "status" }],
    active: true,
  };
}

/**
 * Creates the trigger, or keeps the one already there; one whose header still carries an
 * older secret (the secret was rotated since) is updated in place, or Tracker would go on
 * sending the old one and every call would be refused.
 *
 * @example
 * await connectYandexWebhook(connection, { queue: "PROJ", endpoint: "https://tb.example.com/api/trackers/yandex/webhooks" }, deps)
 * // { outcome: "created", triggerId: "12" }
 */
export async function connectYandexWebhook(
  connection: TrackerConnection,
  input: { queue: string; endpoint: string },
  deps: HttpDeps,
): Promise<{ outcome: "created" | "exists" | "updated"; triggerId: string }> {
  const secret = connection.webhookSecret;
  if (!secret) throw new Error(`connection "${connection.name}" has no webhook_secret`);
  const client = createYandexClient(connection, deps);
  const wanted = webhookTrigger(input.endpoint, secret);
  const existing = await client.listTriggers(input.queue);
  const same = (Array.isArray(existing) ? (existing as ListedTrigger[]) : []).find(
    (trigger) =>
      trigger.name === TRIGGER_NAME && trigger.actions?.some((a) => a.endpoint === input.endpoint),
  );
  if (!same) {
    const created = (await client.createTrigger(input.queue, wanted)) as { id?: unknown } | null;
    return { outcome: "created", triggerId: String(created?.id ?? "") };
  }
  const triggerId = String(same.id);
  const current = same.actions?.every(
    (a) => a.endpoint !== input.endpoint || a.headers?.[TOKEN_HEADER] === secret,
  );
  if (current) return { outcome: "exists", triggerId };
  // Tracker may hide a header's value once saved: then the secret cannot be compared, and
  // writing it again is the only way to be sure the trigger sends the current one.
  await client.updateTrigger(
    input.queue,
    { id: triggerId, version: Number(same.version ?? 1) },
    { actions: wanted.actions, conditions: wanted.conditions },
  );
  return { outcome: "updated", triggerId };
}

type ListedTrigger = {
  id?: unknown;
  name?: unknown;
  version?: unknown;
  actions?: Array<{ endpoint?: unknown; headers?: Record<string, unknown> }>;
};
