/**
 * One signed webhook over a keep-alive agent, and an even pacing of many: what the timed parts
 * send with when each request's own timing matters (autocannon paces in bursts; see load.ts).
 */
import { type Agent, request } from "node:http";
import { signatureOf } from "./load.js";

export interface Webhook {
  agent: Agent;
  url: string;
  event: string;
  body: string;
  deliveryId: string;
  secret: string;
}

/** Resolves when the App answered 202 (the delivery is stored); rejects on anything else. */
export function postWebhook(hook: Webhook): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(hook.url, {
      method: "POST",
      agent: hook.agent,
      headers: {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(hook.body),
        "x-github-event": hook.event,
        "x-github-delivery": hook.deliveryId,
        "x-hub-signature-256": signatureOf(hook.secret, hook.body),
      },
    });
    req.on("response", (res) => {
      res.resume();
      res.on("end", () =>
        res.statusCode === 202 ? resolve() : reject(new Error(`App answered ${res.statusCode}`)),
      );
    });
    req.on("error", reject);
    req.end(hook.body);
  });
}

/** Calls `each` for item i at start + i/rate seconds, without waiting for earlier ones to finish. */
export async function paced<T>(
  items: readonly T[],
  rate: number,
  each: (item: T, i: number) => Promise<void>,
): Promise<void> {
  const start = performance.now();
  const inFlight: Promise<void>[] = [];
  for (const [i, item] of items.entries()) {
    const wait = start + (i * 1000) / rate - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(each(item, i));
  }
  await Promise.all(inFlight);
}
