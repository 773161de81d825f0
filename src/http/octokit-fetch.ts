/**
 * Octokit's `fetch` (`request: { fetch }`), made of send.ts's node:http exchange: GitHub
 * requests then cost the processing thread what tracker calls do, not undici's web streams, its
 * Headers and a Response per request.
 *
 * The answer has only what @octokit/request 10 reads of a Response (fetch-wrapper.js): `status`,
 * `statusText` (a failed HEAD), `url`, `headers` (iterated, and `get`), `text()`, `json()`,
 * `arrayBuffer()` (a binary body), and `body` as a stream (`parseSuccessResponseBody: false`).
 * What send.ts does not carry goes to the global fetch as before: a streamed, Blob or form
 * body, a `Request` for the address, `redirect: "error"`, and a request that GitHub sends to
 * another origin (an archive's download address, say), which send.ts does not follow.
 */
import { type RawAnswer, sendHttpRaw } from "./send.js";

/**
 * undici's fetch had no limit of its own on the whole exchange (five minutes for the headers
 * and as long between body chunks). GitHub ends a REST request after ten seconds, so an
 * answer slower than this is a connection that will not answer; plugin-retry retries it.
 */
const TIMEOUT_MS = 60_000;

/** What Octokit reads of a Response. */
export interface OctokitFetchAnswer {
  status: number;
  statusText: string;
  url: string;
  headers: Iterable<[string, string]> & { get(name: string): string | null };
  text(): Promise<string>;
  json(): Promise<unknown>;
  arrayBuffer(): Promise<ArrayBuffer>;
  readonly body: ReadableStream<Uint8Array> | null;
}

export async function octokitFetch(
  input: string | URL | Request,
  init: RequestInit = {},
): Promise<OctokitFetchAnswer> {
  const body = bytesOrText(init.body);
  if (input instanceof Request || body === NOT_CARRIED || init.redirect === "error")
    return fetch(input, init);
  const url = String(input);
  const answer = await sendHttpRaw({
    method: init.method ?? "GET",
    url,
    headers: headersOf(init.headers),
    ...(body === undefined ? {} : { body }),
    timeoutMs: TIMEOUT_MS,
    ...(init.signal ? { signal: init.signal } : {}),
    ...(init.redirect === "manual" ? { redirect: "manual" as const } : {}),
  });
  // Left unfollowed, so to another origin: fetch asks again and follows it by its own rules
  // (it drops the Authorization header there). Rare enough for the request made twice.
  if (init.redirect !== "manual" && isRedirect(answer.status) && answer.headers.get("location"))
    return fetch(input, init);
  return new HttpResponse(answer);
}

const NOT_CARRIED = Symbol("a body send.ts does not carry");

function bytesOrText(
  body: RequestInit["body"],
): string | Uint8Array | undefined | typeof NOT_CARRIED {
  if (body === undefined || body === null) return undefined;
  if (typeof body === "string" || body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body))
    return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  return NOT_CARRIED;
}

function headersOf(headers: RequestInit["headers"]): Record<string, string> {
  if (headers === undefined) return {};
  // Octokit's are a plain object of strings already.
  if (!(headers instanceof Headers) && !Array.isArray(headers))
    return headers as Record<string, string>;
  return Object.fromEntries(new Headers(headers));
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

class HttpResponse implements OctokitFetchAnswer {
  readonly status: number;
  readonly statusText: string;
  readonly url: string;
  readonly headers: RawAnswer["headers"];
  readonly #body: Buffer;

  constructor(answer: RawAnswer) {
    this.status = answer.status;
    this.statusText = answer.statusText;
    this.url = answer.url;
    this.headers = answer.headers;
    this.#body = answer.body;
  }

  get body(): ReadableStream<Uint8Array> {
    return new Blob([this.#body as Uint8Array<ArrayBuffer>]).stream();
  }

  async text(): Promise<string> {
    return this.#body.toString("utf8");
  }

  async json(): Promise<unknown> {
    return JSON.parse(this.#body.toString("utf8"));
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    // A copy: a small body's Buffer is a view of Node's shared pool.
    const { buffer, byteOffset, byteLength } = this.#body;
    return buffer.slice(byteOffset, byteOffset + byteLength) as ArrayBuffer;
  }
}
