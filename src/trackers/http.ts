/**
 * The HTTP layer both adapters share: one request per call with a timeout (send.ts), and
 * every failure turned into a `TrackerError` whose message names the connection and the
 * operation and never the token.
 */
import { scrubSecrets } from "../core/scrub-secrets.js";
import type { HeaderReader, Send, SendAnswer } from "../http/send.js";
import type { TrackerConnection } from "./connection.js";
import { kindForStatus, retryAfterMs, TrackerError, type TrackerErrorKind } from "./errors.js";

export interface HttpDeps {
  send: Send;
  timeoutMs: number;
}

/** What a call was doing, for messages: `{ what: "transition PROJ-9", key: "PROJ-9" }`. */
export interface Operation {
  what: string;
  /** The issue the call was about; a 404 then reads "issue KEY not found in …". */
  key?: string;
  /** The user the call makes the assignee: a tracker may say it is them it cannot find. */
  assignee?: string;
}

export interface HttpResponse {
  status: number;
  headers: HeaderReader;
  body: unknown;
}

export interface TrackerHttpOptions {
  connection: TrackerConnection;
  headers: Record<string, string>;
  /** Strings that must never reach a message: the token, an encoded Basic credential. */
  secrets: string[];
  /** The tracker's own words from an error body ("" when it said nothing useful). */
  readMessage: (body: unknown) => string;
  /**
   * The tracker's own verdict from an error body, where the status alone misleads (Linear
   * answers a failed operation 400 and names what failed in `extensions.code`).
   */
  classify?: (status: number, body: unknown) => TrackerErrorKind | undefined;
  /**
   * The message for a not-found answer that is not about the issue, where the tracker says what
   * it could not find (Linear: "Entity not found: User"); undefined keeps the message.
   */
  notFoundMessage?: (body: unknown, op: Operation) => string | undefined;
  /** How long to wait from the tracker's own headers, when `Retry-After` does not say. */
  waitMs?: (headers: HeaderReader, now: number) => number | undefined;
  deps: HttpDeps;
}

export interface TrackerHttp {
  /**
   * `path` is relative to the connection URL and may carry a query string; `headers` are
   * added to the connection's for this request only (`If-Match`).
   */
  request(
    method: string,
    path: string,
    op: Operation,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<HttpResponse>;
  /**
   * The error for a failed answer, as `request` throws it for a non-2xx status: for trackers
   * that answer some failures 200 with an error body (GraphQL `errors`).
   */
  failure(response: HttpResponse, op: Operation): TrackerError;
}

export function createTrackerHttp(options: TrackerHttpOptions): TrackerHttp {
  const { connection, deps } = options;
  const base = connection.url.replace(/\/+$/, "");
  const redact = (text: string) => scrubSecrets(text, options.secrets);
  const fail = (kind: TrackerError["kind"], message: string, extra: object = {}) =>
    new TrackerError(kind, redact(message), { connection: connection.name, ...extra });

  const failure = (response: HttpResponse, op: Operation, text = "") => {
    const { status, headers, body } = response;
    const kind = options.classify?.(status, body) ?? kindForStatus(status);
    const now = Date.now();
    const waitMs = retryAfterMs(headers, now) ?? options.waitMs?.(headers, now);
    const trackerMessage = options.readMessage(body) || plainText(text);
    const message =
      (kind === "not_found" && options.notFoundMessage?.(body, op)) ||
      httpMessage(connection.name, status, kind, op, trackerMessage, waitMs);
    return fail(kind, message, { status, retryAfterMs: waitMs });
  };

  return {
    failure: (response, op) => failure(response, op),

    async request(method, path, op, body, extraHeaders) {
      let response: SendAnswer;
      try {
        response = await deps.send({
          method,
          url: `${base}${path}`,
          headers: extraHeaders ? { ...options.headers, ...extraHeaders } : options.headers,
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          timeoutMs: deps.timeoutMs,
        });
      } catch (error) {
        throw fail("network", networkMessage(connection, op, error, deps.timeoutMs), {
          cause: error,
        });
      }
      const { status, headers, text } = response;
      const parsed = parseBody(text);
      if (status >= 200 && status < 300) return { status, headers, body: parsed };

      throw failure({ status, headers, body: parsed }, op, text);
    },
  };
}

function parseBody(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A proxy's HTML error page reduced to a line someone can read. */
function plainText(text: string): string {
  return text
    .replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 200);
}

function httpMessage(
  name: string,
  status: number,
  kind: TrackerErrorKind,
  op: Operation,
  trackerMessage: string,
  waitMs: number | undefined,
): string {
  const said = trackerMessage ? `: ${trackerMessage}` : "";
  switch (kind) {
    case "auth":
      return `the token for connection "${name}" was rejected (${status}): check TRACKER_TOKEN`;
    case "forbidden":
      return `the token for connection "${name}" lacks permission to ${op.what} (${status})${said}`;
    case "not_found":
      return op.key
        ? `issue ${op.key} not found in ${name}`
        : `${name} could not ${op.what}: not found (${status})${said}`;
    case "rate_limited": {
      const wait = waitMs === undefined ? "" : `; retry after ${Math.ceil(waitMs / 1000)} s`;
      const why = status === 429 ? "429" : `${status}, rate limited`;
      return `${name} is rate-limiting requests (${why}) to ${op.what}${wait}${said}`;
    }
    case "server":
      return `${name} failed to ${op.what} (${status})${said}`;
    default:
      // send.ts follows a redirect within the origin; one elsewhere is a URL to correct.
      if (status >= 300 && status < 400)
        return `${name} answered a redirect (${status}) to another address when asked to ${op.what}: set the connection's URL to where it points`;
      return `${name} refused to ${op.what} (${status})${said}`;
  }
}

function networkMessage(
  connection: TrackerConnection,
  op: Operation,
  error: unknown,
  timeoutMs: number,
): string {
  const where = safeOrigin(connection.url);
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return `${connection.name} (${where}) did not answer within ${timeoutMs / 1000} s to ${op.what}`;
  }
  return `could not reach ${connection.name} (${where}) to ${op.what}: ${describeCause(error)}`;
}

/** Origin only: a URL with `user:pass@` must not leak its credentials into a message. */
function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "an invalid URL";
  }
}

/** The useful part of a network error is its code (ECONNREFUSED …), here or in a `cause`. */
function describeCause(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 4; depth++) {
    if (current instanceof Error) {
      const code = (current as { code?: unknown }).code;
      parts.push(typeof code === "string" ? `${code}` : current.message);
      current = current.cause;
    } else {
      parts.push(String(current));
      break;
    }
  }
  const unique = [...new Set(parts.filter(Boolean))];
  return unique.length > 0 ? unique.join(": ") : "unknown error";
}

/** Both trackers answer `{errorMessages: [...], errors: {field: msg}}`; one line from it. */
export function formatErrorBody(body: unknown): string {
  if (typeof body !== "object" || body === null) return "";
  const { errorMessages, errors } = body as { errorMessages?: unknown; errors?: unknown };
  const lines: string[] = [];
  if (Array.isArray(errorMessages)) {
    for (const m of errorMessages) if (typeof m === "string" && m) lines.push(m);
  }
  if (typeof errors === "object" && errors !== null) {
    for (const [field, message] of Object.entries(errors)) {
      const text = String(message);
      // Jira's messages already name the field; Yandex's ("Field not found") do not.
      lines.push(text.includes(field) ? text : `${field}: ${text}`);
    }
  }
  return lines.join("; ");
}
