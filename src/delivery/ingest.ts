/**
 * POST /api/github/webhooks: verify, record, answer — and only then work. GitHub counts an
 * answer slower than 10 s as a failure and never retries on its own, so the answer waits
 * for nothing but the delivery's commit; planning and tracker calls happen in the worker.
 *
 * Answers: 202 stored (or already stored: a redelivery), 401 bad or missing signature
 * (nothing stored), 400 missing headers or invalid JSON, 413 over `maxBytes`, 500 the store
 * failed (GitHub shows a failed delivery, which the redelivery poller asks for again).
 *
 * The steps every ingest endpoint shares (a tracker's webhook, Productboard's plugin call) are
 * here too: the body read within its limit, the record before the answer, the 500 for a
 * failure no step answered.
 *
 * @example
 * const handler = createIngestHandler({ store, secret, onStored: () => worker.wake(), log });
 * router.post("/api/github/webhooks", handler);
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { verify } from "@octokit/webhooks-methods";
import { type Clock, errorMessage, type Logger, systemClock } from "./runtime.js";
import type { Store } from "./store.js";
import type { NewDelivery } from "./types.js";

/** GitHub caps payloads at 25 MB; a PR event is a few tens of KB. */
export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;

export interface IngestOptions {
  store: Pick<Store, "recordDelivery">;
  secret: string;
  maxBytes?: number;
  /** Called after a new delivery is committed and answered: wake the worker. */
  onStored?: () => void;
  log: Logger;
  clock?: Clock;
  /** Every answer, for /metrics: outcome stored, duplicate, bad_signature, invalid, too_large, error. */
  observe?: (answer: { event: string; outcome: string; seconds: number }) => void;
}

export function createIngestHandler(
  options: IngestOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  const { secret, log } = options;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const clock = options.clock ?? systemClock;
  if (!secret)
    throw new Error("the webhook secret is empty: refusing to accept unsigned deliveries");

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const observed = (outcome: string) =>
      options.observe?.({
        event: header(req, "x-github-event") ?? "unknown",
        outcome,
        seconds: (performance.now() - started) / 1000,
      });
    const answer = (res: ServerResponse, status: number, body: object, outcome: string) => {
      reply(res, status, body);
      observed(outcome);
    };
    if (req.method !== "POST") return answer(res, 405, { ok: false, error: "use POST" }, "invalid");
    const body = await readBodyWithin(req, res, maxBytes);
    if (body === null) return observed("too_large");

    const text = body.toString("utf8");
    if (!(await signatureMatches(secret, text, header(req, "x-hub-signature-256")))) {
      log.warn(
        { delivery: header(req, "x-github-delivery") },
        "webhook signature does not match; ignored",
      );
      return answer(res, 401, { ok: false, error: "signature does not match" }, "bad_signature");
    }
    const id = header(req, "x-github-delivery");
    const event = header(req, "x-github-event");
    if (!id || !event) {
      return answer(
        res,
        400,
        { ok: false, error: "X-GitHub-Delivery and X-GitHub-Event are required" },
        "invalid",
      );
    }
    const json = payloadJson(text, header(req, "content-type"));
    if (!looksLikeJsonObject(json)) {
      return answer(res, 400, { ok: false, error: "the payload is not a JSON object" }, "invalid");
    }

    const receivedAt = new Date(clock.now()).toISOString();
    let recorded = false;
    const delivery = { id, event, rawPayload: json, receivedAt };
    const said = { log: "delivery", answer: "delivery" };
    await recordThenAnswer(res, delivery, options, said, (outcome) => {
      recorded = true;
      const observe = outcome === "new" ? "stored" : "duplicate";
      answer(res, 202, { ok: true, duplicate: outcome === "duplicate" }, observe);
      log.debug({ delivery: id, event, outcome }, "delivery recorded");
    });
    if (!recorded) observed("error");
  }

  return answerFailures(handle, log, "webhook");
}

/**
 * Node's request handler around `handle`: a failure no step answered is a 500, or a dropped
 * connection once the answer has begun; never an unhandled rejection.
 */
