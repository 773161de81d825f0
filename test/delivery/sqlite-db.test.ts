/**
 * The SQLite side of the store's seam: one connection, async transactions. A statement from
 * elsewhere in the process must never land inside a transaction that is still open (it would
 * be rolled back with it), and group commit must share one transaction per turn.
 */
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../src/delivery/db.js";
import { openSqliteDb } from "../../src/delivery/sqlite-db.js";
import { gate, tempDb } from "./helpers.js";

describe("SQLite Db", () => {
  let files: ReturnType<typeof tempDb>;
  let db: Db;

  beforeEach(async () => {
    files = tempDb();
    db = openSqliteDb({ path: files.file });
    await db.run("CREATE TABLE t (v TEXT PRIMARY KEY)", []);
  });
  afterEach(async () => {
    await db.close();
    await files.cleanup();
  });

  const values = async () =>
    (await db.rows<{ v: string }>("SELECT v FROM t ORDER BY v", [])).map((row) => row.v);

  /** A transaction that has inserted `v` and stays open until `end` (which may throw). */
  async function openTx(v: string, end: () => void = () => {}) {
    const held = gate();
    const inTx = gate();
    const done = db.tx(async (tx) => {
      await tx.run("INSERT INTO t (v) VALUES (?)", [v]);
      inTx.open();
      await held.promise;
      end();
    });
    await inTx.promise;
    return { release: () => held.open(), done };
  }

  it("sends lists of every length from 1 to 100 as 8 statements, each finding what the list names", async () => {
    for (const v of ["a", "b", "c"]) await db.run("INSERT INTO t (v) VALUES (?)", [v]);
    const texts = new Set<string>();
    for (let count = 1; count <= 100; count++) {
      const list = Array.from({ length: count }, (_, i) => (i % 2 ? "c" : `x${i}`));
      const sql = `SELECT v FROM t WHERE ${db.dialect.oneOf("v", count)} ORDER BY v`;
      texts.add(sql);
      const found = await db.rows<{ v: string }>(sql, db.dialect.listParams(list));
      expect(found.map((row) => row.v)).toEqual(count > 1 ? ["c"] : []);
    }
    expect(texts.size).toBe(8);
  });

  it("holds a statement from outside until an open transaction ends, so a rollback cannot take it", async () => {
    const open = await openTx("inside", () => {
      throw new Error("rolled back");
    });
    let outsideDone = false;
    const outside = db.run("INSERT INTO t (v) VALUES ('outside')", []).then((changes) => {
      outsideDone = true;
      return changes;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(outsideDone).toBe(false);

    open.release();
    await expect(open.done).rejects.toThrow("rolled back");
    expect(await outside).toBe(1);
    expect(await values()).toEqual(["outside"]);
  });

  it("gives a second connection to the same file its turn after the open transaction, instead of blocking on the lock", async () => {
    const second = openSqliteDb({ path: files.file, busyTimeoutMs: 50 });
    try {
      const first = await openTx("first");
      const other = second.run("INSERT INTO t (v) VALUES ('second')", []);
      first.release();
      await first.done;
      expect(await other).toBe(1);
      expect(await values()).toEqual(["first", "second"]);
    } finally {
      await second.close();
    }
  });

  it("runs the transactions asked for together one after another, each whole", async () => {
    const results = await Promise.all(
      ["a", "b", "c"].map((v) =>
        db.tx(async (tx) => {
          await tx.run("INSERT INTO t (v) VALUES (?)", [v]);
          return (await tx.rows("SELECT v FROM t", [])).length;
        }),
      ),
    );
    expect(results).toEqual([1, 2, 3]);
  });

  it("commits the batches of one turn together: one failing fails the group, the next turn is its own", async () => {
    const group = [
      db.batch((q) => q.run("INSERT INTO t (v) VALUES ('x')", [])),
      db.batch((q) => q.run("INSERT INTO t (v) VALUES ('x')", [])),
      db.batch((q) => q.run("INSERT INTO t (v) VALUES ('y')", [])),
    ];
    const settled = await Promise.allSettled(group);
    expect(settled.map((s) => s.status)).toEqual(["rejected", "rejected", "rejected"]);
    expect(await values()).toEqual([]);

    expect(await db.batch((q) => q.run("INSERT INTO t (v) VALUES ('z')", []))).toBe(1);
    expect(await values()).toEqual(["z"]);
  });

  it("waits for a lock another thread or process holds without stopping this thread, up to the busy timeout", async () => {
    const holder = new Database(files.file);
    try {
      holder.prepare("BEGIN IMMEDIATE").run();
      let ticks = 0;
      const ticking = setInterval(() => ticks++, 1);
      const waiting = db.run("INSERT INTO t (v) VALUES ('after')", []);
      // This thread keeps running while the statement waits: the holder commits from a timer.
      await new Promise((resolve) => setTimeout(resolve, 30));
      const ticksWhileHeld = ticks;
      holder.prepare("COMMIT").run();
      expect(await waiting).toBe(1);
      clearInterval(ticking);
      expect(ticksWhileHeld).toBeGreaterThan(0);
      expect(await values()).toEqual(["after"]);

      const impatient = openSqliteDb({ path: files.file, busyTimeoutMs: 20 });
      try {
        holder.prepare("BEGIN IMMEDIATE").run();
        await expect(
          impatient.tx((tx) => tx.run("INSERT INTO t (v) VALUES ('x')", [])),
        ).rejects.toThrow(/locked/);
        await expect(impatient.run("INSERT INTO t (v) VALUES ('y')", [])).rejects.toThrow(/locked/);
        holder.prepare("ROLLBACK").run();
      } finally {
        await impatient.close();
      }
    } finally {
      holder.close();
    }
  });

  it("leaves checkpoints to other connections up to the pages it is given", async () => {
    const quiet = openSqliteDb({ path: files.file, walAutocheckpointPages: 10_000 });
    try {
      const pages = async (d: typeof db) =>
        (await d.row<{ wal_autocheckpoint: number }>("PRAGMA wal_autocheckpoint", []))
          ?.wal_autocheckpoint;
      expect(await pages(quiet)).toBe(10_000);
      expect(await pages(db)).toBe(1000);
    } finally {
      await quiet.close();
    }
  });
});
