/**
 * What the last answer of each tracker connection says about it: reachable and authorized,
 * refusing the token, rate-limiting until when, or not answering. Fed by the requests every
 * adapter of the server sends (`instrumentSend`), so the Overview shows what the worker
 * actually saw, and times every request for /metrics on the way.
 */
import { type Send, type SendAnswer, sendHttp } from "../http/send.js";
import { retryAfterMs } from "../trackers/errors.js";
import { linearWaitMs } from "../trackers/linear/errors.js";
import type { Metrics } from "./metrics.js";

export type ConnectionState =
  | { state: "unknown" }
  | { state: "ok"; at: number }
  | { state: "unauthorized"; at: number; status: number }
  | { state: "rate_limited"; at: number; until: number | null }
  | { state: "unreachable"; at: number; detail: string };

export class ConnectionHealth {
  readonly #states = new Map<string, ConnectionState>();
  readonly #onChange: ((connection: string, state: ConnectionState) => void) | undefined;

  /** `onChange`: told every new state (the processing thread sends them to the console's copy). */
  constructor(onChange?: (connection: string, state: ConnectionState) => void) {
    this.#onChange = onChange;
  }

  get(connection: string): ConnectionState {
    return this.#states.get(connection) ?? { state: "unknown" };
  }

  /** Records an HTTP answer (or `null`: no answer) from `connection`. */
  record(
    connection: string,
    at: number,
    response: (Pick<SendAnswer, "status" | "headers"> & { text?: string }) | null,
    detail = "",
  ): void {
    this.set(connection, classify(at, response, detail));
  }

  set(connection: string, state: ConnectionState): void {
    this.#states.set(connection, state);
    this.#onChange?.(connection, state);
  }
}

/**
 * GraphQL trackers (Linear) answer a refused key or a rate limit with HTTP 400 (or 200) and
 * say which in the errors' `extensions.code`: only such answers are looked into.
 */
function graphqlRefusal(status: number, text = ""): "unauthorized" | "rate_limited" | undefined {
  if ((status !== 200 && status !== 400) || !text.includes('"errors"')) return undefined;
  if (text.includes('"RATELIMITED"')) return "rate_limited";
  return text.includes('"AUTHENTICATION_ERROR"') ? "unauthorized" : undefined;
}

function classify(
  at: number,
  response: (Pick<SendAnswer, "status" | "headers"> & { text?: string }) | null,
  detail: string,
): ConnectionState {
  if (!response) return { state: "unreachable", at, detail: detail || "no answer" };
  const { status } = response;
  const refusal = graphqlRefusal(status, response.text);
  if (status === 401 || status === 403 || refusal === "unauthorized") {
    return { state: "unauthorized", at, status };
  }
  if (status === 429 || refusal === "rate_limited") {
    const wait = retryAfterMs(response.headers, at) ?? linearWaitMs(response.headers, at);
    return { state: "rate_limited", at, until: wait === undefined ? null : at + wait };
  }
  if (status >= 500) return { state: "unreachable", at, detail: `answered ${status}` };
  // A 404 or 422 is about one issue: the tracker answered and accepted the token.
  return { state: "ok", at };
}

/** A `Send` that times each request for /metrics and records the connection's state. */
export function instrumentSend(
  connection: string,
  deps: {
    health: ConnectionHealth;
    metrics: Pick<Metrics, "observeTrackerRequest">;
    clock?: () => number;
  },
  inner: Send = sendHttp,
): Send {
  const clock = deps.clock ?? Date.now;
  return async (request) => {
    const started = performance.now();
    try {
      const response = await inner(request);
      deps.metrics.observeTrackerRequest(
        connection,
        String(response.status),
        (performance.now() - started) / 1000,
      );
      deps.health.record(connection, clock(), response);
      return response;
    } catch (error) {
      deps.metrics.observeTrackerRequest(
        connection,
        "network",
        (performance.now() - started) / 1000,
      );
      const detail =
        error instanceof Error && error.name === "TimeoutError" ? "timed out" : "no answer";
      deps.health.record(connection, clock(), null, detail);
      throw error;
    }
  };
}
