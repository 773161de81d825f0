/**
 * What each kind's webhook reader shares: the result shape, header access, constant-time
 * secret checks and a JSON body read. Kept apart from `webhook.ts` (which looks kinds up in
 * the registry) so the kinds can use these without importing the registry.
 */
import { verify } from "@octokit/webhooks-methods";
import { sameSecret } from "../config/same-secret.js";

export type TrackerWebhook =
  | { kind: "unauthorized"; reason: string }
  | { kind: "invalid"; reason: string }
  /** Authentic, but not about a status (a Jira comment, a field edit): nothing to store. */
  | { kind: "ignored"; reason: string }
  | { kind: "signal"; key: string; deliveryId: string | null };

export type RawHeaders = Record<string, string | string[] | undefined>;

/** A project-style key (PROJ-123), as Yandex Tracker and Jira send it. */
export const PROJECT_ISSUE_KEY = /^[A-Za-z][A-Za-z0-9_]*-\d+$/;

export const NOT_JSON: TrackerWebhook = { kind: "invalid", reason: "the body is not valid JSON" };

/** The first value of a (lower-case) header. */
export function headerOf(headers: RawHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The parsed body, or undefined when it is not JSON. Parse only after the request is verified. */
export function jsonBody(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** `X-Hub-Signature: sha256=<hex HMAC-SHA256 of the raw body>` (GitHub's scheme, Jira's too). */
export async function hubSignatureMatches(
  secret: string,
  body: string,
  signature: string,
): Promise<boolean> {
  try {
    return await verify(secret, body, signature);
  } catch {
    return false;
  }
}

/** A property of a parsed JSON value, or undefined when it is not an object. */
export function field(value: unknown, name: string): unknown {
  return typeof value === "object" && value !== null
    ? (value as Record<string, unknown>)[name]
    : undefined;
}

/** A shared token in a header (`X-Trackbridge-Token`): the refusal, or null when it matches. */
export function tokenRefused(
  headers: RawHeaders,
  secret: string,
  name: string,
): TrackerWebhook | null {
  const token = headerOf(headers, name.toLowerCase());
  if (!token) return { kind: "unauthorized", reason: `${name} is missing` };
  return sameSecret(token, secret)
    ? null
    : { kind: "unauthorized", reason: `${name} does not match` };
}

/** `sha256=<hex HMAC>` of the raw body in a header: the refusal, or null when it matches. */
export async function signatureRefused(
  headers: RawHeaders,
  secret: string,
  body: string,
  name: string,
): Promise<TrackerWebhook | null> {
  const signature = headerOf(headers, name.toLowerCase());
  if (!signature) return { kind: "unauthorized", reason: `${name} is missing` };
  return (await hubSignatureMatches(secret, body, signature))
    ? null
    : { kind: "unauthorized", reason: `${name} does not match` };
}
