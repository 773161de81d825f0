/**
 * Octokit over octokit-fetch.ts against a plain HTTP server: what @octokit/request makes of
 * each kind of answer (JSON, text, binary, errors, 304, a stream when asked) and of each kind
 * of body, with the global fetch made to fail so any request that reached it would show.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Octokit } from "@octokit/core";
import nock from "nock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { octokitFetch } from "../../src/http/octokit-fetch.js";

type Handler = (req: IncomingMessage, body: Buffer, res: ServerResponse) => void;

const routes = new Map<string, Handler>();
const seen: Array<{ method: string; url: string; body: Buffer; type: string | undefined }> = [];
let server: Server;
let base: string;
const globalFetch = vi.fn<typeof fetch>();

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      seen.push({
        method: req.method ?? "",
        url: req.url ?? "",
        body,
        type: req.headers["content-type"],
      });
      const handler = routes.get(`${req.method} ${req.url}`);
      if (handler) handler(req, body, res);
      else
        res.writeHead(404, { "content-type": "application/json" }).end('{"message":"Not Found"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const realFetch = globalThis.fetch;
beforeEach(() => {
  seen.length = 0;
  globalFetch.mockReset();
  globalFetch.mockRejectedValue(new Error("the global fetch was called"));
  vi.stubGlobal("fetch", globalFetch);
});
afterEach(() => vi.unstubAllGlobals());

const octokit = () =>
  new Octokit({ baseUrl: base, auth: "ghs_secret", request: { fetch: octokitFetch } });

describe("octokitFetch", () => {
  it("gives Octokit the status, the headers, the final URL and the parsed JSON", async () => {
    routes.set("GET /repos/acme/web", (req, _body, res) =>
      res
        .writeHead(200, {
          "content-type": "application/json; charset=utf-8",
          "X-RateLimit-Remaining": "4999",
          etag: 'W/"abc"',
          "x-auth": req.headers.authorization,
        })
        .end('{"full_name":"acme/web"}'),
    );
    const response = await octokit().request("GET /repos/{owner}/{repo}", {
      owner: "acme",
      repo: "web",
    });
    expect(response.status).toBe(200);
    expect(response.url).toBe(`${base}/repos/acme/web`);
    expect(response.data).toEqual({ full_name: "acme/web" });
    expect(response.headers).toMatchObject({
      "x-ratelimit-remaining": "4999",
      etag: 'W/"abc"',
      "x-auth": "token ghs_secret",
    });
    expect(globalFetch).not.toHaveBeenCalled();
  });

  it("sends a JSON body, and follows a redirect within the origin to the URL it reports", async () => {
    routes.set("PATCH /repos/acme/old/issues/1", (_req, _body, res) =>
      res.writeHead(307, { location: "/repositories/9/issues/1" }).end(),
    );
    routes.set("PATCH /repositories/9/issues/1", (_req, body, res) =>
      res.writeHead(200, { "content-type": "application/json" }).end(body),
    );
    const response = await octokit().request("PATCH /repos/{owner}/{repo}/issues/{issue_number}", {
      owner: "acme",
      repo: "old",
      issue_number: 1,
      title: "moved",
    });
    expect(response.data).toEqual({ title: "moved" });
    expect(response.url).toBe(`${base}/repositories/9/issues/1`);
    expect(seen.map((r) => `${r.method} ${r.url} ${r.type}`)).toEqual([
      "PATCH /repos/acme/old/issues/1 application/json; charset=utf-8",
      "PATCH /repositories/9/issues/1 application/json; charset=utf-8",
    ]);
  });

  it("turns an error answer into Octokit's RequestError with GitHub's message and headers", async () => {
    routes.set("POST /repos/acme/web/check-runs", (_req, _body, res) =>
      res
        .writeHead(422, { "content-type": "application/json", "x-ratelimit-remaining": "12" })
        .end('{"message":"Validation Failed","errors":[{"code":"missing"}]}'),
    );
    const error = await octokit()
      .request("POST /repos/{owner}/{repo}/check-runs", {
        owner: "acme",
        repo: "web",
        name: "x",
        head_sha: "abc",
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: "HttpError",
      status: 422,
      message: expect.stringContaining('Validation Failed: {"code":"missing"}'),
      response: { headers: { "x-ratelimit-remaining": "12" } },
    });
  });

  it("answers a 304 as Octokit's 'Not modified' error, which conditional requests read", async () => {
    routes.set("GET /repos/acme/web/contents/a.yml", (_req, _body, res) =>
      res.writeHead(304, { etag: '"e1"' }).end(),
    );
    const error = await octokit()
      .request("GET /repos/{owner}/{repo}/contents/{path}", {
        owner: "acme",
        repo: "web",
        path: "a.yml",
        headers: { "if-none-match": '"e1"' },
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 304, response: { headers: { etag: '"e1"' } } });
  });

  it("reads a text answer as text and a binary one byte for byte", async () => {
    const bytes = Buffer.from([0, 255, 1, 254, 0xc3, 0x28]);
    routes.set("GET /raw", (_req, _body, res) =>
      res
        .writeHead(200, { "content-type": "application/vnd.github.raw; charset=utf-8" })
        .end("é ok"),
    );
    routes.set("GET /bin", (_req, _body, res) =>
      res.writeHead(200, { "content-type": "application/octet-stream" }).end(bytes),
    );
    const text = await octokit().request("GET /raw");
    expect(text.data).toBe("é ok");
    const binary = await octokit().request("GET /bin");
    expect(binary.data).toBeInstanceOf(ArrayBuffer);
    expect(Buffer.from(binary.data as ArrayBuffer)).toEqual(bytes);
  });

  it("sends a binary body as it is", async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    routes.set("POST /upload", (_req, body, res) =>
      res.writeHead(201, { "content-type": "application/json" }).end(`{"size":${body.length}}`),
    );
    const response = await octokit().request("POST /upload", {
      data: bytes,
      headers: { "content-type": "application/octet-stream" },
    });
    expect(response.data).toEqual({ size: 5 });
    expect(seen.at(-1)?.body).toEqual(bytes);
  });

  it("gives the body as a stream when Octokit is asked not to parse it", async () => {
    routes.set("GET /archive", (_req, _body, res) =>
      res.writeHead(200, { "content-type": "application/x-gzip" }).end("tarball"),
    );
    const response = await octokit().request("GET /archive", {
      request: { parseSuccessResponseBody: false },
    });
    expect(await new Response(response.data as ReadableStream).text()).toBe("tarball");
  });

  it("stops at the caller's signal, as an AbortError", async () => {
    routes.set("GET /slow", () => {});
    const controller = new AbortController();
    const pending = octokit().request("GET /slow", { request: { signal: controller.signal } });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toMatchObject({ name: "AbortError", status: 500 });
  });

  it("fails a refused connection as Octokit's 500, naming the cause", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await new Octokit({
      baseUrl: `http://127.0.0.1:${port}`,
      request: { fetch: octokitFetch },
    })
      .request("GET /")
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 500, message: expect.stringContaining("ECONNREFUSED") });
  });

  it("leaves a streamed body, and a redirect to another origin, to the global fetch", async () => {
    globalFetch.mockImplementation(realFetch);
    routes.set("POST /stream", (_req, body, res) => res.writeHead(200).end(body));
    routes.set("GET /download", (_req, _body, res) =>
      res.writeHead(302, { location: "http://localhost:1/elsewhere" }).end(),
    );
    const stream = new Blob(["streamed"]).stream();
    const streamed = await octokit().request("POST /stream", {
      data: stream,
      headers: { "content-type": "text/plain" },
    });
    expect(streamed.data).toBe("streamed");
    expect(globalFetch).toHaveBeenCalledTimes(1);
    await octokit()
      .request("GET /download")
      .catch(() => {});
    expect(globalFetch).toHaveBeenCalledTimes(2);
    expect(String(globalFetch.mock.calls[1]?.[0])).toBe(`${base}/download`);
  });
});

describe("octokitFetch under nock", () => {
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it("is intercepted", async () => {
    nock.disableNetConnect();
    const scope = nock("https://api.github.com")
      .get("/repos/acme/web")
      .reply(200, { id: 1 }, { "content-type": "application/json" });
    const response = await new Octokit({ request: { fetch: octokitFetch } }).request(
      "GET /repos/{owner}/{repo}",
      { owner: "acme", repo: "web" },
    );
    expect(response.data).toEqual({ id: 1 });
    expect(scope.isDone()).toBe(true);
    expect(globalFetch).not.toHaveBeenCalled();
  });
});
