/**
 * The Productboard simulator's `/plugin-integrations` over real HTTP, as the Public API v1
 * keeps them: a create is probed at its action URL before it is kept (unless disabled), its
 * answer and every read leave the write-only `action` out, and a bad request says which field.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ProductboardSimulator,
  startProductboardSimulator,
} from "../../src/simulators/productboard/index.js";
import {
  callProductboard,
  registerIntegration,
  startProbeAnswerer,
} from "../helpers/productboard.js";

const TOKEN = "pb-sim-token-0123456789abcdef";
const SECRET = "pb-sim-plugin-secret-0123456789";

describe("the Productboard simulator's plugin integrations", () => {
  let pb: ProductboardSimulator;
  let probe: Awaited<ReturnType<typeof startProbeAnswerer>>;
  beforeAll(async () => {
    pb = await startProductboardSimulator({ token: TOKEN });
    probe = await startProbeAnswerer();
  });
  afterAll(async () => {
    await pb.close();
    await probe.close();
  });

  const api = () => ({ url: pb.url, token: TOKEN });
  const get = (path: string, headers: Record<string, string> = {}) =>
    callProductboard(api(), "GET", path, undefined, headers);
  const register = (fields: Record<string, unknown> = {}, url = probe.url) =>
    registerIntegration(api(), {
      initialState: { label: "Create issue" },
      action: { url, version: 1, headers: { authorization: SECRET } },
      ...fields,
    });

  it("creates an integration after its action URL passes the probe, and never shows the action", async () => {
    const created = await register();
    expect(created.status).toBe(201);
    const text = await created.text();
    expect(text).not.toContain(SECRET);
    const { data } = JSON.parse(text) as { data: { id: string } };
    expect(data).toEqual({
      id: data.id,
      type: "com.example.trackbridge",
      name: "trackbridge",
      integrationStatus: "enabled",
      initialState: { label: "Create issue" },
      links: { self: `${pb.url}/plugin-integrations/${data.id}` },
    });

    const read = await get(`/plugin-integrations/${data.id}`);
    expect(await read.json()).toEqual({ data });
    const list = (await (await get("/plugin-integrations")).json()) as {
      data: Array<{ id: string }>;
    };
    expect(list.data.map((i) => i.id)).toContain(data.id);
    // The button the simulator's PM presses is the new integration's, with its authorization.
    const feature = pb.createFeature({ name: "SSO" });
    const pushed = await pb.push(feature.id);
    expect(pushed.status).toBe(200);
    expect(probe.pushAuthorizations).toEqual([SECRET]);
  });

  it("keeps nothing when the probe fails; a disabled integration is not probed", async () => {
    // Port 1 on loopback: nothing listens there, so the probe's connection is refused.
    const nowhere = "http://127.0.0.1:1/api/productboard/plugin";
    const before = ((await (await get("/plugin-integrations")).json()) as { data: [] }).data.length;
    const refused = await register({}, nowhere);
    expect(refused.status).toBe(400);
    expect(JSON.stringify(await refused.json())).toMatch(/probe failed/);
    const after = (await (await get("/plugin-integrations")).json()) as { data: [] };
    expect(after.data).toHaveLength(before);

    const staged = await register({ integrationStatus: "disabled" }, nowhere);
    expect(staged.status).toBe(201);
    expect(await staged.json()).toMatchObject({ data: { integrationStatus: "disabled" } });
  });

  it.each([
    ["no type", { type: undefined }, "data.type is required"],
    ["an unknown status", { integrationStatus: "paused" }, "data.integrationStatus must be"],
    [
      "an action of another version",
      { action: { url: "https://x.test/", version: 2 } },
      "data.action.version must be 1",
    ],
    ["no action URL", { action: { version: 1 } }, "data.action.url must be a URL"],
  ])("refuses a create with %s", async (_name, fields, detail) => {
    const answer = await register(fields);
    expect(answer.status).toBe(400);
    expect(JSON.stringify(await answer.json())).toContain(detail);
  });

  it("asks for the token and the API version; an unknown id is 404", async () => {
    expect((await get("/plugin-integrations", { authorization: "x" })).status).toBe(401);
    expect((await get("/plugin-integrations", { "x-version": "" })).status).toBe(400);
    expect((await get("/plugin-integrations/no-such-id")).status).toBe(404);
  });
});
