/**
 * Installations take turns at planning too: one installation's flood of webhooks does not
 * stand before another's next delivery in the queue waiting to be planned. On SQLite and (with
 * TEST_DATABASE_URL) PostgreSQL; the ack path's writer thread on SQLite.
 */
import { describe, expect, it } from "vitest";
import { startDeliveryWriter } from "../../src/delivery/delivery-writer.js";
import { installationOf } from "../../src/delivery/planning-queue.js";
import type { Store } from "../../src/delivery/store.js";
import { backends, fakeHooks, silentLog, tempDb, workerBed } from "./helpers.js";

const base = Date.now() - 60_000;
let tick = 0;

/** A webhook of `installation`, received 1 ms after the one before (received order is exact). */
function webhook(id: string, installation: number) {
  const receivedAt = new Date(base + tick++).toISOString();
  const rawPayload = JSON.stringify({ action: "opened", installation: { id: installation } });
  return { id, event: "pull_request", rawPayload, receivedAt };
}

async function flood(store: Pick<Store, "recordDelivery">, installation: number, count: number) {
  for (let i = 1; i <= count; i++)
    await store.recordDelivery(webhook(`inst${installation}-${i}`, installation));
}

const claim = async (store: Store, limit: number) =>
  (await store.claimDeliveries({ now: Date.now(), leaseMs: 60_000, limit })).map((d) => d.id);

describe.each(backends())("fair turns at planning ($name)", (backend) => {
  const bed = workerBed(backend);

  it("claims a quiet installation's delivery right after a noisy one's flood received earlier", async () => {
    await flood(bed.store, 7, 30);
    await bed.store.recordDelivery(webhook("quiet-1", 8));
    expect(await claim(bed.store, 2)).toEqual(["inst7-1", "quiet-1"]);

    // Received while 29 of the flood still wait: in the next turn, not after them.
    await bed.store.recordDelivery(webhook("quiet-2", 8));
    expect(await claim(bed.store, 2)).toEqual(["inst7-2", "quiet-2"]);
    expect(await claim(bed.store, 100)).toHaveLength(28);
  });

  it("alternates two busy installations delivery by delivery, each in received order", async () => {
    await flood(bed.store, 1, 3);
    await flood(bed.store, 2, 3);
    expect(await claim(bed.store, 10)).toEqual([
      "inst1-1",
      "inst2-1",
      "inst1-2",
      "inst2-2",
      "inst1-3",
      "inst2-3",
    ]);
  });

  it("plans a quiet installation's delivery second while a noisy one's 40 wait", async () => {
    await flood(bed.store, 7, 40);
    await bed.store.recordDelivery(webhook("quiet", 8));
    const planned: string[] = [];
    const { hooks } = fakeHooks({
      plan: async (delivery) => {
        planned.push(delivery.id);
        return [];
      },
    });
    const worker = bed.start(hooks, { policy: { planConcurrency: 1 } });
    await worker.drain();
    expect(planned).toHaveLength(41);
    expect(planned.indexOf("quiet")).toBe(1);
    expect(planned.filter((id) => id.startsWith("inst7-"))).toEqual(
      Array.from({ length: 40 }, (_, i) => `inst7-${i + 1}`),
    );
  });

  it("plans a delivery received mid-flood in the queue's next turn, not after the flood", async () => {
    await flood(bed.store, 7, 40);
    const planned: string[] = [];
    const { hooks } = fakeHooks({
      plan: async (delivery) => {
        planned.push(delivery.id);
        // Arrives while the tenth of the flood is being planned and thirty still wait.
        if (delivery.id === "inst7-10") await bed.store.recordDelivery(webhook("quiet", 8));
        return [];
      },
    });
    const worker = bed.start(hooks, { policy: { planConcurrency: 1 } });
    await worker.drain();
    expect(planned).toHaveLength(41);
    expect(planned.indexOf("quiet")).toBe(10);
  });
});

describe("fair turns on the SQLite ack path (the delivery writer's thread)", () => {
  it("reads the installation from the payload as received and gives it its turn", async () => {
    const db = tempDb();
    const store = await db.open();
    const writer = startDeliveryWriter({ path: db.file, log: silentLog });
    try {
      await flood(writer, 3, 10);
      await writer.recordDelivery(webhook("quiet", 4));
      expect(await claim(store, 2)).toEqual(["inst3-1", "quiet"]);
    } finally {
      await writer.close();
      await db.cleanup();
    }
  });
});

describe("installationOf", () => {
  it.each([
    ['{"action":"opened","installation":{"id":42,"node_id":"x"}}', 42],
    ['{ "installation" : { "id" : 7 } }', 7],
    ['{"installation":{"node_id":"x","id":9}}', 9],
    ['{"body":"\\"installation\\":{\\"id\\":5}","installation":{"id":6}}', 6],
    ['{"body":"\\"installation\\":{\\"id\\":5}"}', 0],
    ['{"issue":{"key":"PROJ-1"}}', 0],
  ])("%s → %i", (json, id) => {
    expect(installationOf(json)).toBe(id);
  });
});
