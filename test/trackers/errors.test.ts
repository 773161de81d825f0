import { describe, expect, it } from "vitest";
import {
  isRetryable,
  kindForStatus,
  retryAfterMs,
  TrackerError,
} from "../../src/trackers/errors.js";

describe("kindForStatus", () => {
  it.each([
    [400, "invalid"],
    [401, "auth"],
    [403, "forbidden"],
    [404, "not_found"],
    [409, "invalid"],
    [412, "invalid"],
    [422, "invalid"],
    [423, "invalid"],
    [429, "rate_limited"],
    [500, "server"],
    [502, "server"],
    [503, "server"],
  ] as const)("%i → %s", (status, kind) => {
    expect(kindForStatus(status)).toBe(kind);
  });
});

describe("retryAfterMs", () => {
  const now = Date.parse("2025-03-01T12:00:00Z");
  it.each([
    ["no headers", {}, undefined],
    ["Retry-After seconds", { "retry-after": "7" }, 7000],
    ["Retry-After zero", { "retry-after": "0" }, 0],
    ["Retry-After HTTP date", { "retry-after": "Sat, 01 Mar 2025 12:00:30 GMT" }, 30_000],
    ["Retry-After date in the past", { "retry-after": "Sat, 01 Mar 2025 11:00:00 GMT" }, 0],
    ["Retry-After garbage, no reset", { "retry-after": "soon" }, undefined],
    ["Jira Cloud X-RateLimit-Reset ISO", { "x-ratelimit-reset": "2025-03-01T12:01Z" }, 60_000],
    ["epoch-seconds X-RateLimit-Reset", { "x-ratelimit-reset": String(now / 1000 + 5) }, 5000],
    [
      "Retry-After wins over reset",
      { "retry-after": "2", "x-ratelimit-reset": "2025-03-01T12:01Z" },
      2000,
    ],
  ])("%s", (_name, headers, expected) => {
    expect(retryAfterMs(new Headers(headers), now)).toBe(expected);
  });
});

describe("TrackerError.retryable and isRetryable", () => {
  it.each([
    ["auth", false],
    ["forbidden", false],
    ["not_found", false],
    ["invalid", false],
    ["no_transition", false],
    ["rate_limited", true],
    ["server", true],
    ["network", true],
  ] as const)("%s → %s", (kind, retryable) => {
    const error = new TrackerError(kind, "m", { connection: "c" });
    expect(error.retryable).toBe(retryable);
    expect(isRetryable(error)).toBe(retryable);
  });

  it("treats anything that is not a TrackerError as retryable", () => {
    expect(isRetryable(new Error("boom"))).toBe(true);
    expect(isRetryable("string")).toBe(true);
  });
});

describe("isRetryable: one classifier for tracker errors and other APIs' HTTP errors", () => {
  const http = (status: number, message = "x") => Object.assign(new Error(message), { status });
  it.each([
    [new TrackerError("server", "503", { connection: "y" }), true],
    [new TrackerError("not_found", "404", { connection: "y" }), false],
    [http(404), false],
    [http(422), false],
    [http(401), false],
    [http(429), true],
    [http(403, "API rate limit exceeded for installation"), true],
    [http(403, "Resource not accessible by integration"), false],
    [http(502), true],
    [new Error("socket hang up"), true],
    [new AggregateError([http(404)]), false],
    [new AggregateError([http(404), http(503)]), true],
    ["a string", true],
  ])("%s → %s", (error, retryable) => {
    expect(isRetryable(error)).toBe(retryable);
  });
});
