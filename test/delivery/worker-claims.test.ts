import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { createWorker, type Worker } from "../../src/delivery/outbox-worker.js";
import type { Logger } from "../../src/delivery/runtime.js";
import {
  delivery,
  enqueue,
  FAST_POLICY,
  fakeHooks,
  gate,
  link,
  silentLog,
  submission,
  tempDb,
  until,
} from "./helpers.js";

/**
 * A round of claims that finds nothing takes no write lock: under load most rounds find
 * nothing, and on SQLite the write lock is the one the thread acknowledging webhooks needs.
 * Another connection holds the lock here; a claim that asked for it would wait out the busy
 * timeout and fail, and the worker would log that.
 */
describe("worker claims", () => {
  let worker: Worker | undefined;
  let holder: Database.Database | undefined;
  const db = tempDb();
  afterEach(async () => {
    holder?.close();
    await worker?.stop({ timeoutMs: 1_000 });
    await db.cleanup();
  });

  it("asks for the write lock only when something is due", async () => {
    const store = await db.open();
    const errors: string[] = [];
    const log: Logger = {
      debug() {},
      info() {},
      warn() {},
      error: (fields, message) => errors.push(`${message} ${JSON.stringify(fields)}`),
    };
    const { hooks, executed } = fakeHooks({});
    worker = createWorker({ store, hooks, log, policy: FAST_POLICY });
    worker.start();
    await enqueue(store, "d1", [submission("d1", [link("PROJ-1")])]);
    worker.wake();
    await worker.drain();
    expect(executed).toHaveLength(1);

    holder = new Database(db.file);
    holder.pragma("busy_timeout = 0");
    holder.prepare("BEGIN IMMEDIATE").run();
    for (let round = 0; round < 5; round++) {
      worker.wake();
      await worker.idle();
    }
    holder.prepare("COMMIT").run();
    expect(errors).toEqual([]);
  });
});

describe("worker claims while busy", () => {
  const db = tempDb();
  let worker: Worker | undefined;
  afterEach(async () => {
    await worker?.stop({ timeoutMs: 1_000 });
    await db.cleanup();
  });

  it("still finds, within an idle poll, work no wake-up named (another process stored it)", async () => {
    const store = await db.open();
    const other = await db.open();
    let offset = 0;
    const clock = { now: () => Date.now() + offset };
    const held = gate();
    const planned: string[] = [];
    const { hooks } = fakeHooks({
      plan: async (delivery) => {
        planned.push(delivery.id);
        return [submission(delivery.id, [link("PROJ-1")])];
      },
      execute: async (_connection, action) => {
        await held.promise;
        return { action, ok: true, summary: "linked" };
      },
    });
    const policy = { ...FAST_POLICY, idlePollMs: 60_000, leaseMs: 600_000 };
    worker = createWorker({ store, hooks, log: silentLog, clock, policy });
    worker.start();
    await other.recordDelivery(delivery("first"));
    worker.wake(["deliveries"]);
    await until(() => planned.length === 1);

    // Stored by another process: nothing wakes this worker for it. Its timer is a minute off.
    await other.recordDelivery(delivery("second"));
    offset = 61_000;
    held.open();
    await until(() => planned.includes("second"));
  });
});
