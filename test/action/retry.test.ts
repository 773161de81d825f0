import { describe, expect, it } from "vitest";
import { RetriesExhaustedError, type RetryBudget, withRetry } from "../../src/action/retry.js";
import { TrackerError, type TrackerErrorKind } from "../../src/trackers/errors.js";

const fail = (kind: TrackerErrorKind, retryAfterMs?: number) =>
  new TrackerError(kind, `tracker said ${kind}`, {
    connection: "sim",
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  });

/** A budget on a clock that only moves when the Action sleeps; backoff waits are 1 ms. */
function budget(totalMs: number) {
  let clock = 0;
  const slept: number[] = [];
  const logged: string[] = [];
  const value: RetryBudget = {
    deadline: totalMs,
    totalMs,
    now: () => clock,
    sleep: async (ms) => {
      slept.push(ms);
      clock += ms;
    },
    log: (message) => logged.push(message),
    minDelayMs: 1,
  };
  return { value, slept, logged, advance: (ms: number) => (clock += ms) };
}

/** An operation that throws the given errors in turn, then returns "done". */
function failing(...errors: unknown[]) {
  let calls = 0;
  const operation = async () => {
    const error = errors[calls];
    calls += 1;
    if (error !== undefined) throw error;
    return "done";
  };
  return { operation, calls: () => calls };
}

describe("withRetry", () => {
  it.each([["rate_limited"], ["server"], ["network"]] as const)(
    "retries %s until it succeeds",
    async (kind) => {
      const { operation, calls } = failing(fail(kind), fail(kind));
      await expect(withRetry(operation, budget(60_000).value, "PROJ-1")).resolves.toBe("done");
      expect(calls()).toBe(3);
    },
  );

  it.each([["auth"], ["forbidden"], ["not_found"], ["invalid"], ["no_transition"]] as const)(
    "does not retry %s",
    async (kind) => {
      const { operation, calls } = failing(fail(kind));
      await expect(withRetry(operation, budget(60_000).value, "PROJ-1")).rejects.toThrow(
        `tracker said ${kind}`,
      );
      expect(calls()).toBe(1);
    },
  );

  it("does not retry errors that are not the tracker's (bugs)", async () => {
    const { operation, calls } = failing(new RangeError("bug"));
    await expect(withRetry(operation, budget(60_000).value, "PROJ-1")).rejects.toThrow("bug");
    expect(calls()).toBe(1);
  });

  it("keeps the text of a thrown non-Error", async () => {
    const { operation } = failing("plain string");
    await expect(withRetry(operation, budget(60_000).value, "PROJ-1")).rejects.toThrow(
      /^plain string$/,
    );
  });

  it("waits exactly as long as Retry-After says, instead of backing off", async () => {
    const { value, slept, logged } = budget(60_000);
    const { operation } = failing(fail("rate_limited", 2_000), fail("rate_limited", 500));
    await expect(withRetry(operation, value, "PROJ-1")).resolves.toBe("done");
    expect(slept).toEqual([2_000, 500]);
    expect(logged).toEqual([
      "PROJ-1: tracker said rate_limited; retrying in 2 s as the tracker asked",
      "PROJ-1: tracker said rate_limited; retrying in 0.5 s as the tracker asked",
    ]);
  });

  it("gives up at once when Retry-After is longer than the time left", async () => {
    const { value, slept } = budget(10_000);
    const { operation, calls } = failing(fail("rate_limited", 30_000));
    const error = await withRetry(operation, value, "PROJ-1").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RetriesExhaustedError);
    expect((error as Error).message).toBe(
      "tracker said rate_limited (the tracker asked to wait 30 s, more than the 10 s left of the 10 s retry-timeout)",
    );
    expect((error as Error).cause).toBeInstanceOf(TrackerError);
    expect(slept).toEqual([]);
    expect(calls()).toBe(1);
  });

  it("stops when the budget is spent and says after how many attempts", async () => {
    const clock = budget(3_000);
    const { operation, calls } = failing(
      fail("rate_limited", 1_000),
      fail("rate_limited", 1_000),
      fail("rate_limited", 1_000),
      fail("rate_limited", 1_000),
    );
    const error = await withRetry(operation, clock.value, "PROJ-1").catch(
      (caught: unknown) => caught,
    );
    expect((error as Error).message).toBe(
      "tracker said rate_limited (gave up after 4 attempts in 3 s; retry-timeout is 3 s)",
    );
    expect(calls()).toBe(4);
  });

  it("bounds the attempts even when the tracker keeps saying Retry-After: 0", async () => {
    const { value } = budget(60_000);
    const { operation, calls } = failing(
      ...Array.from({ length: 50 }, () => fail("rate_limited", 0)),
    );
    const error = await withRetry(operation, { ...value, maxAttempts: 5 }, "PROJ-1").catch(
      (caught: unknown) => caught,
    );
    expect((error as Error).message).toBe("tracker said rate_limited (gave up after 5 attempts)");
    expect(calls()).toBe(5);
  });
});

describe("withRetry with no time to retry", () => {
  it("says it gave up after the one attempt", async () => {
    const { operation, calls } = failing(fail("server"));
    const error = await withRetry(operation, budget(0).value, "PROJ-1").catch(
      (caught: unknown) => caught,
    );
    expect((error as Error).message).toBe(
      "tracker said server (gave up after 1 attempt in 0 s; retry-timeout is 0 s)",
    );
    expect(calls()).toBe(1);
  });
});
