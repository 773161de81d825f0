/** The worker gives way to something more urgent (the server answering a burst of webhooks). */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createWorker, type Worker, type WorkerPolicy } from "../../src/delivery/outbox-worker.js";
import type { Store } from "../../src/delivery/store.js";
import { FAST_POLICY, fakeHooks, link, silentLog, submission, tempDb, until } from "./helpers.js";

let db: ReturnType<typeof tempDb>;
let store: Store;
let worker: Worker | undefined;

beforeEach(async () => {
  db = tempDb();
  store = await db.open();
});
afterEach(async () => {
  await worker?.stop({ timeoutMs: 1_000 });
  await db.cleanup();
});

function start(yieldTo: () => boolean, policy: Partial<WorkerPolicy>) {
  let plans = 0;
  const fake = fakeHooks({
    plan: async (d) => {
      plans++;
      // A key per delivery: a link already done is not planned again, so one shared key's
      // count would depend on whether the first link ran before the last plan.
      return [submission(d.id, [link(`PROJ-${plans}`)])];
    },
  });
  worker = createWorker({
    store,
    hooks: fake.hooks,
    log: silentLog,
    policy: { ...FAST_POLICY, ...policy },
    yieldTo,
  });
  worker.start();
  return { fake, plans: () => plans, worker };
}

const receive = (id: string) =>
  store.recordDelivery({
    id,
    event: "pull_request",
    payload: {},
    receivedAt: new Date().toISOString(),
  });

describe("worker yielding", () => {
  it("claims nothing new while yieldTo holds, and picks the work up when it lets go", async () => {
    let burst = true;
    let asked = 0;
    const { fake, plans, worker } = start(
      () => {
        asked++;
        return burst;
      },
      { yieldMaxMs: 60_000 },
    );
    await receive("d1");
    worker.wake(["deliveries"]);
    // It keeps asking (a few ms apart) rather than claiming or going to sleep.
    await until(() => asked >= 5);
    expect(plans()).toBe(0);
    expect((await store.listDeliveries({ limit: 1 }))[0]).toMatchObject({ state: "received" });
    burst = false;
    await worker.drain();
    expect(plans()).toBe(1);
    expect(fake.executed.map((action) => action.key)).toEqual(["PROJ-1"]);
  });

  it("never starves the backlog: a round of claims runs at least every yieldMaxMs", async () => {
    let asked = 0;
    const { fake, worker } = start(
      () => {
        asked++;
        return true;
      },
      { yieldMaxMs: 20 },
    );
    for (const id of ["d1", "d2", "d3"]) await receive(id);
    worker.wake();
    await worker.drain();
    expect(fake.executed).toHaveLength(3);
    expect(asked).toBeGreaterThan(1);
  });
});
