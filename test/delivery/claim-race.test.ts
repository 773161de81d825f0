/**
 * On SQLite a job claim picks from a plain read (the probe) and claims in a write transaction
 * after it. Another process may claim the same job in between: the claim's own re-check (still
 * due, still heading its issue) must then leave it alone.
 */
import { afterEach, describe, expect, it } from "vitest";
import { claimJobs } from "../../src/delivery/claims.js";
import type { Db } from "../../src/delivery/db.js";
import { openSqliteDb } from "../../src/delivery/sqlite-db.js";
import { enqueue, link, submission, tempDb } from "./helpers.js";

describe("a SQLite job claim overtaken by another process", () => {
  const db = tempDb();
  const raw: Db[] = [];
  afterEach(async () => {
    for (const each of raw.splice(0)) await each.close();
    await db.cleanup();
  });

  it("claims only what is still due after its probe: the other process's claim stands alone", async () => {
    const ours = await db.open();
    const theirs = await db.open();
    await enqueue(ours, "d1", [submission("d1", [link("PROJ-1"), link("PROJ-2")])]);
    const input = { now: Date.now(), leaseMs: 60_000, perConnection: 4, running: new Map() };
    const direct = openSqliteDb({ path: db.file });
    raw.push(direct);
    let overtaken: Awaited<ReturnType<typeof theirs.claimJobs>> = [];
    // Our probe reads both jobs; before our write transaction begins, theirs claims one.
    const racing = new Proxy(direct, {
      get(target, name) {
        if (name === "rows")
          return async (sql: string, params: readonly unknown[]) => {
            const rows = await target.rows(sql, params);
            if (overtaken.length === 0) overtaken = await theirs.claimJobs({ ...input, limit: 1 });
            return rows;
          };
        const value = Reflect.get(target, name, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const claimed = await claimJobs(racing, { ...input, limit: 10 });
    expect(overtaken.map((job) => job.key)).toEqual(["PROJ-1"]);
    expect(claimed.map((job) => job.key)).toEqual(["PROJ-2"]);
    const jobs = await ours.listJobs({ states: ["running"], limit: 10 });
    expect(jobs.map((job) => [job.key, job.attempts]).sort()).toEqual([
      ["PROJ-1", 1],
      ["PROJ-2", 1],
    ]);
  });
});
