import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import type { Logger } from "../../src/delivery/runtime.js";
import { createWorker, type Worker } from "../../src/delivery/worker.js";
import { enqueue, FAST_POLICY, fakeHooks, link, submission, tempDb } from "./helpers.js";

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
