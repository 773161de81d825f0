/**
 * Every console route, walked without a session against a server that holds data: nothing
 * comes back but a way to sign in. The route list is the console's own (Hono's `routes`),
 * so a route added later is walked too.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadServerConfig } from "../../src/config/server-config.js";
import { consoleRoutes } from "../../src/console/console-routes.js";
import type { ConsoleDeps } from "../../src/console/deps.js";
import { startTestbed, type Testbed } from "../../src/simulators/scenario/testbed.js";
import { CONSOLE_TOKEN, failUntilDead, startConsoleBed } from "./helpers.js";

/** What the seeded server knows; none of it may reach an unauthenticated caller. */
const DATA = ["PROJ-7", "acme/web", "onerror", "Injected failure", "pull_request"];
const PUBLIC = /^\/console\/(login|assets\/)/;

function routeList(deps: Pick<ConsoleDeps, "config">) {
  const seen = new Set<string>();
  return consoleRoutes(deps as ConsoleDeps)
    .routes.filter((route) => route.method !== "ALL")
    .map((route) => ({
      method: route.method,
      path: `/console${route.path === "/" ? "" : route.path}`
        .replace(":name", "yandex")
        .replace(":id", "1"),
    }))
    .filter(
      (route) =>
        !seen.has(`${route.method} ${route.path}`) && seen.add(`${route.method} ${route.path}`),
    );
}

describe("the console without a session", () => {
  let bed: Testbed;
  beforeAll(async () => {
    bed = await startConsoleBed({ workerPolicy: { maxAttempts: 2 } });
    await failUntilDead(bed);
  });
  afterAll(() => bed.close());

  it("walks every route and gets no data, only the way to sign in", async () => {
    const routes = routeList({ config: bed.config });
    expect(routes.length).toBeGreaterThan(20);
    const walked = routes.map((route) => `${route.method} ${route.path}`);
    for (const sync of ["/console/repositories/sync", "/console/api/repositories/sync"]) {
      expect(walked).toEqual(expect.arrayContaining([`GET ${sync}`, `POST ${sync}`]));
    }
    for (const route of routes) {
      const attempts: Array<Record<string, string>> = [
        {},
        { authorization: "Bearer not-the-token" },
        { cookie: "tb_session=forged" },
      ];
      for (const headers of attempts) {
        const response = await fetch(`${bed.server!.url}${route.path}`, {
          method: route.method,
          redirect: "manual",
          headers: { ...headers, "content-type": "application/x-www-form-urlencoded" },
          body:
            route.method === "POST"
              ? "id=1&id=2&only=1&confirm=yes&delivery=x&repo=acme/web&since=14d"
              : undefined,
        });
        const body = await response.text();
        const where = `${route.method} ${route.path} ${JSON.stringify(headers)}`;
        for (const marker of DATA) expect(body, where).not.toContain(marker);
        if (PUBLIC.test(route.path)) continue;
        if ("authorization" in headers || route.path.startsWith("/console/api/")) {
          expect(response.status, where).toBe(401);
        } else {
          expect(response.status, where).toBe(303);
          expect(response.headers.get("location"), where).toBe("/console/login");
        }
      }
    }
    // Nothing was retried, discarded or tested on the way.
    const dead = await fetch(`${bed.server!.url}/console/api/dead-letters`, {
      headers: { authorization: `Bearer ${CONSOLE_TOKEN}` },
    });
    const model = (await dead.json()) as { jobs: Array<{ state: string }> };
    expect(model.jobs.length).toBe(2);
    expect(model.jobs.every((job) => job.state === "dead")).toBe(true);
    const audit = await fetch(`${bed.server!.url}/console/api/audit`, {
      headers: { authorization: `Bearer ${CONSOLE_TOKEN}` },
    });
    expect(await audit.json()).toEqual([]);
    const deliveries = await bed.server!.store.listDeliveries({ limit: 100 });
    expect(deliveries.filter((d) => d.id.startsWith("sync:"))).toEqual([]);
  });

  it("answers the same routes with data for the console token (the walk above can fail)", async () => {
    const response = await fetch(`${bed.server!.url}/console/api/activity?key=PROJ-7`, {
      headers: { authorization: `Bearer ${CONSOLE_TOKEN}` },
    });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain("PROJ-7");
    expect(text).toContain("acme/web");
  });
});

describe("a server with neither an OAuth client nor a console token", () => {
  let bed: Testbed;
  beforeAll(async () => {
    bed = await startTestbed();
  });
  afterAll(() => bed.close());

  it("answers 404 on every console route, and still serves the health routes", async () => {
    const config = loadServerConfig({ TRACKBRIDGE_CONSOLE_TOKEN: CONSOLE_TOKEN });
    for (const route of routeList({ config })) {
      const response = await fetch(`${bed.server!.url}${route.path}`, {
        method: route.method,
        redirect: "manual",
        headers: { authorization: `Bearer ${CONSOLE_TOKEN}` },
      });
      expect(response.status, `${route.method} ${route.path}`).toBe(404);
    }
    expect((await fetch(`${bed.server!.url}/healthz`)).status).toBe(200);
  });
});
