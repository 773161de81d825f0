/**
 * The job claim's select on SQLite reads active jobs in turn order from their index and stops
 * at its page: without the hint, SQLite (which has no statistics here) read every pending and
 * running job and sorted them, on every claim, so a claim cost more the longer the backlog.
 * The select is the one `claimJobs` sends, caught on its way to the database.
 */
import { afterEach, expect, it } from "vitest";
import { openSqlStore } from "../../src/delivery/sql-store.js";
import { openSqliteDb } from "../../src/delivery/sqlite-db.js";
import type { Store } from "../../src/delivery/store.js";
import { type Sent, tempDb, watched } from "./helpers.js";

let db: ReturnType<typeof tempDb>;
let store: Store | undefined;
afterEach(async () => {
  await store?.close();
  await db.cleanup();
});

it("claimJobs on SQLite reads jobs_active_turn in turn order, with no sort", async () => {
  db = tempDb();
  const sent: Sent[] = [];
  store = await openSqlStore(watched(openSqliteDb({ path: db.file }), sent));
  await store.claimJobs({
    now: Date.now(),
    leaseMs: 60_000,
    limit: 10,
    perConnection: 10,
    running: new Map(),
  });
  const select = sent.find(({ sql }) => /FROM jobs j\b/.test(sql) && sql.includes("AS head"))?.sql;
  expect(select).toBeDefined();
  // tempDb's reader takes no parameters: each is 1 (the plan does not depend on them).
  const plan = await db.rows<{ detail: string }>(
    `EXPLAIN QUERY PLAN ${select!.replaceAll("?", "1")}`,
  );
  const details = plan.map((row) => row.detail);
  expect(details.some((d) => /USING INDEX jobs_active_turn/.test(d))).toBe(true);
  expect(details.filter((d) => /TEMP B-TREE/.test(d))).toEqual([]);
});

it("a claim of named reports on SQLite looks the names up, not every unreported report", async () => {
  db = tempDb();
  const sent: Sent[] = [];
  store = await openSqlStore(watched(openSqliteDb({ path: db.file }), sent));
  await store.claimReports({
    now: Date.now(),
    leaseMs: 60_000,
    limit: 10,
    of: { reports: [1, 2, 3], deliveries: ["d-1", "d-2"] },
  });
  // The probe that runs first (SQLite asks before it takes the write lock) has the same terms.
  const probe = sent.find(({ sql }) => /FROM reports r\b/.test(sql))?.sql;
  expect(probe).toBeDefined();
  const plan = await db.rows<{ detail: string }>(
    `EXPLAIN QUERY PLAN ${probe!.replaceAll("?", "1")}`,
  );
  const details = plan.map((row) => row.detail);
  expect(details).toContain("MULTI-INDEX OR");
  expect(details.filter((d) => /reports_due/.test(d))).toEqual([]);
});
