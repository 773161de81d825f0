/**
 * One HTTP exchange of a tracker call or a GitHub request, on node:http(s) and Node's global
 * agents, which keep connections alive and drop an idle one before the server's announced
 * Keep-Alive timeout.
 *
 * Not fetch: the processing thread makes about six tracker calls and a GitHub request or two per
 * event, and undici's fetch (web streams, an AbortSignal and a Response per call) cost about
 * three times the CPU of a plain request for the small JSON answers these APIs give (measured
 * through createTrackerHttp on loopback: ~600 µs vs ~200 µs per call). nock intercepts these
 * requests as it did fetch's. Octokit gets this exchange in fetch's shape from octokit-fetch.ts.
 */
import http from "node:http";
import https from "node:https";

export interface SendRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  /** For the whole exchange, the answer's body included. */
  timeoutMs: number;
  /** Ends the exchange early, rejecting with the signal's reason (as fetch does). */
  signal?: AbortSignal;
  /** "manual": a redirect is answered as it is, as fetch's `redirect: "manual"`. */
  redirect?: "follow" | "manual";
}

/** What is read of an answer's headers: `Headers.get`'s shape, so a `Headers` fits too. */
export interface HeaderReader {
  get(name: string): string | null;
}

export interface SendAnswer {
  status: number;
  headers: HeaderReader;
  text: string;
}

/** An answer as it came: its body's bytes, and the address that gave it after redirects. */
export interface RawAnswer {
  status: number;
  statusText: string;
  url: string;
  headers: AnswerHeaders;
  body: Buffer;
}

/**
 * Rejects with the network error (its `code`: ECONNREFUSED, ECONNRESET …) or, past
 * `timeoutMs`, a `TimeoutError` (as fetch with `AbortSignal.timeout` did).
 */
export type Send = (request: SendRequest) => Promise<SendAnswer>;

/** fetch sent one ("node"); some proxies and firewalls refuse a request without. */
const USER_AGENT = "trackbridge";
/** fetch's limit; trackers redirect at most a path or two. */
const MAX_REDIRECTS = 20;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** The answer's body as UTF-8 text: what trackers read. */
export const sendHttp: Send = async (request) => {
  const answer = await sendHttpRaw(request);
  return { status: answer.status, headers: answer.headers, text: answer.body.toString("utf8") };
};

/**
 * Follows a redirect within the same origin as fetch did (303, and 301/302 after a POST,
 * become a GET without a body). One to another origin is answered as it is: fetch dropped the
 * Authorization header there, so it never worked, and the 3xx says why better than a 401.
 */
export async function sendHttpRaw(request: SendRequest): Promise<RawAnswer> {
  const deadline = Date.now() + request.timeoutMs;
  let current = request;
  for (let hops = 0; ; hops++) {
    const { answer, location } = await exchange(current, deadline - Date.now());
    const next =
      location !== undefined && hops < MAX_REDIRECTS && request.redirect !== "manual"
        ? redirected(current, answer.status, location)
        : undefined;
    if (!next) return answer;
    current = next;
  }
}

function redirected(
  request: SendRequest,
  status: number,
  location: string,
): SendRequest | undefined {
  let target: URL;
  try {
    target = new URL(location, request.url);
  } catch {
    return undefined;
  }
  if (target.origin !== new URL(request.url).origin) return undefined;
  const toGet = status === 303 || ((status === 301 || status === 302) && request.method === "POST");
  if (!toGet) return { ...request, url: target.href };
  const { "content-type": _dropped, ...headers } = request.headers;
  return { ...request, url: target.href, method: "GET", headers, body: undefined };
}

/** One request and its whole answer; `location` when the answer is a redirect. */
function exchange(
  request: SendRequest,
  timeoutMs: number,
): Promise<{ answer: RawAnswer; location?: string }> {
  return new Promise((resolve, reject) => {
    const { signal } = request;
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    let req: http.ClientRequest;
    try {
      const client = request.url.startsWith("https:") ? https : http;
      req = client.request(request.url, {
        method: request.method,
        headers: { "user-agent": USER_AGENT, ...request.headers },
      });
    } catch (error) {
      // An unparsable URL or an unsupported scheme: thrown, not emitted.
      reject(error);
      return;
    }
    let settled = false;
    const onAbort = () => fail(signal?.reason);
    const settle = () => {
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    };
    const fail = (error: unknown) => {
      if (settled) return;
      settle();
      req.destroy();
      reject(error);
    };
    const timer = setTimeout(
      () => fail(new DOMException("the request timed out", "TimeoutError")),
      Math.max(0, timeoutMs),
    );
    signal?.addEventListener("abort", onAbort, { once: true });
    req.on("error", fail);
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", fail);
      res.on("end", () => {
        if (settled) return;
        settle();
        const status = res.statusCode ?? 0;
        const { location } = res.headers;
        resolve({
          answer: {
            status,
            statusText: res.statusMessage ?? "",
            url: request.url,
            headers: new AnswerHeaders(res.headers),
            body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks),
          },
          ...(REDIRECTS.has(status) && location ? { location } : {}),
        });
      });
      // A connection closed before the body ended, without an error of its own.
      res.on("close", () => {
        if (!res.complete) fail(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }));
      });
    });
    req.end(request.body);
  });
}

/** Node's parsed headers, read as `Headers` reads: by any case, and iterated as name–value pairs. */
export class AnswerHeaders implements HeaderReader {
  readonly #headers: http.IncomingHttpHeaders;

  constructor(headers: http.IncomingHttpHeaders) {
    this.#headers = headers;
  }

  get(name: string): string | null {
    const value = this.#headers[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(", ") : value;
  }

  *[Symbol.iterator](): IterableIterator<[string, string]> {
    for (const [name, value] of Object.entries(this.#headers)) {
      if (value !== undefined) yield [name, Array.isArray(value) ? value.join(", ") : value];
    }
  }
}