export function answerFailures<Rest extends unknown[]>(
  handle: (req: IncomingMessage, res: ServerResponse, ...rest: Rest) => Promise<void>,
  log: Logger,
  /** What the endpoint takes, for the log: "webhook", "tracker webhook", … */
  what: string,
): (req: IncomingMessage, res: ServerResponse, ...rest: Rest) => void {
  return (req, res, ...rest) => {
    handle(req, res, ...rest).catch((error: unknown) => {
      log.error({ err: errorMessage(error) }, `${what} request failed`);
      if (!res.headersSent) reply(res, 500, { ok: false, error: "internal error" });
      else res.destroy();
    });
  };
}

/**
 * The body, or null once 413 is answered: a declared length over `maxBytes` is refused
 * before any of it is read, a body that grows past it as soon as it does.
 */
export async function readBodyWithin(
  req: IncomingMessage,
  res: ServerResponse,
  maxBytes: number,
): Promise<Buffer | null> {
  const declared = Number(req.headers["content-length"]);
  const over = Number.isFinite(declared) && declared > maxBytes;
  const body = over ? null : await readBody(req, maxBytes);
  if (body === null) tooLarge(req, res, maxBytes);
  return body;
}

/**
 * Records a signal, and only then answers with `answer`: what the sender was told is stored.
 * A store that fails answers 500 (the sender tries again); a new delivery then wakes the
 * worker (`onStored`).
 */
export async function recordThenAnswer(
  res: ServerResponse,
  delivery: NewDelivery,
  options: Pick<IngestOptions, "store" | "log" | "onStored">,
  /** What was not recorded: for the log ("tracker webhook") and for the sender ("delivery"). */
  unrecorded: { log: string; answer: string },
  answer: (outcome: "new" | "duplicate") => void,
): Promise<void> {
  let outcome: "new" | "duplicate";
  try {
    outcome = await options.store.recordDelivery(delivery);
  } catch (error) {
    const fields = { delivery: delivery.id, err: errorMessage(error) };
    options.log.error(fields, `could not record the ${unrecorded.log}`);
    return reply(res, 500, { ok: false, error: `could not record the ${unrecorded.answer}` });
  }
  answer(outcome);
  if (outcome === "new") options.onStored?.();
}

/** The body, or null as soon as it grows past `maxBytes` (the rest is not buffered). */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.off("data", onData);
        resolve(null);
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () => resolve(Buffer.concat(chunks, size)));
    req.once("error", reject);
  });
}

/**
 * Answers 413 and closes the connection. The rest of the upload is read and dropped (not
 * kept) so that the client gets to read the answer instead of a reset.
 */
export function tooLarge(req: IncomingMessage, res: ServerResponse, maxBytes: number): void {
  res.setHeader("connection", "close");
  reply(res, 413, { ok: false, error: `payload larger than ${maxBytes} bytes` });
  req.resume();
}

async function signatureMatches(secret: string, body: string, signature: string | undefined) {
  if (!signature || !body) return false;
  try {
    return await verify(secret, body, signature);
  } catch {
    return false;
  }
}

/**
 * The JSON is stored as received and parsed once, by the worker, which fails the delivery
 * with the parser's message if it is not JSON after all. Parsing a ~23 KB payload here as
 * well only to check it cost ~100 µs of the thread that answers webhooks, and its garbage. A
 * signed body comes from whoever holds the secret, so this catches what a person sends by
 * hand (an empty or form body, a truncated file) and answers it with a 400.
 */
function looksLikeJsonObject(json: string): boolean {
  let start = 0;
  let end = json.length - 1;
  while (start <= end && isJsonSpace(json.charCodeAt(start))) start++;
  while (end > start && isJsonSpace(json.charCodeAt(end))) end--;
  return json[start] === "{" && json[end] === "}";
}

function isJsonSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

/** GitHub sends JSON, or `payload=<json>` when a hook was set up with the form content type. */
function payloadJson(text: string, contentType: string | undefined): string {
  if (contentType?.startsWith("application/x-www-form-urlencoded")) {
    return new URLSearchParams(text).get("payload") ?? "";
  }
  return text;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function reply(res: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}
