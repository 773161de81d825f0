/**
 * Linear's webhooks: `Linear-Signature` is the hex HMAC-SHA256 of the raw body with the
 * webhook's signing secret, and the body's `webhookTimestamp` (epoch ms) is when Linear sent
 * it; like `@linear/sdk`, a delivery more than 60 s away from now is refused, so a captured
 * request cannot be replayed later. What trackbridge takes from an authentic one is only
 * "issue KEY changed state": `type: "Issue"`, `data.identifier`, and `updatedFrom.stateId`
 * (the state it left) on an update.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { TrackerWebhook } from "../webhook.js";

export const LINEAR_WEBHOOK_TOLERANCE_MS = 60_000;

type Headers = Record<string, string | string[] | undefined>;

/**
 * @example
 * readLinearWebhook(secret, { "linear-signature": hex }, body, Date.now())
 * // { kind: "signal", key: "ENG-12", deliveryId: "…" }
 */
export function readLinearWebhook(
  secret: string,
  headers: Headers,
  body: string,
  now: number,
): TrackerWebhook {
  const header = (name: string) => {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const signature = header("linear-signature");
  if (!signature) return { kind: "unauthorized", reason: "Linear-Signature is missing" };
  if (!signatureMatches(secret, body, signature)) {
    return { kind: "unauthorized", reason: "Linear-Signature does not match" };
  }
  let payload: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed !== "object" || parsed === null) throw new Error("not an object");
    payload = parsed as Record<string, unknown>;
  } catch {
    return { kind: "invalid", reason: "the body is not a JSON object" };
  }
  const sentAt = Number(payload.webhookTimestamp);
  if (!Number.isFinite(sentAt)) {
    return { kind: "unauthorized", reason: "webhookTimestamp is missing" };
  }
  if (Math.abs(now - sentAt) > LINEAR_WEBHOOK_TOLERANCE_MS) {
    return {
      kind: "unauthorized",
      reason: `webhookTimestamp is ${Math.round(Math.abs(now - sentAt) / 1000)} s away from now (more than 60 s: a replay, or a clock to fix)`,
    };
  }
  if (payload.type !== "Issue") {
    return { kind: "ignored", reason: `a ${String(payload.type)} event, not an issue's` };
  }
  const data = (payload.data ?? {}) as Record<string, unknown>;
  const key = data.identifier;
  if (typeof key !== "string" || !/^[A-Za-z][A-Za-z0-9_]*-\d+$/.test(key)) {
    return { kind: "invalid", reason: "the body has no issue identifier in data.identifier" };
  }
  if (payload.action === "remove") return { kind: "ignored", reason: "the issue was removed" };
  const updatedFrom = payload.updatedFrom as Record<string, unknown> | undefined;
  if (payload.action === "update" && !(updatedFrom && "stateId" in updatedFrom)) {
    return { kind: "ignored", reason: "the update did not change the issue's state" };
  }
  return { kind: "signal", key, deliveryId: header("linear-delivery") ?? null };
}

/** Constant time: both sides are compared as bytes of equal length, else refused outright. */
function signatureMatches(secret: string, body: string, signature: string): boolean {
  const expected = Buffer.from(createHmac("sha256", secret).update(body).digest("hex"));
  const given = Buffer.from(signature.trim().toLowerCase());
  return given.length === expected.length && timingSafeEqual(given, expected);
}
