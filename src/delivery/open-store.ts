/**
 * Opens the store at the composition root: PostgreSQL when a database URL is configured
 * (replicas share it), else the embedded SQLite file. Both are the one store (sql-store.ts)
 * over their database.
 *
 * @example
 * const store = await openStore(loadServerConfig(process.env));
 */
import type { ServerConfig } from "../config/server-config.js";
import { openPostgresDb, type PostgresOptions } from "./postgres-db.js";
import { openSqlStore } from "./sql-store.js";
import { openSqliteDb, type SqliteOptions } from "./sqlite-db.js";
import type { Store } from "./store.js";

export function openStore(
  config: Pick<ServerConfig, "databaseUrl" | "databasePath">,
  options: Pick<SqliteOptions, "synchronous" | "walAutocheckpointPages"> = {},
): Promise<Store> {
  return config.databaseUrl
    ? openPostgresStore({
        connectionString: config.databaseUrl,
        // The same promise on either database: "normal" commits need not wait for the disk.
        synchronousCommit: options.synchronous !== "normal",
      })
    : openSqliteStore({
        path: config.databasePath,
        ...options,
        synchronous: options.synchronous ?? "full",
      });
}

export function openSqliteStore(options: SqliteOptions): Promise<Store> {
  return openSqlStore(openSqliteDb(options));
}

export function openPostgresStore(options: PostgresOptions): Promise<Store> {
  return openSqlStore(openPostgresDb(options));
}
