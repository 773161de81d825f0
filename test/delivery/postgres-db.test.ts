import { afterEach, describe, expect, it } from "vitest";
import { loadServerConfig } from "../../src/config/server-config.js";
import { together } from "../../src/delivery/db.js";
import { openStore } from "../../src/delivery/open-store.js";
import { openPostgresDb } from "../../src/delivery/postgres-db.js";
import { postgresDb, postgresUrl } from "./helpers.js";

let cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups) await cleanup();
  cleanups = [];
});

async function schemaDb(poolSize?: number) {
  const test = await postgresDb(postgresUrl ?? "");
  cleanups.push(() => test.cleanup());
  const db = openPostgresDb({
    connectionString: postgresUrl ?? "",
    schema: test.schema,
    ...(poolSize ? { poolSize } : {}),
  });
  cleanups.unshift(() => db.close());
  await db.run("CREATE TABLE t (id INTEGER PRIMARY KEY)", []);
  return { test, db };
}

describe.runIf(Boolean(postgresUrl))("PostgreSQL Db", () => {
  it("runs statements sent together in a transaction in order, as one piece", async () => {
    const { db } = await schemaDb();
    const seen = await db.tx(async (tx) => {
      const [first, second, rows] = await together([
        tx.run("INSERT INTO t (id) VALUES (1)", []),
        tx.run("INSERT INTO t (id) SELECT id + 1 FROM t", []),
        tx.rows<{ id: number }>("SELECT id FROM t ORDER BY id", []),
      ]);
      return { first, second, rows };
    });
    expect(seen).toEqual({ first: 1, second: 1, rows: [{ id: 1 }, { id: 2 }] });
  });

  it("rolls back every statement sent together when one fails, and throws that one's error", async () => {
    const { test, db } = await schemaDb();
    const failed = db.tx((tx) =>
      together([
        tx.run("INSERT INTO t (id) VALUES (1)", []),
        tx.run("INSERT INTO t (id) VALUES (1)", []),
        tx.run("INSERT INTO t (id) VALUES (2)", []),
      ]),
    );
    // The duplicate key, not the "transaction is aborted" of the statement sent after it.
    await expect(failed).rejects.toThrow(/duplicate key/);
    expect(await test.rows("SELECT id FROM t")).toEqual([]);
    // The connection is fit for the next transaction.
    await db.tx((tx) => tx.run("INSERT INTO t (id) VALUES (3)", []));
    expect(await test.rows("SELECT id FROM t")).toEqual([{ id: 3 }]);
  });

  it("lets the worker's commits skip the wait for the disk, never the ingest's", async () => {
    const test = await postgresDb(postgresUrl ?? "");
    cleanups.push(() => test.cleanup());
    const url = new URL(postgresUrl ?? "");
    url.searchParams.set("options", `-c search_path=${test.schema}`);
    const config = loadServerConfig({ TRACKBRIDGE_DATABASE_URL: url.toString() });
    const ingest = await openStore(config, { synchronous: "full" });
    cleanups.unshift(() => ingest.close());
    const worker = await openStore(config, { synchronous: "normal" });
    cleanups.unshift(() => worker.close());
    const setting = "SHOW synchronous_commit";
    // The server's own setting, whatever it is.
    expect(await ingest.rows(setting, [])).toEqual(await test.rows(setting));
    expect(await worker.rows(setting, [])).toEqual([{ synchronous_commit: "off" }]);
  });

  it("runs each statement prepared once per connection, and prepares again when a table's columns change", async () => {
    // One connection, so that every statement below meets what the ones before it prepared.
    const { test, db } = await schemaDb(1);
    await db.run("INSERT INTO t (id) VALUES (?)", [1]);
    const select = "SELECT * FROM t WHERE id = ?";
    expect(await db.rows(select, [1])).toEqual([{ id: 1 }]);
    expect(await db.rows(select, [1])).toEqual([{ id: 1 }]);
    const named = await db.rows<{ name: string }>(
      "SELECT name FROM pg_prepared_statements WHERE statement LIKE ?",
      ["SELECT * FROM t%"],
    );
    expect(named.map((row) => row.name)).toEqual([expect.stringMatching(/^trackbridge_0_/)]);
    // Another replica's migration: the prepared `SELECT *` would now return another row type.
    await test.rows("ALTER TABLE t ADD COLUMN note TEXT");
    expect(await db.rows(select, [1])).toEqual([{ id: 1, note: null }]);
    // Inside a transaction the stale statement fails the transaction; its rerun succeeds.
    await test.rows("ALTER TABLE t ADD COLUMN more TEXT");
    const once = () => db.tx((tx) => tx.rows(select, [1]));
    await expect(once()).rejects.toThrow(/must not change result type/);
    expect(await once()).toEqual([{ id: 1, note: null, more: null }]);
  });
});
