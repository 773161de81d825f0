/**
 * Everything the App serves besides the webhook route: the operational endpoints, and the
 * console when an OAuth client or a console token is configured (404 otherwise, so an
 * unconfigured server shows nothing). One Hono app, mounted on the server's node:http
 * listener: same process, same port.
 */
import { Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";
import { apiRoutes } from "./api-routes.js";
import { type ConsoleEnv, requireViewer } from "./auth.js";
import type { ConsoleDeps } from "./deps.js";
import { opsRoutes } from "./ops-routes.js";
import { pageRoutes } from "./page-routes.js";
import { signInRoutes } from "./sign-in-routes.js";
import { BASE } from "./views/layout.js";

export function consoleEnabled(deps: Pick<ConsoleDeps, "config">): boolean {
  return Boolean(deps.config.console.oauth || deps.config.console.token);
}

/** The console's own routes, public ones first: `requireViewer` guards all that follow it. */
export function consoleRoutes(deps: ConsoleDeps): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();
  app.use(
    "*",
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
      },
      referrerPolicy: "same-origin",
    }),
  );
  app.use("*", async (c, next) => {
    await next();
    if (!c.req.path.startsWith(`${BASE}/assets/`)) c.header("cache-control", "no-store");
  });
  app.route("/", signInRoutes(deps));
  app.use("*", requireViewer(deps));
  app.route("/api", apiRoutes(deps));
  app.route("/", pageRoutes(deps));
  return app;
}

export function createHttpApp(deps: ConsoleDeps): Hono {
  const app = new Hono();
  app.route("/", opsRoutes(deps));
  if (consoleEnabled(deps)) app.route(BASE, consoleRoutes(deps));
  app.notFound((c) => c.json({ error: `no route ${c.req.method} ${c.req.path}` }, 404));
  app.onError((error, c) => {
    deps.log.error({ err: error.message, path: c.req.path }, "console request failed");
    return c.json({ error: "internal error; the server log has the details" }, 500);
  });
  return app;
}
