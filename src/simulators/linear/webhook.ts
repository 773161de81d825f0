/**
 * What Linear sends to a webhook URL, for tests and the demo: the JSON body with
 * `webhookTimestamp`, signed in `Linear-Signature` (hex HMAC-SHA256 of the raw body).
 *
 * @example
 * const { headers, body } = linearWebhook(secret, issueStateChanged("ENG-1", "state-id"));
 * await fetch(`${app}/api/trackers/linear/webhooks`, { method: "POST", headers, body });
 */
import { createHmac, randomUUID } from "node:crypto";

export function linearWebhook(
  secret: string,
  payload: Record<string, unknown>,
  sentAt = Date.now(),
): { headers: Record<string, string>; body: string } {
  const body = JSON.stringify({ ...payload, webhookTimestamp: sentAt });
  return {
    headers: {
      "content-type": "application/json; charset=utf-8",
      "linear-delivery": randomUUID(),
      "linear-event": String(payload.type ?? ""),
      "linear-signature": createHmac("sha256", secret).update(body).digest("hex"),
    },
    body,
  };
}

/** An `Issue` `update` whose `updatedFrom` names the state it left. */
export function issueStateChanged(identifier: string, previousStateId: string) {
  return {
    action: "update",
    type: "Issue",
    data: { identifier, id: randomUUID() },
    updatedFrom: { stateId: previousStateId, updatedAt: new Date().toISOString() },
    url: `https://linear.app/acme/issue/${identifier}`,
    createdAt: new Date().toISOString(),
  };
}
