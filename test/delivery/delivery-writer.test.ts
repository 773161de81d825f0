import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { type DeliveryWriter, startDeliveryWriter } from "../../src/delivery/delivery-writer.js";
import { delivery, silentLog, tempDb } from "./helpers.js";

describe("the SQLite delivery writer (its own thread)", () => {
  const db = tempDb();
  let writer: DeliveryWriter | undefined;
  afterEach(async () => {
    await writer?.close();
    await db.cleanup();
  });

  async function open() {
    const store = await db.open();
    writer = startDeliveryWriter({ path: db.file, log: silentLog });
    return { store, writer };
  }

  it("commits each delivery once, says new or duplicate, and the worker's store sees it", async () => {
    const { store, writer } = await open();
    const ids = Array.from({ length: 50 }, (_, i) => `d${i}`);
    const first = await Promise.all(ids.map((id) => writer.recordDelivery(delivery(id))));
    expect(first).toEqual(ids.map(() => "new"));
    const again = await Promise.all(["d3", "d60"].map((id) => writer.recordDelivery(delivery(id))));
    expect(again).toEqual(["duplicate", "new"]);
    const claimed = await store.claimDeliveries({ now: Date.now(), leaseMs: 60_000, limit: 100 });
    expect(claimed.map((d) => d.id).sort()).toEqual([...ids, "d60"].sort());
    expect(claimed.find((d) => d.id === "d7")?.payload).toEqual(delivery("d7").payload);
  });

  it("fails what was in flight when its thread dies, and starts a new thread for the next", async () => {
    await db.open();
    writer = startDeliveryWriter({ path: db.file, log: silentLog });
    await writer.recordDelivery(delivery("before"));
    const thread = writer.thread;
    // The thread dies of its own error, between two messages. Ending it with terminate() while
    // it waits for a lock aborted the whole process (better-sqlite3 cannot raise its error in
    // an isolate being torn down), so the test does not. A number is not a batch: spreading it
    // throws, uncaught, and the thread stops before it reads "lost", which was sent after it.
    const lost = writer.recordDelivery(delivery("lost"));
    thread?.postMessage(42);
    await expect(lost).rejects.toThrow(/delivery writer stopped: .*iterable/);
    expect(await writer.recordDelivery(delivery("after"))).toBe("new");
    expect(writer.thread).not.toBe(thread);
    const rows = await db.rows<{ id: string }>("SELECT id FROM deliveries ORDER BY id");
    expect(rows.map((row) => row.id)).toEqual(["after", "before"]);
  });

  it("answers the database's own error when it cannot commit", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "trackbridge-writer-"));
    const file = path.join(dir, "empty.db");
    new Database(file).close();
    writer = startDeliveryWriter({ path: file, log: silentLog });
    await expect(writer.recordDelivery(delivery("d1"))).rejects.toThrow(
      /no such table: deliveries/,
    );
  });

  it("waits for the write lock another connection holds, up to its busy timeout", async () => {
    await db.open();
    writer = startDeliveryWriter({ path: db.file, log: silentLog, busyTimeoutMs: 2_000 });
    const holder = new Database(db.file);
    try {
      holder.prepare("BEGIN IMMEDIATE").run();
      const waiting = writer.recordDelivery(delivery("d1"));
      setTimeout(() => holder.prepare("COMMIT").run(), 30);
      expect(await waiting).toBe("new");
      await writer.close();

      writer = startDeliveryWriter({ path: db.file, log: silentLog, busyTimeoutMs: 20 });
      holder.prepare("BEGIN IMMEDIATE").run();
      await expect(writer.recordDelivery(delivery("d2"))).rejects.toThrow(/locked/);
      holder.prepare("ROLLBACK").run();
    } finally {
      holder.close();
    }
  });

  it("lets what is in flight commit before it closes, then refuses more", async () => {
    const { writer } = await open();
    const inFlight = writer.recordDelivery(delivery("d1"));
    await writer.close();
    expect(await inFlight).toBe("new");
    await expect(writer.recordDelivery(delivery("d2"))).rejects.toThrow(/closed/);
  });
});
