/** What send.ts keeps of fetch's behaviour: redirects within the origin, a cut-off body, a timeout, headers. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendHttp } from "../../src/http/send.js";
import { createTracker } from "../../src/trackers/create-tracker.js";
import { TrackerError } from "../../src/trackers/errors.js";

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

const routes = new Map<string, Handler>();
const seen: Array<{ method: string; url: string; body: string; type: string | undefined }> = [];
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      seen.push({
        method: req.method ?? "",
        url: req.url ?? "",
        body,
        type: req.headers["content-type"],
      });
      const handler = routes.get(`${req.method} ${req.url}`);
      if (handler) handler(req, body, res);
      else res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const send = (method: string, path: string, body?: string) =>
  sendHttp({
    method,
    url: `${base}${path}`,
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body }),
    timeoutMs: 2_000,
  });

describe("sendHttp", () => {
  it("answers the status, the headers (any case) and the body", async () => {
    routes.set("GET /plain", (req, _body, res) =>
      res
        .writeHead(200, { "X-Total-Pages": "3", link: "<a>", "x-agent": req.headers["user-agent"] })
        .end('{"ok":true}'),
    );
    const answer = await send("GET", "/plain");
    expect(answer.status).toBe(200);
    expect(answer.headers.get("x-total-pages")).toBe("3");
    expect(answer.headers.get("Link")).toBe("<a>");
    expect(answer.headers.get("retry-after")).toBeNull();
    expect(answer.headers.get("x-agent")).toBe("trackbridge");
    expect(answer.text).toBe('{"ok":true}');
  });

  it("follows a redirect within the origin, keeping a POST and its body on a 307", async () => {
    routes.set("POST /old", (_req, _body, res) => res.writeHead(307, { location: "/new" }).end());
    routes.set("POST /new", (_req, body, res) => res.writeHead(201).end(body));
    seen.length = 0;
    const answer = await send("POST", "/old", '{"a":1}');
    expect(answer).toMatchObject({ status: 201, text: '{"a":1}' });
    expect(seen.map((r) => `${r.method} ${r.url} ${r.body}`)).toEqual([
      'POST /old {"a":1}',
      'POST /new {"a":1}',
    ]);
  });

  it("turns a POST into a bodiless GET on a 303, as fetch does", async () => {
    routes.set("POST /made", (_req, _body, res) => res.writeHead(303, { location: "/it" }).end());
    routes.set("GET /it", (_req, _body, res) => res.writeHead(200).end("here"));
    seen.length = 0;
    const answer = await send("POST", "/made", '{"a":1}');
    expect(answer).toMatchObject({ status: 200, text: "here" });
    expect(seen.at(-1)).toEqual({ method: "GET", url: "/it", body: "", type: undefined });
  });

  it("answers a redirect to another origin as it is, and the adapter says what to fix", async () => {
    routes.set("GET /v2/myself", (_req, _body, res) =>
      res.writeHead(301, { location: "https://elsewhere.example/v2/myself" }).end(),
    );
    expect((await send("GET", "/v2/myself")).status).toBe(301);
    const tracker = createTracker({
      name: "y",
      type: "yandex",
      url: base,
      token: "secret-token-1",
      orgId: "1",
    });
    const error = await tracker.whoAmI().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrackerError);
    expect((error as TrackerError).kind).toBe("invalid");
    expect((error as TrackerError).message).toContain("redirect (301) to another address");
  });

  it("rejects an answer cut off before its body ended", async () => {
    routes.set("GET /cut", (_req, _body, res) => {
      res.writeHead(200, { "content-length": "100" });
      res.write("{");
      setTimeout(() => res.socket?.destroy(), 20);
    });
    await expect(send("GET", "/cut")).rejects.toMatchObject({ code: "ECONNRESET" });
  });

  it("times out the whole exchange, the body included", async () => {
    routes.set("GET /slow-body", (_req, _body, res) => {
      res.writeHead(200, { "content-length": "10" });
      res.write("{");
    });
    const slow = sendHttp({ method: "GET", url: `${base}/slow-body`, headers: {}, timeoutMs: 100 });
    await expect(slow).rejects.toMatchObject({ name: "TimeoutError" });
  });
});
