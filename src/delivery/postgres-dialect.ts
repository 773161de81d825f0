/**
 * PostgreSQL's side of the store's dialect (db.ts): the locks that let replicas share one
 * outbox, and how a transaction tells the other processes of new work.
 *
 * Advisory lock keys are 64-bit hashes of a name that includes the schema (schemas of one
 * database do not contend); a collision only makes two issues wait for each other now and then.
 */
import { type Dialect, together } from "./db.js";
import { NOTIFY_WORK, workPayload } from "./postgres-listen.js";

const lockKey = (kind: string, parts: string) =>
  `hashtextextended('trackbridge.${kind}/' || ${parts}, 0)`;

/**
 * Taken by every starting process before it looks at `schema_migrations` (param: the schema
 * asked for, or null for the search path's).
 */
const LOCK_MIGRATIONS = `SELECT pg_advisory_xact_lock(${lockKey("migrations", "COALESCE(?::text, current_schema(), '')")})`;
const SCHEMA_EXISTS = "SELECT 1 AS found FROM pg_namespace WHERE nspname = ?";

/**
 * Of the candidate jobs (params: ids, connections, issue keys, as arrays), those whose issue
 * no other transaction is claiming right now. Held until commit; a claimer never waits.
 */
export const TRY_LOCK_ISSUES = `SELECT k.id FROM unnest(?::bigint[], ?::text[], ?::text[])
    AS k(id, connection, issue_key)
  WHERE pg_try_advisory_xact_lock(${lockKey("issue", "current_schema() || '/' || k.connection || '/' || k.issue_key")})`;

/**
 * Serializes plans of one PR (params: repo, PR number), so that superseding older moves
 * sees every move committed before it, as under SQLite's single writer.
 */
const LOCK_PR = `SELECT pg_advisory_xact_lock(${lockKey("pr", "current_schema() || '/' || ?::text || '#' || ?::text")})`;

/** Ends a claim's select: rows another replica is claiming are passed over, never waited for. */
export const SKIP_LOCKED = " FOR UPDATE SKIP LOCKED";

export function postgresDialect(schema: string | undefined, origin: string): Dialect {
  return {
    name: "postgres",
    autoIdPrimaryKey: "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
    skipLocked: SKIP_LOCKED,
    forUpdate: " FOR UPDATE",
    probeBeforeClaim: false,
    turnOrderHint: "",
    byNameHint: "",
    turnsApart: true,
    oneOf: (column) => `${column} = ANY(?)`,
    listParams: (values) => [values],
    // OFFSET 0 keeps the planner from folding the lookup into a join, which it would plan as
    // a hash join over a read of the whole table.
    eachOf: (table, columns) => {
      const lists = columns.map((column) => `?::${column.type}[]`).join(", ");
      const names = columns.map((_, i) => `c${i}`).join(", ");
      const match = columns.map((column, i) => `${column.name} = k.c${i}`).join(" AND ");
      return `(SELECT t.* FROM unnest(${lists}) AS k(${names})
        CROSS JOIN LATERAL (SELECT * FROM ${table} WHERE ${match} OFFSET 0) AS t)`;
    },
    eachParams: (tuples) =>
      Array.from({ length: tuples[0]?.length ?? 0 }, (_, i) => tuples.map((tuple) => tuple[i])),
    notifyWork: (tx, kind, othersOnly) =>
      tx.run(NOTIFY_WORK, [othersOnly ? workPayload(kind, origin) : kind]),
    async beforeMigrate(tx) {
      await tx.run(LOCK_MIGRATIONS, [schema ?? null]);
      // Checked first: CREATE SCHEMA IF NOT EXISTS needs a privilege an existing schema does not.
      if (schema !== undefined && !(await tx.row(SCHEMA_EXISTS, [schema]))) {
        await tx.run(`CREATE SCHEMA "${schema}"`, []);
      }
    },
    // In one order everywhere (sorted), so two plans that lock several PRs cannot deadlock;
    // sent together, the server still takes them in that order.
    async lockPrs(tx, prs) {
      const names = new Map(prs.map((pr) => [`${pr.repo}#${pr.prNumber}`, pr]));
      const sorted = [...names.keys()].sort().map((name) => names.get(name)!);
      await together(sorted.map((pr) => tx.run(LOCK_PR, [pr.repo, pr.prNumber])));
    },
    async lockIssues(tx, candidates) {
      const params = [
        candidates.map((c) => c.id),
        candidates.map((c) => c.connection),
        candidates.map((c) => c.issue_key),
      ];
      return (await tx.rows<{ id: number }>(TRY_LOCK_ISSUES, params)).map((row) => row.id);
    },
  };
}
