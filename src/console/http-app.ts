/**
 * Everything the App serves besides the webhook route: the operational endpoints, and the
 * console when an OAuth client or a console token is configured (404 otherwise, so an
 * unconfigured server shows nothing). One Hono app, mounted on the server's node:http
 * listener: same process, same port.
 */
import { Hono } from "hono";
import type { ConsoleDeps } from "./deps.js";
import { opsRoutes } from "./ops-routes.js";

const BASE = "/console";

export function consoleEnabled(deps: Pick<ConsoleDeps, "config">): boolean {
  return Boolean(deps.config.console.oauth || deps.config.console.token);
}

export async function createHttpApp(deps: ConsoleDeps): Promise<Hono> {
  const app = new Hono();
  app.route("/", opsRoutes(deps));
  // Loaded only when on: a server without a console does not pay for its pages at start-up.
  if (consoleEnabled(deps))
    app.route(BASE, (await import("./console-routes.js")).consoleRoutes(deps));
  app.notFound((c) => c.json({ error: `no route ${c.req.method} ${c.req.path}` }, 404));
  app.onError((error, c) => {
    deps.log.error({ err: error.message, path: c.req.path }, "console request failed");
    return c.json({ error: "internal error; the server log has the details" }, 500);
  });
  return app;
}
