import { existsSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { loadServerConfig } from "../../src/config/server-config.js";
import { openStore } from "../../src/delivery/open-store.js";
import type { Store } from "../../src/delivery/store.js";
import { delivery, postgresDb, postgresUrl, tempDb } from "./helpers.js";

let cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups) await cleanup();
  cleanups = [];
});

describe("openStore", () => {
  it("opens the SQLite file at TRACKBRIDGE_DB when no database URL is set", async () => {
    const db = tempDb();
    cleanups.push(() => db.cleanup());
    const config = loadServerConfig({ TRACKBRIDGE_DB: db.file });
    expect(config.databaseUrl).toBeUndefined();
    const store: Store = await openStore(config);
    cleanups.unshift(() => store.close());
    await store.recordDelivery(delivery("d1"));
    expect(existsSync(db.file)).toBe(true);
    expect(await db.rows("SELECT id FROM deliveries")).toEqual([{ id: "d1" }]);
  });

  it.runIf(Boolean(postgresUrl))(
    "opens PostgreSQL when TRACKBRIDGE_DATABASE_URL is set, and leaves the SQLite path alone",
    async () => {
      const db = await postgresDb(postgresUrl ?? "");
      cleanups.push(() => db.cleanup());
      const file = tempDb();
      cleanups.push(() => file.cleanup());
      // The server's URL carries the schema, as an operator's could (`options=-c search_path=…`).
      const url = new URL(postgresUrl ?? "");
      url.searchParams.set("options", `-c search_path=${db.schema}`);
      const config = loadServerConfig({
        TRACKBRIDGE_DATABASE_URL: url.toString(),
        TRACKBRIDGE_DB: file.file,
      });
      expect(config.databaseUrl).toBe(url.toString());
      const store = await openStore(config);
      cleanups.unshift(() => store.close());
      await store.recordDelivery(delivery("d1"));
      expect(await db.rows("SELECT id FROM deliveries")).toEqual([{ id: "d1" }]);
      expect(existsSync(file.file)).toBe(false);
    },
  );
});
