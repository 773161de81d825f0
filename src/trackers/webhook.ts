/**
 * How a tracker's webhook is read: the connection's kind (`TrackerKind.webhook.read`) proves
 * where it came from (a signature or a shared token header) before the body is parsed, and
 * takes only "something changed on KEY" from it. The App then reads the issue from the
 * tracker's API and never trusts a status in the body.
 */
import type { WebhookConnection } from "./kind.js";
import { kindOf } from "./kinds.js";
import type { RawHeaders, TrackerWebhook } from "./webhook-parts.js";

export type { TrackerWebhook } from "./webhook-parts.js";

/**
 * @example
 * await readTrackerWebhook({ type: "yandex" }, secret, { "x-trackbridge-token": secret }, '{"key":"PROJ-1"}')
 * // { kind: "signal", key: "PROJ-1", deliveryId: null }
 */
export async function readTrackerWebhook(
  connection: WebhookConnection,
  secret: string,
  headers: RawHeaders,
  body: string,
  now = Date.now(),
): Promise<TrackerWebhook> {
  const kind = kindOf(connection.type);
  if (!kind.webhook) {
    return { kind: "invalid", reason: `${kind.label} sends no webhooks: its changes are polled` };
  }
  return kind.webhook.read(connection, secret, headers, body, now);
}
