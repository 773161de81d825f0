/**
 * Where the App under load keeps its store: its own SQLite file, or one PostgreSQL database
 * shared by several replicas (DESIGN.md, "Scale"). Each `start` gives fresh Apps on a fresh
 * store (a new file, or a new schema), and a connection of the bench's own to read the
 * backlog from, so sampling it asks nothing of the Apps.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import type { Db } from "../../src/delivery/db.js";
import { openPostgresDb } from "../../src/delivery/postgres-db.js";
import { openSqliteDb } from "../../src/delivery/sqlite-db.js";
import { type BenchContext, type RunningServer, startApp } from "./context.js";
import { cpuSecondsOfCommand } from "./machine-load.js";

export interface BackendRun {
  apps: RunningServer[];
  /** Reads the Apps' store (the backlog, the jobs' times). */
  reader: Db;
  /** CPU seconds the database server has used so far; null: not measured (SQLite is in the App). */
  databaseCpuSeconds(): number | null;
  stop(): Promise<void>;
}

export interface Backend {
  label: string;
  replicas: number;
  /** `profileDir`: the first App runs under `node --cpu-prof` and writes its profile there. */
  start(name: string, profileDir?: string): Promise<BackendRun>;
  close(): Promise<void>;
}

export const DEFAULT_BENCH_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/test";

export function sqliteBackend(ctx: BenchContext): Backend {
  return {
    label: "SQLite",
    replicas: 1,
    async start(name, profileDir) {
      const app = await startApp(ctx, name, profileDir);
      const reader = openSqliteDb({ path: app.databasePath!, synchronous: "normal" });
      return {
        apps: [app],
        reader,
        databaseCpuSeconds: () => null,
        async stop() {
          await reader.close();
          await app.child.stop();
        },
      };
    },
    close: async () => {},
  };
}

/**
 * A database of its own (`trackbridge_bench_<pid>`) on the server at `url`, dropped by
 * `close`; each start gets a new schema in it. `{ unreachable }`, with the reason, when the server cannot
 * be reached: the part then says so instead of failing.
 */
export async function postgresBackend(
  ctx: BenchContext,
  url: string,
  replicas: number,
): Promise<Backend | { unreachable: string }> {
  const admin = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await admin.connect();
  } catch (error) {
    await admin.end().catch(() => {});
    return { unreachable: `${serverOf(url)}: ${error instanceof Error ? error.message : error}` };
  }
  const database = `trackbridge_bench_${process.pid}`;
  await admin.query(`DROP DATABASE IF EXISTS ${database}`);
  await admin.query(`CREATE DATABASE ${database}`);
  const base = new URL(url);
  base.pathname = `/${database}`;
  let schemas = 0;
  return {
    label: `PostgreSQL ×${replicas}`,
    replicas,
    async start(name, profileDir) {
      const schema = `s${++schemas}_${randomBytes(3).toString("hex")}`;
      const setup = new pg.Client({ connectionString: base.href });
      await setup.connect();
      await setup.query(`CREATE SCHEMA ${schema}`);
      await setup.end();
      const shared = new URL(base);
      shared.searchParams.set("options", `-c search_path=${schema}`);
      const apps: RunningServer[] = [];
      try {
        for (let i = 0; i < replicas; i++) {
          apps.push(
            await startApp(ctx, `${name}-r${i + 1}`, i === 0 ? profileDir : undefined, {
              TRACKBRIDGE_DATABASE_URL: shared.href,
            }),
          );
        }
      } catch (error) {
        for (const app of apps) await app.child.stop();
        throw error;
      }
      const reader = openPostgresDb({ connectionString: base.href, schema, poolSize: 2 });
      const local = ["127.0.0.1", "localhost", "[::1]"].includes(base.hostname);
      return {
        apps,
        reader,
        // Only a server on this machine competes with the Apps for its cores.
        databaseCpuSeconds: () => (local ? cpuSecondsOfCommand("postgres") : null),
        async stop() {
          await reader.close();
          await Promise.all(apps.map((app) => app.child.stop()));
        },
      };
    },
    async close() {
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** host:port/database, never the user or password. */
export function serverOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
  } catch {
    return "(an unparsable URL)";
  }
}
