/**
 * The Productboard plugin integration's action URL (`/api/productboard/plugin`): Productboard
 * calls it when a PM pushes a feature's "trackbridge" button, unlinks or dismisses it.
 *
 * - `GET ?validationToken=…`: Productboard's probe when the integration is created; the token
 *   is echoed as text/plain.
 * - `POST`, with the `Authorization` value the integration was registered with (compared in
 *   constant time; 401 and nothing stored otherwise): `button.push` is recorded for the
 *   processing thread and answered `progress` (the job then creates the issue and connects the
 *   button); `button.unlink` and `button.dismiss` are recorded and answered `initial`.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { sameSecret } from "../config/same-secret.js";
import {
  answerFailures,
  DEFAULT_MAX_BYTES,
  readBodyWithin,
  recordThenAnswer,
  reply,
} from "../delivery/ingest.js";
import type { Logger } from "../delivery/runtime.js";
import type { Store } from "../delivery/store.js";
import { FEATURE_EVENT, type FeatureSignal } from "../handlers/plan-feature.js";

export const PRODUCTBOARD_PLUGIN_PATH = "/api/productboard/plugin";

export interface ProductboardPluginOptions {
  store: Pick<Store, "recordDelivery">;
  /** Secret: the integration's `action.headers.authorization`. */
  authorization: string;
  maxBytes?: number;
  onStored?: () => void;
  log: Logger;
}

interface PluginCall {
  data?: {
    trigger?: unknown;
    feature?: { id?: unknown; links?: { html?: unknown } };
  };
}

function state(value: "progress" | "initial") {
  return { data: { connection: { state: value } } };
}

export function createProductboardPluginHandler(
  options: ProductboardPluginOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  const { log } = options;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === "GET") {
      const token = new URL(req.url ?? "/", "http://x").searchParams.get("validationToken");
      if (!token) return reply(res, 400, { ok: false, error: "no validationToken" });
      res.writeHead(200, { "content-type": "text/plain" });
      return void res.end(token);
    }
    if (req.method !== "POST") return reply(res, 405, { ok: false, error: "GET or POST" });
    const sent = req.headers.authorization;
    if (sent === undefined || !sameSecret(sent, options.authorization)) {
      log.warn({}, "Productboard plugin call refused: missing or wrong authorization");
      return reply(res, 401, { ok: false, error: "missing or wrong authorization" });
    }
    const body = await readBodyWithin(req, res, maxBytes);
    if (body === null) return;
    let call: PluginCall;
    try {
      call = JSON.parse(body.toString("utf8")) as PluginCall;
    } catch {
      return reply(res, 400, { ok: false, error: "the body is not JSON" });
    }
    const trigger = call.data?.trigger;
    const featureId = call.data?.feature?.id;
    const html = call.data?.feature?.links?.html;
    if (typeof featureId !== "string" || featureId === "")
      return reply(res, 400, { ok: false, error: "no data.feature.id" });
    const op =
      trigger === "button.push"
        ? "push"
        : trigger === "button.unlink" || trigger === "button.dismiss"
          ? "unlink"
          : null;
    if (op === null)
      return reply(res, 400, { ok: false, error: `unknown trigger ${String(trigger)}` });

    const payload: FeatureSignal = {
      op,
      featureId,
      // The console links it: a page address, never a `javascript:` or other scheme.
      ...(isWebAddress(html) ? { featureUrl: html } : {}),
    };
    const id = `productboard:${randomUUID()}`;
    const delivery = { id, event: FEATURE_EVENT, payload, receivedAt: new Date().toISOString() };
    const unrecorded = { log: "Productboard call", answer: "call" };
    await recordThenAnswer(res, delivery, options, unrecorded, () => {
      reply(res, 200, state(op === "push" ? "progress" : "initial"));
      log.info({ delivery: id, feature: featureId, op }, "Productboard feature call recorded");
    });
  }

  return answerFailures(handle, log, "Productboard plugin");
}

function isWebAddress(value: unknown): value is string {
  if (typeof value !== "string" || !URL.canParse(value)) return false;
  const { protocol } = new URL(value);
  return protocol === "https:" || protocol === "http:";
}
