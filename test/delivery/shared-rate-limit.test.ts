/**
 * Replicas share a tracker's rate limit through the store: the 429 one replica gets (with its
 * Retry-After) holds back the jobs the other replica claims for that connection.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_RETRY_POLICY } from "../../src/delivery/retry-policy.js";
import type { Store } from "../../src/delivery/store.js";
import { runJob, type StepDeps } from "../../src/delivery/worker-steps.js";
import { TrackerError } from "../../src/trackers/errors.js";
import {
  backends,
  enqueue,
  FAST_POLICY,
  FakeClock,
  fakeHooks,
  move,
  silentLog,
  submission,
  type TestDb,
} from "./helpers.js";

describe.each(backends())("$name store", (backend) => {
  let db: TestDb;
  let replicaA: Store;
  let replicaB: Store;
  beforeEach(async () => {
    db = await backend.create();
    replicaA = await db.open();
    replicaB = await db.open();
  });
  afterEach(async () => db.cleanup());

  it("one replica's 429 holds back the other replica's jobs until Retry-After", async () => {
    const clock = new FakeClock();
    const a = fakeHooks({
      execute: async () => {
        throw new TrackerError("rate_limited", "yandex: rate limited", {
          connection: "yandex",
          status: 429,
          retryAfterMs: 30_000,
        });
      },
    });
    const b = fakeHooks({});
    const deps = (store: Store, hooks: typeof a.hooks): StepDeps => ({
      store,
      hooks,
      log: silentLog,
      clock,
      policy: { ...DEFAULT_RETRY_POLICY, ...FAST_POLICY },
    });
    await enqueue(
      replicaA,
      "d1",
      [submission("d1", [move("PROJ-1", "review", "opened")])],
      clock.now(),
    );
    await enqueue(
      replicaA,
      "d2",
      [submission("d2", [move("PROJ-2", "review", "opened")], { prNumber: 2 })],
      clock.now(),
    );
    const claim = (store: Store, limit = 1) =>
      store.claimJobs({
        now: clock.now(),
        leaseMs: 60_000,
        limit,
        perConnection: 4,
        running: new Map(),
      });

    const [first] = await claim(replicaA);
    await runJob(first!, deps(replicaA, a.hooks));
    expect(a.executed).toHaveLength(1);

    const [second] = await claim(replicaB);
    expect(second!.key).not.toBe(first!.key);
    await runJob(second!, deps(replicaB, b.hooks));
    expect(b.executed).toHaveLength(0); // held back without asking the tracker
    const waiting = await replicaB.getJob(second!.id);
    expect(waiting).toMatchObject({ state: "pending", nextAt: clock.now() + 30_000 });
    expect(waiting!.lastError).toContain("rate limited");
    // Waiting out a hold is no attempt: held often, a job must not run out of attempts.
    expect(waiting!.attempts).toBe(0);

    clock.advance(30_000);
    const due = await claim(replicaB, 5);
    const again = due.find((job) => job.id === second!.id)!;
    await runJob(again, deps(replicaB, b.hooks));
    expect(b.executed.map((action) => action.key)).toEqual([second!.key]);
  });
});
