/**
 * Sends a webhook the way GitHub does: the JSON body signed with HMAC-SHA256 of the
 * webhook secret in `X-Hub-Signature-256`, the event name and delivery id in headers.
 * Tests and the demo use it to drive the App over real HTTP; the GitHub simulator uses it
 * for redeliveries.
 */
import { randomUUID } from "node:crypto";
import { sign } from "@octokit/webhooks-methods";
import { checkWebhook } from "./contract.js";

export interface SendWebhookInput {
  url: string;
  secret: string;
  event: string;
  /** An object is serialized with JSON.stringify; a string is sent byte for byte (redeliveries). */
  payload: unknown;
  /** X-GitHub-Delivery; a fresh UUID when absent. */
  deliveryId?: string;
  /** Extra headers, e.g. X-GitHub-Hook-ID. */
  headers?: Record<string, string>;
  /** To give up on a slow receiver, as GitHub does after 10 s. */
  signal?: AbortSignal;
}

export interface SendWebhookResult {
  status: number;
  body: string;
  deliveryId: string;
}

/** `signPayload("secret", body)` → `"sha256=…"`, the X-Hub-Signature-256 value. */
export function signPayload(secret: string, body: string): Promise<string> {
  return sign(secret, body);
}

export function serializePayload(payload: unknown): string {
  return typeof payload === "string" ? payload : JSON.stringify(payload);
}

/**
 * @example
 * const { status } = await sendWebhook({ url: `${appUrl}/api/github/webhooks`, secret, event: "pull_request", payload });
 */
export async function sendWebhook(input: SendWebhookInput): Promise<SendWebhookResult> {
  const body = serializePayload(input.payload);
  checkWebhook(input.event, typeof input.payload === "string" ? JSON.parse(body) : input.payload);
  const deliveryId = input.deliveryId ?? randomUUID();
  const response = await fetch(input.url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "user-agent": "GitHub-Hookshot/simulator",
      "x-github-event": input.event,
      "x-github-delivery": deliveryId,
      "x-hub-signature-256": await signPayload(input.secret, body),
      ...input.headers,
    },
    body,
    signal: input.signal,
  });
  return { status: response.status, body: await response.text(), deliveryId };
}
