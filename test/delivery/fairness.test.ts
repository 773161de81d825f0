/**
 * Installations take turns at a connection's slots: one that queued hundreds of jobs (a sync
 * of its open PRs, a release touching 250 keys) does not stall another's next job. On SQLite
 * and (with TEST_DATABASE_URL) PostgreSQL.
 */
import { describe, expect, it } from "vitest";
import type { PlannedAction } from "../../src/core/types.js";
import type { Store } from "../../src/delivery/store.js";
import {
  backends,
  delivery,
  enqueue,
  fakeHooks,
  gate,
  link,
  submission,
  until,
  workerBed,
} from "./helpers.js";

const noisyKeys = Array.from({ length: 300 }, (_, i) => `PROJ-${i + 1}`);

/** One delivery of `installation` linking `keys` (each its own issue, so none waits for another). */
function queue(store: Store, id: string, installation: number, keys: readonly string[]) {
  return enqueue(store, id, planOf(id, installation, keys));
}

function planOf(id: string, installation: number, keys: readonly string[]) {
  const actions: PlannedAction[] = keys.map((key) => link(key));
  const at = new Date().toISOString();
  return [
    submission(id, actions, {
      eventAt: at,
      repo: `inst-${installation}/repo`,
      report: {
        installationId: installation,
        repo: `inst-${installation}/repo`,
        headSha: id,
        prNumber: 1,
        requireKey: false,
      },
    }),
  ];
}

const claimInput = (running: ReadonlyMap<string, number>) => ({
  now: Date.now(),
  leaseMs: 60_000,
  limit: 100,
  perConnection: 16,
  running,
});

describe.each(backends())("fair turns between installations ($name)", (backend) => {
  const bed = workerBed(backend);

  it("claims a quiet installation's job before a noisy one's hundreds queued earlier", async () => {
    const { store } = bed;
    await queue(store, "release", 7, noisyKeys);
    await queue(store, "quiet-1", 8, ["OPS-1"]);

    const first = await store.claimJobs(claimInput(new Map()));
    expect(first).toHaveLength(16);
    // The quiet one's job takes the turn the queue stands at (the noisy one's first), after it.
    expect(first.slice(0, 2).map((job) => job.key)).toEqual(["PROJ-1", "OPS-1"]);

    // Queued while the noisy one still has 285 waiting: taken by the next claim, not after them.
    await queue(store, "quiet-2", 8, ["OPS-2"]);
    const next = await store.claimJobs(claimInput(new Map([["yandex", 15]])));
    expect(next.map((job) => job.key)).toEqual(["OPS-2"]);
    const waiting = await bed.db.rows<{ n: number }>(
      "SELECT CAST(COUNT(*) AS INTEGER) AS n FROM jobs WHERE state = 'pending'",
    );
    expect(waiting[0]!.n).toBe(285);
  });

  it("alternates two busy installations job by job", async () => {
    const { store } = bed;
    await queue(store, "a", 1, ["A-1", "A-2", "A-3", "A-4"]);
    await queue(store, "b", 2, ["B-1", "B-2", "B-3", "B-4"]);
    const claimed = await store.claimJobs(claimInput(new Map()));
    expect(claimed.map((job) => job.key)).toEqual([
      "A-1",
      "B-1",
      "A-2",
      "B-2",
      "A-3",
      "B-3",
      "A-4",
      "B-4",
    ]);
  });

  it("runs a quiet installation's job while a noisy one's hundreds hold every slot", async () => {
    const hold = gate();
    let held = 0;
    // The running worker plans both deliveries itself: committed by the test instead, either
    // could be claimed and planned (as nothing) by the worker's own round first.
    const plans = {
      release: planOf("release", 7, noisyKeys),
      quiet: planOf("quiet", 8, ["OPS-1"]),
    };
    const { hooks, executed } = fakeHooks({
      plans,
      execute: async (_connection, action) => {
        // The noisy installation's tracker calls hang until the test lets them go.
        if (action.key.startsWith("PROJ-")) {
          held++;
          await hold.promise;
        }
        return { action, ok: true, summary: `linked ${action.key}` };
      },
    });
    const worker = bed.start(hooks, { policy: { perConnection: 4 } });
    await bed.store.recordDelivery(delivery("release"));
    worker.wake(["deliveries"]);
    await until(() => held === 4);
    await bed.store.recordDelivery(delivery("quiet"));
    worker.wake(["deliveries"]);
    await until(async () => {
      const planned = await bed.store.listDeliveries({ limit: 10, state: "planned" });
      return planned.some((d) => d.id === "quiet");
    });
    // A noisy job ends: its slot goes to the quiet installation, not to PROJ-5.
    hold.open();
    await until(() => executed.some((action) => action.key === "OPS-1"));
    expect(executed.map((action) => action.key).indexOf("OPS-1")).toBe(4);
  });
});
