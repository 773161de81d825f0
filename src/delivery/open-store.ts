/**
 * Chooses the store at the composition root: PostgreSQL when a database URL is configured
 * (replicas share it), else the embedded SQLite file.
 *
 * @example
 * const store = await openStore(loadServerConfig(process.env));
 */
import type { ServerConfig } from "../config/server-config.js";
import { openPostgresStore } from "./postgres-store.js";
import { openSqliteStore } from "./sqlite-store.js";
import type { Store } from "./store.js";

export function openStore(
  config: Pick<ServerConfig, "databaseUrl" | "databasePath">,
  options: { synchronous?: "full" | "normal" } = {},
): Promise<Store> {
  return config.databaseUrl
    ? openPostgresStore({ connectionString: config.databaseUrl })
    : openSqliteStore({ path: config.databasePath, synchronous: options.synchronous ?? "full" });
}
