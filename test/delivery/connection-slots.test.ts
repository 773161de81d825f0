/**
 * A connection's slots limit the calls in flight to its tracker: a job gives its slot back
 * once its tracker calls are over, not once its end is written to the store. Under load the
 * write waits its turn, and a slot held meanwhile kept the tracker idle.
 */
import { describe, expect, it } from "vitest";
import { backends, fakeHooks, gate, intercept, TWO_MOVES, until, workerBed } from "./helpers.js";

describe.each(backends())("$name store", (backend) => {
  const bed = workerBed(backend);

  it("runs the next job on a one-slot connection while the last one's end is still being written", async () => {
    const firstEnd = gate();
    let ends = 0;
    const fake = fakeHooks({
      plans: TWO_MOVES.plans,
    });
    const worker = bed.start(fake.hooks, {
      on: intercept(bed.store, {
        // The first job's end waits for the test.
        finishJob: async (...args) => {
          if (ends++ === 0) await firstEnd.promise;
          return bed.store.finishJob(...args);
        },
      }),
      policy: { perConnection: 1 },
    });
    await bed.store.recordDelivery({
      id: "d1",
      event: "pull_request",
      payload: {},
      receivedAt: new Date().toISOString(),
    });
    worker.wake();

    // Both issues reach the tracker while the first job's end waits.
    await until(() => fake.executed.length === 2);
    expect(new Set(fake.executed.map((action) => action.key))).toEqual(
      new Set(["PROJ-1", "PROJ-2"]),
    );
    const [waiting] = await bed.store.listJobs({ states: ["running"], limit: 10 });
    expect(waiting?.key).toBe(fake.executed[0]?.key);

    firstEnd.open();
    await worker.drain();
    expect(fake.status).toEqual(TWO_MOVES.moved);
  });
});
