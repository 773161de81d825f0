/**
 * The console's JSON API under /console/api, for scripts (`Authorization: Bearer
 * <TRACKBRIDGE_CONSOLE_TOKEN>`) and the pages' session alike: the same models and actions.
 */
import { Hono } from "hono";
import { z } from "zod";
import type { ConsoleEnv } from "./auth.js";
import * as data from "./data.js";
import type { ConsoleDeps } from "./deps.js";

const jobIds = z.strictObject({ ids: z.array(z.number().int().positive()).min(1).max(500) });
const discard = jobIds.extend({ confirm: z.literal(true) });
const sync = z.strictObject({ repo: z.string().min(3), since: z.string().default("") });

export function apiRoutes(deps: ConsoleDeps): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();
  const invalid = (error: z.ZodError) => ({ error: z.prettifyError(error) });

  app.get("/overview", async (c) => c.json(await data.overview(deps)));
  app.get("/repositories", async (c) => c.json(await data.repositories(deps)));
  app.get("/activity", async (c) =>
    c.json(await data.activity(deps, data.parseActivityFilter(c.req.query()))),
  );
  app.get("/dead-letters", async (c) => c.json(await data.deadLetters(deps)));
  app.get("/audit", async (c) => c.json(await data.auditLog(deps)));

  // The sync's dry run and its apply; a sync that cannot run answers 422 with the reason.
  app.get("/repositories/sync", async (c) => {
    const input = { repo: c.req.query("repo") ?? "", since: c.req.query("since") ?? "" };
    const preview = await data.syncPreview(deps, input);
    return preview.ok ? c.json(preview) : c.json(preview, 422);
  });

  app.post("/repositories/sync", async (c) => {
    const body = sync.safeParse(await c.req.json().catch(() => null));
    if (!body.success) return c.json(invalid(body.error), 400);
    const applied = await data.syncApply(deps, body.data, c.var.viewer.login);
    return applied.ok ? c.json(applied) : c.json(applied, 422);
  });

  app.post("/dead-letters/retry", async (c) => {
    const body = jobIds.safeParse(await c.req.json().catch(() => null));
    if (!body.success) return c.json(invalid(body.error), 400);
    return c.json({ retried: await data.retryJobs(deps, body.data.ids, c.var.viewer.login) });
  });

  app.post("/dead-letters/discard", async (c) => {
    const body = discard.safeParse(await c.req.json().catch(() => null));
    if (!body.success) return c.json(invalid(body.error), 400);
    return c.json({ discarded: await data.discardJobs(deps, body.data.ids, c.var.viewer.login) });
  });

  app.post("/deliveries/:id/retry", async (c) =>
    c.json({ retried: await data.retryDelivery(deps, c.req.param("id"), c.var.viewer.login) }),
  );

  app.post("/connections/:name/test", async (c) => {
    const result = await data.testConnection(deps, c.req.param("name"), c.var.viewer.login);
    return result ? c.json(result) : c.json({ error: "no such connection" }, 404);
  });
  return app;
}
