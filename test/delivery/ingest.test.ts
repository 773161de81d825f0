import http from "node:http";
import type { AddressInfo } from "node:net";
import { sign } from "@octokit/webhooks-methods";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createIngestHandler } from "../../src/delivery/ingest.js";
import type { Store } from "../../src/delivery/store.js";
import { silentLog, tempDb } from "./helpers.js";

const SECRET = "webhook-secret";
const MAX_BYTES = 64 * 1024;

let db: ReturnType<typeof tempDb>;
let store: Store;
let server: http.Server;
let url: string;
let stored: number;

/** What the handler told its metrics, per request (`observe`). */
let outcomes: string[] = [];

async function listen(recordStore: Pick<Store, "recordDelivery">) {
  const handler = createIngestHandler({
    store: recordStore,
    secret: SECRET,
    maxBytes: MAX_BYTES,
    onStored: () => stored++,
    observe: ({ outcome }) => outcomes.push(outcome),
    log: silentLog,
  });
  server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`;
}

beforeEach(async () => {
  db = tempDb();
  store = await db.open();
  stored = 0;
  outcomes = [];
  await listen(store);
});
afterEach(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await db.cleanup();
});

async function post(body: string, headers: Record<string, string | undefined>) {
  const response = await fetch(url, {
    method: "POST",
    body,
    headers: Object.fromEntries(
      Object.entries(headers).filter(([, v]) => v !== undefined),
    ) as Record<string, string>,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function signedHeaders(body: string, id = "guid-1", event = "pull_request") {
  return {
    "content-type": "application/json",
    "x-github-delivery": id,
    "x-github-event": event,
    "x-hub-signature-256": await sign(SECRET, body),
  };
}

const storedIds = async () => (await store.listDeliveries({ limit: 100 })).map((d) => d.id);

describe("ingest", () => {
  it("answers 202 once the delivery is stored, and 202 duplicate for a redelivery", async () => {
    const body = JSON.stringify({ action: "opened", number: 7 });
    expect(await post(body, await signedHeaders(body))).toEqual({
      status: 202,
      body: { ok: true, duplicate: false },
    });
    expect(await post(body, await signedHeaders(body))).toEqual({
      status: 202,
      body: { ok: true, duplicate: true },
    });
    expect(stored).toBe(1);
    const [claimed] = await store.claimDeliveries({ now: Date.now(), leaseMs: 1000, limit: 5 });
    expect(claimed).toMatchObject({
      id: "guid-1",
      event: "pull_request",
      payload: { action: "opened", number: 7 },
    });
  });

  it("accepts the form content type GitHub offers for hooks", async () => {
    const body = new URLSearchParams({ payload: JSON.stringify({ zen: "ok" }) }).toString();
    const headers = {
      ...(await signedHeaders(body)),
      "content-type": "application/x-www-form-urlencoded",
    };
    expect((await post(body, headers)).status).toBe(202);
    const [claimed] = await store.claimDeliveries({ now: Date.now(), leaseMs: 1000, limit: 5 });
    expect(claimed?.payload).toEqual({ zen: "ok" });
  });

  it.each([
    { name: "a wrong signature", signature: "sha256=0000" },
    { name: "a signature made with another secret", signature: "other" },
    { name: "no signature", signature: undefined },
  ])("answers 401 to $name and stores nothing", async ({ signature }) => {
    const body = JSON.stringify({ action: "opened" });
    const headers = await signedHeaders(body);
    const forged = signature === "other" ? await sign("not-the-secret", body) : signature;
    const response = await post(body, { ...headers, "x-hub-signature-256": forged });
    expect(response.status).toBe(401);
    expect(await storedIds()).toEqual([]);
    expect(stored).toBe(0);
  });

  it.each([
    { name: "X-GitHub-Delivery", drop: "x-github-delivery" },
    { name: "X-GitHub-Event", drop: "x-github-event" },
  ])("answers 400 without $name", async ({ drop }) => {
    const body = JSON.stringify({ action: "opened" });
    const response = await post(body, { ...(await signedHeaders(body)), [drop]: undefined });
    expect(response.status).toBe(400);
    expect(await storedIds()).toEqual([]);
  });

  it.each(["{not json", "  [1, 2]\n", "payload=%7B%7D"])(
    "answers 400 to a signed body that is not a JSON object: %j",
    async (body) => {
      expect(await post(body, await signedHeaders(body))).toEqual({
        status: 400,
        body: { ok: false, error: "the payload is not a JSON object" },
      });
      expect(await storedIds()).toEqual([]);
    },
  );

  it("stores the JSON unparsed: one that only looks like an object is found when claimed", async () => {
    const body = ' \n{"action": "opened",}\n';
    expect((await post(body, await signedHeaders(body))).status).toBe(202);
    const [claimed] = await store.claimDeliveries({ now: Date.now(), leaseMs: 1000, limit: 5 });
    expect(claimed).toMatchObject({ id: "guid-1", payload: null });
    expect(claimed?.unreadable).toMatch(/^the payload is not valid JSON: /);
  });

  it("answers 413 to a body over the limit, declared or streamed", async () => {
    const big = JSON.stringify({ text: "x".repeat(MAX_BYTES) });
    expect((await post(big, await signedHeaders(big))).status).toBe(413);

    // Streamed without a length: the answer comes as soon as the limit is passed.
    const headers = await signedHeaders("whatever");
    const streamed = await new Promise<{ status: number | undefined }>((resolve, reject) => {
      const request = http.request(url, { method: "POST", headers }, (response) => {
        response.resume();
        resolve({ status: response.statusCode });
      });
      request.on("error", reject);
      const chunk = "y".repeat(MAX_BYTES / 4);
      for (let i = 0; i < 10; i++) request.write(chunk);
      request.end();
    });
    expect(streamed.status).toBe(413);
    expect(await storedIds()).toEqual([]);
  });

  it("stores one row when GitHub and a redelivery race: many parallel POSTs of one delivery", async () => {
    const body = JSON.stringify({ action: "closed", number: 3 });
    const headers = await signedHeaders(body, "raced");
    const responses = await Promise.all(Array.from({ length: 25 }, () => post(body, headers)));
    expect(responses.every((r) => r.status === 202)).toBe(true);
    expect(responses.filter((r) => r.body.duplicate === false)).toHaveLength(1);
    expect(await storedIds()).toEqual(["raced"]);
    expect(stored).toBe(1);
  });

  it("answers 500 when the store fails, so that GitHub shows a failed delivery", async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await listen({
      recordDelivery: async () => {
        throw new Error("disk I/O error");
      },
    });
    const body = JSON.stringify({ action: "opened" });
    const response = await post(body, await signedHeaders(body));
    expect(response).toEqual({
      status: 500,
      body: { ok: false, error: "could not record the delivery" },
    });
    expect(stored).toBe(0);
    expect(outcomes).toEqual(["error"]);
  });
});
