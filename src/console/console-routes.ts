/** The console's routes under /console: public ones first; `requireViewer` guards all that follow it. */
import { Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";
import { apiRoutes } from "./api-routes.js";
import { type ConsoleEnv, requireViewer } from "./auth.js";
import type { ConsoleDeps } from "./deps.js";
import { pageRoutes } from "./page-routes.js";
import { signInRoutes } from "./sign-in-routes.js";
import { BASE } from "./views/layout.js";

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
