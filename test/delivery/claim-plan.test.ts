/**
 * The job claim's select on SQLite reads active jobs in turn order from their index and stops
 * at its page: without the hint, SQLite (which has no statistics here) read every pending and
 * running job and sorted them, on every claim, so a claim cost more the longer the backlog.
 */
import { afterEach, describe, expect, it } from "vitest";
import * as q from "../../src/delivery/queries.js";
import { SQLITE } from "../../src/delivery/sqlite-db.js";
import { tempDb } from "./helpers.js";

let db: ReturnType<typeof tempDb>;
afterEach(() => db.cleanup());

describe("the job claim's plan on SQLite", () => {
  it.each([
    ["the first page", false, 0],
    ["a later page, with full connections left out", true, 2],
  ])("%s reads jobs_active_turn in order, with no sort", async (_name, after, excluded) => {
    db = tempDb();
    await db.open();
    const sql = q.dueJobs(excluded, after, { turnOrderIndex: SQLITE.turnOrderIndex });
    // tempDb's reader takes no parameters: each is 1 (the plan does not depend on them).
    const plan = await db.rows<{ detail: string }>(
      `EXPLAIN QUERY PLAN ${sql.replaceAll("?", "1")}`,
    );
    const details = plan.map((row) => row.detail);
    expect(details.some((d) => /USING INDEX jobs_active_turn/.test(d))).toBe(true);
    expect(details.filter((d) => /TEMP B-TREE/.test(d))).toEqual([]);
  });
});
