/**
 * The two outbox counts /metrics reads on every scrape (and the console shows): jobs per
 * connection and state, and the age of the oldest pending job. Plain SELECTs through the
 * store's `rows`, so SQLite and PostgreSQL serve them alike.
 */
import type { Store } from "../delivery/store.js";
import type { JobState } from "../delivery/types.js";

export type ConsoleDb = Pick<Store, "rows" | "run">;

export interface JobCount {
  connection: string;
  state: JobState;
  n: number;
}

export async function countJobs(db: ConsoleDb): Promise<JobCount[]> {
  const rows = await db.rows<JobCount>(
    "SELECT connection, state, COUNT(*) AS n FROM jobs GROUP BY connection, state ORDER BY connection, state",
    [],
  );
  return rows.map((row) => ({ ...row, n: Number(row.n) }));
}

/** When the oldest job still waiting to run was created (null: none waits). */
export async function oldestPendingJobAt(db: ConsoleDb): Promise<number | null> {
  const rows = await db.rows<{ at: number | null }>(
    "SELECT MIN(created_at) AS at FROM jobs WHERE state = 'pending'",
    [],
  );
  const at = rows[0]?.at;
  return at === null || at === undefined ? null : Number(at);
}
