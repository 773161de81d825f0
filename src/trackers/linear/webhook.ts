/**
 * Linear's webhooks: `Linear-Signature` is the hex HMAC-SHA256 of the raw body with the
 * webhook's signing secret, and the body's `webhookTimestamp` (epoch ms) is when Linear sent
 * it; like `@linear/sdk`, a delivery more than 60 s away from now is refused, so a captured
 * request cannot be replayed later. What trackbridge takes from an authentic one is only
 * "issue KEY changed state": `type: "Issue"`, `data.identifier`, and `updatedFrom.stateId`
 * (the state it left) on an update.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { TrackerWebhook } from "../webhook-parts.js";

export const LINEAR_WEBHOOK_TOLERANCE_MS = 60_000;

type Header = (name: string) => string | undefined;

/**
 * The signature, then the timestamp; null when both hold, else why not (never the secret).
 *
 * @example
 * verifyLinearWebhook(secret, (name) => headers[name], body, Date.now()) // null
 */
export function verifyLinearWebhook(
  secret: string,
  header: Header,
  body: string,
  now: number,
): string | null {
  const signature = header("linear-signature");
  if (!signature) return "Linear-Signature is missing";
  if (!signatureMatches(secret, body, signature)) return "Linear-Signature does not match";
  let sentAt = Number.NaN;
  try {
    sentAt = Number((JSON.parse(body) as { webhookTimestamp?: unknown } | null)?.webhookTimestamp);
  } catch {
    // Signed but not JSON: parse says so.
    return null;
  }
  if (!Number.isFinite(sentAt)) return "webhookTimestamp is missing";
  const away = Math.abs(now - sentAt);
  if (away > LINEAR_WEBHOOK_TOLERANCE_MS) {
    return `webhookTimestamp is ${Math.round(away / 1000)} s away from now (more than 60 s: a replay, or a clock to fix)`;
  }
  return null;
}

/** Only an issue's state change (or a new issue) is a signal; the key is `data.identifier`. */
export function parseLinearWebhook(
  payload: unknown,
  header: Header,
): Exclude<TrackerWebhook, { kind: "unauthorized" }> {
  const body = (typeof payload === "object" && payload !== null ? payload : {}) as Record<
    string,
    unknown
  >;
  if (body.type !== "Issue") {
    return { kind: "ignored", reason: `a ${String(body.type)} event, not an issue's` };
  }
  const key = (body.data as { identifier?: unknown } | undefined)?.identifier;
  if (typeof key !== "string" || !/^[A-Za-z][A-Za-z0-9_]*-\d+$/.test(key)) {
    return { kind: "invalid", reason: "the body has no issue identifier in data.identifier" };
  }
  if (body.action === "remove") return { kind: "ignored", reason: "the issue was removed" };
  const updatedFrom = body.updatedFrom;
  const stateChanged =
    typeof updatedFrom === "object" && updatedFrom !== null && "stateId" in updatedFrom;
  if (body.action === "update" && !stateChanged) {
    return { kind: "ignored", reason: "the update did not change the issue's state" };
  }
  return { kind: "signal", key, deliveryId: header("linear-delivery") ?? null };
}

/**
 * @example
 * readLinearWebhook(secret, { "linear-signature": hex }, body, Date.now())
 * // { kind: "signal", key: "ENG-12", deliveryId: "…" }
 */
export function readLinearWebhook(
  secret: string,
  headers: Record<string, string | string[] | undefined>,
  body: string,
  now: number,
): TrackerWebhook {
  const header: Header = (name) => {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const refused = verifyLinearWebhook(secret, header, body, now);
  if (refused !== null) return { kind: "unauthorized", reason: refused };
  try {
    return parseLinearWebhook(JSON.parse(body), header);
  } catch {
    return { kind: "invalid", reason: "the body is not valid JSON" };
  }
}

/** Constant time: both sides are compared as bytes of equal length, else refused outright. */
function signatureMatches(secret: string, body: string, signature: string): boolean {
  const expected = Buffer.from(createHmac("sha256", secret).update(body).digest("hex"));
  const given = Buffer.from(signature.trim().toLowerCase());
  return given.length === expected.length && timingSafeEqual(given, expected);
}
