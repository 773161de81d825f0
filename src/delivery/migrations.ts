/**
 * Applies the schema's migrations (schema.ts) in order at start-up and records each in
 * `schema_migrations`; tells `doctor` how a database compares with this build.
 */
import type { Db } from "./db.js";
import { MIGRATIONS, type Migration } from "./schema.js";

const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at TEXT NOT NULL
)`;

/** The migrations not yet in `applied`, in order. */
export function pendingMigrations(applied: ReadonlySet<number>): Migration[] {
  return MIGRATIONS.filter((migration) => !applied.has(migration.version)).sort(
    (a, b) => a.version - b.version,
  );
}

/**
 * How a database's recorded migrations compare with this build's: `newer` means a later
 * trackbridge migrated it, and this one would run on tables it does not know.
 *
 * @example
 * compareSchema([1, 2]) // { state: "behind", pending: [3, 4, 5] } (applied at the next start)
 */
export function compareSchema(
  applied: readonly number[],
):
  | { state: "current" }
  | { state: "behind"; pending: number[] }
  | { state: "newer"; unknown: number[] } {
  const known = new Set(MIGRATIONS.map((migration) => migration.version));
  const unknown = applied.filter((version) => !known.has(version));
  if (unknown.length > 0) return { state: "newer", unknown };
  const pending = pendingMigrations(new Set(applied)).map((migration) => migration.version);
  return pending.length > 0 ? { state: "behind", pending } : { state: "current" };
}

/**
 * Applies the migrations not yet recorded, in one transaction: safe at every start and from
 * several processes or replicas at once (each migration is applied once, the others wait and
 * then find nothing to do).
 */
export function migrate(db: Db): Promise<number> {
  return db.tx(async (tx) => {
    await db.dialect.beforeMigrate(tx);
    await tx.run(CREATE_MIGRATIONS_TABLE, []);
    const rows = await tx.rows<{ version: number }>("SELECT version FROM schema_migrations", []);
    const todo = pendingMigrations(new Set(rows.map((row) => row.version)));
    for (const migration of todo) {
      for (const statement of migration.statements(db.dialect)) await tx.run(statement, []);
      await tx.run("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", [
        migration.version,
        migration.name,
        new Date().toISOString(),
      ]);
    }
    return todo.length;
  });
}
