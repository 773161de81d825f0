/**
 * Drives a webhook endpoint with autocannon (programmatic API). Every request gets a unique
 * X-GitHub-Delivery; bodies rotate over a pool whose signatures are computed once (the
 * signature covers the body only, so precomputing it is exact and keeps the load generator
 * cheap). Latency percentiles come from each response's own time, not autocannon's histogram.
 *
 * Note on `overallRate`: autocannon spreads the rate over the connections, and each
 * connection sends its share for the second back to back, then waits for the next second.
 * Arrivals are therefore bursts at the top of each second, not evenly spaced: a harder test
 * of the ack latency than a smooth stream at the same rate.
 */
import { createHmac } from "node:crypto";
import autocannon from "autocannon";
import { type Summary, summarize } from "./stats.js";

export interface WebhookLoad {
  url: string;
  secret: string;
  event: string;
  bodies: readonly string[];
  /** Prefix of the delivery ids, unique per run. */
  runId: string;
  connections: number;
  /** Requests per second over all connections; none: as fast as the server answers. */
  rate?: number;
  durationSeconds?: number;
  /** Stop after this many requests instead of after a duration. */
  amount?: number;
}

export interface LoadResult {
  sent: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  seconds: number;
  /** 2xx answers per second over the run. */
  throughput: number;
  latencyMs: Summary;
}

export function signatureOf(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

export async function runWebhookLoad(load: WebhookLoad): Promise<LoadResult> {
  const signatures = load.bodies.map((body) => signatureOf(load.secret, body));
  let next = 0;
  const latencies: number[] = [];
  const options: autocannon.Options = {
    url: load.url,
    method: "POST",
    connections: load.connections,
    ...(load.rate ? { overallRate: load.rate } : {}),
    ...(load.amount ? { amount: load.amount } : { duration: load.durationSeconds ?? 10 }),
    timeout: 15,
    requests: [
      {
        method: "POST",
        setupRequest: (request) => {
          const n = next++;
          const i = n % load.bodies.length;
          request.body = load.bodies[i];
          request.headers = {
            "content-type": "application/json",
            "user-agent": "GitHub-Hookshot/bench",
            "x-github-event": load.event,
            "x-github-delivery": `${load.runId}-${n}`,
            "x-hub-signature-256": signatures[i],
          };
          return request;
        },
      },
    ],
  };
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(options, (error: unknown, done: autocannon.Result) =>
      error ? reject(error) : resolve(done),
    );
    instance.on("response", (_client, status, _bytes, responseTime) => {
      if (status >= 200 && status < 300) latencies.push(responseTime);
    });
  });
  return {
    sent: result.requests.sent,
    ok: result["2xx"],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    seconds: result.duration,
    throughput: result["2xx"] / result.duration,
    latencyMs: summarize(latencies),
  };
}
