/**
 * Named leases through the store: two replicas (two stores on one database) never hold the
 * same lease at once; a lease whose holder died is taken over once it expires.
 */
import { describe, expect, it } from "vitest";
import { backends, until, workerBed } from "./helpers.js";

describe.each(backends())("leases ($name)", (backend) => {
  const bed = workerBed(backend);

  it("two replicas take turns at one lease; other names do not wait", async () => {
    const replicas = [bed.store, await bed.db.open()];
    const events: string[] = [];
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = replicas[0]!.withLease("fix-version:yandex:PROJ:v1", async () => {
      events.push("first in");
      await held;
      events.push("first out");
    });
    // The second asks while the first holds it (not after a guess of how long taking it takes).
    await until(() => events.includes("first in"));
    const second = replicas[1]!.withLease("fix-version:yandex:PROJ:v1", async () => {
      events.push("second in");
    });
    await replicas[1]!.withLease("fix-version:yandex:PROJ:v2", async () => {
      events.push("other name");
    });
    release();
    await Promise.all([first, second]);
    expect(events).toEqual(["first in", "other name", "first out", "second in"]);
  });

  it("a lease held past its ttl (its holder died) is taken over; a busy one gives up when told", async () => {
    const [dead, alive] = [bed.store, await bed.db.open()];
    // One fake clock for both replicas: the lease expires when the test moves it, not by waiting.
    let time = 1_000_000;
    const clock = { now: () => time };
    let release: (() => void) | undefined;
    const never = dead.withLease("x", () => new Promise<void>((resolve) => (release = resolve)), {
      ttlMs: 60_000,
      clock,
    });
    await until(() => release !== undefined);
    await expect(alive.withLease("x", async () => "no", { waitMs: 0, clock })).rejects.toThrow(
      /still busy after waiting: x/,
    );
    time += 60_001;
    expect(await alive.withLease("x", async () => "taken over", { waitMs: 0, clock })).toBe(
      "taken over",
    );
    release?.();
    await never;
  });
});
