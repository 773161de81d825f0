/**
 * The store the server would open (config.ts decides, as for `npm start`): the SQLite file
 * must be writable, or creatable where it is to be; a PostgreSQL database must answer and
 * hold trackbridge's schema (or be empty and let the server create it). Nothing is written:
 * the server migrates at start, and `doctor` only says whether it will be able to.
 */
import { accessSync, constants, existsSync, statSync } from "node:fs";
import path from "node:path";
import type { ServerConfig } from "../config/server-config.js";
import type { Db } from "../delivery/db.js";
import { compareSchema } from "../delivery/migrations.js";
import { openPostgresDb } from "../delivery/postgres-db.js";
import { openSqliteDb } from "../delivery/sqlite-db.js";
import { type DoctorCheck, errorText, fail, ok } from "./check.js";

const NAME = "store";

export async function checkStore(
  config: Pick<ServerConfig, "databaseUrl" | "databasePath">,
): Promise<DoctorCheck> {
  return config.databaseUrl ? checkPostgres(config.databaseUrl) : checkSqlite(config.databasePath);
}

async function checkSqlite(file: string): Promise<DoctorCheck> {
  const fix = `set TRACKBRIDGE_DB to a file in a directory the server's user can write (now ${file})`;
  if (!existsSync(file)) {
    const dir = nearestExisting(path.dirname(file));
    if (!statSync(dir).isDirectory()) {
      return fail(NAME, `SQLite ${file} cannot be created: ${dir} is not a directory`, fix);
    }
    if (!writable(dir)) {
      return fail(NAME, `SQLite ${file} cannot be created: ${dir} is not writable`, fix);
    }
    return ok(NAME, `SQLite ${file} does not exist yet; the server creates it at start`);
  }
  if (!statSync(file).isFile()) return fail(NAME, `SQLite ${file} is not a file`, fix);
  if (!writable(file) || !writable(path.dirname(file))) {
    // The directory too: SQLite writes its -wal and -shm files next to the database.
    return fail(NAME, `SQLite ${file} or its directory is not writable`, fix);
  }
  let db: Db;
  try {
    db = openSqliteDb({ path: file });
  } catch (error) {
    return fail(NAME, `SQLite ${file} cannot be opened: ${errorText(error)}`, fix);
  }
  return inspectSchema(db, `SQLite ${file}`, "move the file aside (the server creates a new one)");
}

async function checkPostgres(url: string): Promise<DoctorCheck> {
  const db = openPostgresDb({ connectionString: url, poolSize: 1 });
  try {
    await db.row("SELECT 1 AS one", []);
  } catch (error) {
    await db.close().catch(() => undefined);
    return fail(
      NAME,
      `PostgreSQL does not answer: ${errorText(error)}`,
      "check TRACKBRIDGE_DATABASE_URL (host, port, user, password, database) and that the server is up",
    );
  }
  return inspectSchema(
    db,
    "PostgreSQL",
    "point TRACKBRIDGE_DATABASE_URL at trackbridge's own database (or a schema of its own: ?options=-c%20search_path%3Dtrackbridge)",
  );
}

/** Reads `schema_migrations`; closes `db`. */
async function inspectSchema(db: Db, where: string, foreignFix: string): Promise<DoctorCheck> {
  try {
    if (!(await hasTable(db, "schema_migrations"))) {
      if (await hasTable(db, "deliveries")) {
        return fail(
          NAME,
          `${where} has a deliveries table but no schema_migrations: not a trackbridge schema`,
          foreignFix,
        );
      }
      if (db.dialect.name === "postgres" && !(await mayCreateTables(db))) {
        return fail(
          NAME,
          `${where} is empty and this user may not create tables in it`,
          "GRANT CREATE ON SCHEMA to the user in TRACKBRIDGE_DATABASE_URL, or run the server once as a user who may",
        );
      }
      return ok(NAME, `${where} is empty; the server creates the schema at start`);
    }
    const rows = await db.rows<{ version: number }>("SELECT version FROM schema_migrations", []);
    const schema = compareSchema(rows.map((row) => Number(row.version)));
    if (schema.state === "newer") {
      return fail(
        NAME,
        `${where} was migrated by a newer trackbridge (schema versions ${schema.unknown.join(", ")} are unknown to this one)`,
        "upgrade this trackbridge to the version the other servers run",
      );
    }
    if (!(await mayWrite(db))) {
      return fail(
        NAME,
        `${where} cannot be written`,
        "check the file's or the database user's permissions",
      );
    }
    const pending = schema.state === "behind" ? schema.pending : [];
    return ok(
      NAME,
      pending.length > 0
        ? `${where} is writable; the server applies migrations ${pending.join(", ")} at start`
        : `${where} is writable, schema up to date`,
    );
  } catch (error) {
    return fail(
      NAME,
      `${where} cannot be read or written: ${errorText(error)}`,
      "check the file's or the database user's permissions",
    );
  } finally {
    await db.close().catch(() => undefined);
  }
}

function hasTable(db: Db, table: string): Promise<boolean> {
  const sql =
    db.dialect.name === "sqlite"
      ? "SELECT 1 AS found FROM sqlite_master WHERE type = 'table' AND name = ?"
      : "SELECT 1 AS found WHERE to_regclass(?) IS NOT NULL";
  return db.row(sql, [table]).then((row) => row !== undefined);
}

/**
 * SQLite: the file and its directory were found writable before it was opened; taking the
 * write lock to prove it (BEGIN IMMEDIATE) would stop a running server's writes, or wait
 * for them and fail on a busy one. PostgreSQL: the user may insert.
 */
async function mayWrite(db: Db): Promise<boolean> {
  if (db.dialect.name === "sqlite") return true;
  // A list of privileges asks for any one of them: each right is asked on its own, on the
  // tables every delivery writes.
  const asks = ["deliveries", "jobs", "reports"].flatMap((table) =>
    ["INSERT", "UPDATE", "DELETE"].map((right) => `has_table_privilege('${table}', '${right}')`),
  );
  const row = await db.row<{ allowed: boolean }>(`SELECT ${asks.join(" AND ")} AS allowed`, []);
  return row?.allowed === true;
}

async function mayCreateTables(db: Db): Promise<boolean> {
  const row = await db.row<{ allowed: boolean | null }>(
    "SELECT has_schema_privilege(current_schema(), 'CREATE') AS allowed",
    [],
  );
  return row?.allowed === true;
}

function nearestExisting(dir: string): string {
  let current = path.resolve(dir);
  while (!existsSync(current)) current = path.dirname(current);
  return current;
}

function writable(file: string): boolean {
  try {
    accessSync(file, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
