/**
 * Creates the Yandex Tracker trigger that calls trackbridge when an issue's status changes
 * (`POST /v2/queues/{queue}/triggers`): an HTTP-request ("Webhook") action that POSTs
 * `{"key": "{{issue.key}}"}` with the connection's webhook secret in `X-Trackbridge-Token`.
 * Tracker triggers do not sign their requests, so the shared secret header is what the
 * endpoint checks. Safe to run again: a trigger with the same name and endpoint is kept.
 */
import type { TrackerConnection } from "../connection.js";
import type { HttpDeps } from "../http.js";
import { createYandexClient } from "./client.js";

export const TRIGGER_NAME = "trackbridge: issue status changed";

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
        headers: { "X-Trackbridge-Token": secret },
        body: '{"key": "{{issue.key}}"}',
      },
    ],
    conditions: [{ type: "Event.update" }, { type: "FieldChangedCondition", field: "status" }],
    active: true,
  };
}

/**
 * @example
 * await connectYandexWebhook(connection, { queue: "PROJ", endpoint: "https://tb.example.com/api/trackers/yandex/webhooks" }, deps)
 * // { outcome: "created", triggerId: "12" }
 */
export async function connectYandexWebhook(
  connection: TrackerConnection,
  input: { queue: string; endpoint: string },
  deps: HttpDeps,
): Promise<{ outcome: "created" | "exists"; triggerId: string }> {
  if (!connection.webhookSecret)
    throw new Error(`connection "${connection.name}" has no webhook_secret`);
  const client = createYandexClient(connection, deps);
  const existing = await client.listTriggers(input.queue);
  const same = (Array.isArray(existing) ? existing : []).find((trigger) => {
    const t = trigger as { name?: unknown; actions?: Array<{ endpoint?: unknown }> };
    return t.name === TRIGGER_NAME && t.actions?.some((a) => a.endpoint === input.endpoint);
  }) as { id?: unknown } | undefined;
  if (same) return { outcome: "exists", triggerId: String(same.id) };
  const created = (await client.createTrigger(
    input.queue,
    webhookTrigger(input.endpoint, connection.webhookSecret),
  )) as { id?: unknown } | null;
  return { outcome: "created", triggerId: String(created?.id ?? "") };
}
