/**
 * The plugin integration's action URL over real HTTP: the probe echoes its token; a call without
 * the integration's authorization is 401 and stores nothing; a push is stored and answered
 * `progress`, an unlink or dismiss `initial`; a call the store could not keep is 500 and wakes
 * nothing, one over the size limit 413.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Store } from "../../src/delivery/store.js";
import type { NewDelivery } from "../../src/delivery/types.js";
import { createProductboardPluginHandler } from "../../src/server/productboard-plugin.js";

const SECRET = "pb-plugin-secret-0123456789";

/** The endpoint on a port of its own, over `store`; `woken` counts its `onStored` calls. */
async function serve(store: Pick<Store, "recordDelivery">, maxBytes?: number) {
  const counts = { woken: 0 };
  const handler = createProductboardPluginHandler({
    store,
    authorization: SECRET,
    log: pino({ level: "silent" }),
    onStored: () => counts.woken++,
    ...(maxBytes === undefined ? {} : { maxBytes }),
  });
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/api/productboard/plugin`,
    counts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A button's call, as Productboard sends it with the integration's authorization. */
const press = (url: string, body: unknown, authorization?: string) =>
  fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(authorization === undefined ? {} : { authorization }),
    },
    body: JSON.stringify(body),
  });

describe("the Productboard plugin endpoint", () => {
  const stored: NewDelivery[] = [];
  let endpoint: Awaited<ReturnType<typeof serve>>;
  let url: string;
  beforeAll(async () => {
    endpoint = await serve({
      recordDelivery: async (delivery) => {
        stored.push(delivery);
        return "new";
      },
    });
    url = endpoint.url;
  });
  afterAll(() => endpoint.close());

  const call = (body: unknown, authorization?: string) => press(url, body, authorization);
  const push = (trigger: string, id = "f-1") => ({
    data: { trigger, feature: { id, links: { html: `https://acme.productboard.com/f/${id}` } } },
  });

  it("echoes the probe's validation token as plain text", async () => {
    const answer = await fetch(`${url}?validationToken=abc123`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await answer.text()).toBe("abc123");
  });

  it.each([
    ["no authorization", undefined],
    ["a wrong one", "guess"],
    ["one a character short", SECRET.slice(0, -1)],
    ["one a character long", `${SECRET}x`],
  ])("refuses %s with 401 and stores nothing", async (_name, authorization) => {
    const answer = await call(push("button.push"), authorization);
    expect(answer.status).toBe(401);
    expect(stored).toEqual([]);
  });

  it("stores a push and answers progress; an unlink or a dismiss answers initial", async () => {
    const pushed = await call(push("button.push"), SECRET);
    expect(pushed.status).toBe(200);
    expect(await pushed.json()).toEqual({ data: { connection: { state: "progress" } } });
    for (const trigger of ["button.unlink", "button.dismiss"]) {
      const answer = await call(push(trigger, "f-2"), SECRET);
      expect(await answer.json()).toEqual({ data: { connection: { state: "initial" } } });
    }
    expect(stored.map((d) => [d.event, d.payload])).toEqual([
      [
        "productboard",
        { op: "push", featureId: "f-1", featureUrl: "https://acme.productboard.com/f/f-1" },
      ],
      [
        "productboard",
        { op: "unlink", featureId: "f-2", featureUrl: "https://acme.productboard.com/f/f-2" },
      ],
      [
        "productboard",
        { op: "unlink", featureId: "f-2", featureUrl: "https://acme.productboard.com/f/f-2" },
      ],
    ]);
    expect(new Set(stored.map((d) => d.id)).size).toBe(3);
  });

  it("keeps a feature's page address only when it is a web address (the console links it)", async () => {
    const before = stored.length;
    const withPage = (html: string) => ({
      data: { trigger: "button.push", feature: { id: "f-3", links: { html } } },
    });
    expect((await call(withPage("javascript:alert(1)"), SECRET)).status).toBe(200);
    expect((await call(withPage("https://acme.productboard.com/f/f-3"), SECRET)).status).toBe(200);
    expect(stored.slice(before).map((d) => d.payload)).toEqual([
      { op: "push", featureId: "f-3" },
      { op: "push", featureId: "f-3", featureUrl: "https://acme.productboard.com/f/f-3" },
    ]);
  });

  it("says what is wrong with a call it cannot use, and stores nothing", async () => {
    const before = stored.length;
    expect((await call({ data: { trigger: "button.push" } }, SECRET)).status).toBe(400);
    expect((await call(push("button.explode"), SECRET)).status).toBe(400);
    expect(stored.length).toBe(before);
  });
});

describe("the Productboard plugin endpoint when the call cannot be kept", () => {
  const push = { data: { trigger: "button.push", feature: { id: "f-9" } } };

  it("answers 500 when the store fails, and wakes nothing (Productboard shows the failure)", async () => {
    const endpoint = await serve({
      recordDelivery: async () => {
        throw new Error("disk I/O error");
      },
    });
    try {
      const answer = await press(endpoint.url, push, SECRET);
      expect(answer.status).toBe(500);
      expect(await answer.json()).toEqual({ ok: false, error: "could not record the call" });
      expect(endpoint.counts.woken).toBe(0);
    } finally {
      await endpoint.close();
    }
  });

  it("answers 413 to a call over the size limit and stores nothing", async () => {
    const stored: NewDelivery[] = [];
    const endpoint = await serve(
      {
        recordDelivery: async (delivery) => {
          stored.push(delivery);
          return "new";
        },
      },
      256,
    );
    try {
      const big = { data: { ...push.data, note: "x".repeat(1024) } };
      expect((await press(endpoint.url, big, SECRET)).status).toBe(413);
      expect(stored).toEqual([]);
      expect((await press(endpoint.url, push, SECRET)).status).toBe(200);
      expect(endpoint.counts.woken).toBe(1);
    } finally {
      await endpoint.close();
    }
  });
});
