/**
 * The operational endpoints, outside the console's sign-in: `/healthz` (the process answers),
 * `/readyz` (the store answers and the worker runs: a load balancer stops sending webhooks
 * to a replica that could not record them) and `/metrics` (Prometheus text, optionally
 * behind TRACKBRIDGE_METRICS_TOKEN).
 */
import { Hono } from "hono";
import { sameSecret } from "../config/same-secret.js";
import type { ConsoleDeps } from "./deps.js";
import { ping } from "./queries.js";

const READY_TIMEOUT_MS = 2_000;

export function opsRoutes(deps: ConsoleDeps): Hono {
  const app = new Hono();
  const health = () => ({ ok: true });
  app.get("/healthz", (c) => c.json(health()));
  app.get("/ping", (c) => c.json(health()));

  app.get("/readyz", async (c) => {
    let store = "ok";
    try {
      await withTimeout(ping(deps.store), READY_TIMEOUT_MS);
    } catch (error) {
      store = `not answering: ${error instanceof Error ? error.message : String(error)}`;
    }
    const worker = deps.worker.state();
    const ready = store === "ok" && worker === "running";
    return c.json({ ready, store, worker }, ready ? 200 : 503);
  });

  app.get("/metrics", async (c) => {
    const expected = deps.config.metricsToken;
    if (expected) {
      const given = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "")?.[1];
      if (!given || !sameSecret(given, expected)) {
        return c.json({ error: "send Authorization: Bearer <TRACKBRIDGE_METRICS_TOKEN>" }, 401);
      }
    }
    const text = await deps.metrics.registry.metrics();
    return c.body(text, 200, { "content-type": deps.metrics.registry.contentType });
  });
  return app;
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
