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

  it("compresses webhook payloads with lz4 where the server has it, and reads them back whole", async () => {
    const test = await postgresDb(postgresUrl ?? "");
    cleanups.push(() => test.cleanup());
    const url = new URL(postgresUrl ?? "");
    url.searchParams.set("options", `-c search_path=${test.schema}`);
    const store = await openStore(loadServerConfig({ TRACKBRIDGE_DATABASE_URL: url.toString() }));
    cleanups.unshift(() => store.close());
    const [server] = await test.rows<{ lz4: boolean }>(
      "SELECT EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)) AS lz4",
    );
    const [column] = await test.rows<{ method: string }>(
      `SELECT attcompression AS method FROM pg_attribute
        WHERE attrelid = '${test.schema}.deliveries'::regclass AND attname = 'payload'`,
    );
    expect(column?.method).toBe(server?.lz4 ? "l" : "");
    const payload = { action: "opened", body: "PROJ-1 ".repeat(4000) };
    const receivedAt = new Date(0).toISOString();
    await store.recordDelivery({ id: "d1", event: "pull_request", payload, receivedAt });
    const [stored] = await test.rows<{ payload: string; size: number }>(
      "SELECT payload, pg_column_size(payload) AS size FROM deliveries WHERE id = 'd1'",
    );
    expect(JSON.parse(stored?.payload ?? "")).toEqual(payload);
    // Stored compressed, whichever method the server has.
    expect(stored?.size).toBeLessThan(JSON.stringify(payload).length / 10);
  });
});
