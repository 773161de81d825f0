/**
 * The HTTP shell both tracker simulators run in: a real `node:http` server on loopback with
 * a request log (for counting calls), injected faults and latency. The tracker-specific
 * part is one `handle` function plus the tracker's error body shape.
 */
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export interface SimRequest {
  method: string;
  /** Pathname as sent (still percent-encoded). */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body; undefined when the request had none. */
  body: unknown;
  /** `http://host:port` as the client addressed us, for `self` links. */
  origin: string;
}

export interface SimReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RequestRecord {
  method: string;
  path: string;
  /** Query string without the `?` ("" when none). */
  query: string;
  /** Epoch ms when the request arrived. */
  at: number;
  /** The status answered; undefined while in flight or when the socket was dropped. */
  status?: number;
  body?: unknown;
}

export interface FaultSpec {
  /** HTTP status to answer with (429, 500, 503, …). Ignored when `drop` is set. */
  status?: number;
  /** How many matching requests fail this way. */
  count: number;
  /** Sent as `Retry-After` (seconds). */
  retryAfterSeconds?: number;
  /** Body to send instead of the tracker's usual error body. */
  body?: unknown;
  /** Extra headers on the answer (Linear's rate-limit headers on a GraphQL RATELIMITED error). */
  headers?: Record<string, string>;
  /** Destroy the socket without answering (a network failure for the client). */
  drop?: boolean;
  /**
   * With `drop`: the request is carried out first, then the socket is destroyed before the
   * answer (the tracker committed, the client never heard): what exactly-once must survive.
   */
  afterCommit?: boolean;
  /** Only requests with this method (case-insensitive) … */
  method?: string;
  /** … and whose path contains this string are affected. */
  pathIncludes?: string;
  /** … and whose body contains this string (Jira names the transition in the body). */
  bodyIncludes?: string;
}

export interface HttpSimulatorOptions {
  port?: number;
  /** Async where the tracker calls out before it answers (Productboard's probe of an action URL). */
  handle: (req: SimRequest) => SimReply | Promise<SimReply>;
  /** The tracker's error body for a status and a message. */
  errorBody: (status: number, message: string) => unknown;
  /** Extra headers on an injected 429, e.g. Jira's `X-RateLimit-*`. */
  rateLimitHeaders?: () => Record<string, string>;
  /** Headers on every answer, e.g. the budget Jira Cloud reports (`X-RateLimit-Remaining`). */
  replyHeaders?: () => Record<string, string>;
}

export interface HttpSimulator {
  url: string;
  /** Live log of every API request, oldest first. */
  readonly requests: readonly RequestRecord[];
  /** The most requests that were waiting for their answers at once since the last reset. */
  readonly peakInFlight: number;
  resetRequests(): void;
  injectFaults(spec: FaultSpec): void;
  clearFaults(): void;
  setLatency(ms: number): void;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

export async function startHttpSimulator(options: HttpSimulatorOptions): Promise<HttpSimulator> {
  const requests: RequestRecord[] = [];
  let faults: Array<FaultSpec & { remaining: number }> = [];
  let latencyMs = 0;
  let inFlight = 0;
  let peakInFlight = 0;

  const takeFault = (method: string, path: string, body: string) => {
    const fault = faults.find(
      (f) =>
        (!f.method || f.method.toUpperCase() === method) &&
        (!f.pathIncludes || path.includes(f.pathIncludes)) &&
        (!f.bodyIncludes || body.includes(f.bodyIncludes)),
    );
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) faults = faults.filter((f) => f !== fault);
    return fault;
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on("end", () => {
      const method = (req.method ?? "GET").toUpperCase();
      const origin = `http://${req.headers.host ?? "127.0.0.1"}`;
      const url = new URL(req.url ?? "/", origin);
      const record: RequestRecord = {
        method,
        path: url.pathname,
        query: url.search.replace(/^\?/, ""),
        at: Date.now(),
      };
      requests.push(record);
      peakInFlight = Math.max(peakInFlight, ++inFlight);
      res.once("close", () => inFlight--);

      let dropAnswer = false;
      const send = (reply: SimReply) => {
        if (res.destroyed) return;
        if (dropAnswer) {
          res.socket?.destroy();
          return;
        }
        record.status = reply.status;
        const headers: Record<string, string> = { ...options.replyHeaders?.(), ...reply.headers };
        let payload = "";
        if (typeof reply.body === "string") {
          // Some services answer in plain text (Slack's incoming webhooks: "ok", "invalid_token").
          payload = reply.body;
          headers["content-type"] = "text/plain;charset=UTF-8";
        } else if (reply.body !== undefined) {
          payload = JSON.stringify(reply.body);
          headers["content-type"] = "application/json;charset=UTF-8";
        }
        res.writeHead(reply.status, headers);
        res.end(payload);
      };

      const answer = () => {
        if (res.destroyed) return;
        const fault = takeFault(method, url.pathname, Buffer.concat(chunks).toString("utf8"));
        if (fault?.drop && !fault.afterCommit) {
          res.socket?.destroy();
          return;
        }
        dropAnswer = fault?.afterCommit === true;
        if (fault && !dropAnswer) {
          const status = fault.status ?? 503;
          const headers: Record<string, string> = {};
          if (fault.retryAfterSeconds !== undefined) {
            headers["retry-after"] = String(fault.retryAfterSeconds);
          }
          if (status === 429) Object.assign(headers, options.rateLimitHeaders?.());
          Object.assign(headers, fault.headers);
          send({
            status,
            headers,
            body: fault.body ?? options.errorBody(status, faultMessage(status)),
          });
          return;
        }
        if (size > MAX_BODY_BYTES) {
          send({ status: 413, body: options.errorBody(413, "Request body too large") });
          return;
        }
        const raw = Buffer.concat(chunks).toString("utf8");
        let body: unknown;
        const form = /^application\/x-www-form-urlencoded/i.test(req.headers["content-type"] ?? "");
        if (form) {
          // Slack's Web API client posts forms; values that are JSON (blocks) stay strings.
          body = Object.fromEntries(new URLSearchParams(raw));
        } else if (raw.trim() !== "") {
          try {
            body = JSON.parse(raw);
          } catch {
            send({
              status: 400,
              body: options.errorBody(400, "Malformed JSON in the request body"),
            });
            return;
          }
        }
        record.body = body;
        // A simulator bug should surface as a 500 the test sees, not a hung request.
        const failed = (error: unknown) =>
          send({ status: 500, body: options.errorBody(500, String(error)) });
        let reply: SimReply | Promise<SimReply>;
        try {
          reply = options.handle({
            method,
            path: url.pathname,
            query: url.searchParams,
            headers: req.headers,
            body,
            origin,
          });
        } catch (error) {
          return failed(error);
        }
        if (reply instanceof Promise) reply.then(send, failed);
        else send(reply);
      };

      if (latencyMs > 0) setTimeout(answer, latencyMs);
      else answer();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get peakInFlight() {
      return peakInFlight;
    },
    resetRequests: () => {
      requests.length = 0;
      peakInFlight = inFlight;
    },
    injectFaults: (spec) => {
      if (spec.count > 0) faults.push({ ...spec, remaining: spec.count });
    },
    clearFaults: () => {
      faults = [];
    },
    setLatency: (ms) => {
      latencyMs = Math.max(0, ms);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // fetch keeps connections alive; without this close() waits for them to idle out.
        server.closeAllConnections();
      }),
  };
}

function faultMessage(status: number): string {
  if (status === 429) return "Too many requests: the rate limit was exceeded, try again later";
  if (status === 503) return "Service unavailable";
  return `Injected failure (${status})`;
}
