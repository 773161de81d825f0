/**
 * The plans PostgreSQL makes for the hot statements of a young store, one without statistics
 * (autovacuum has not analyzed it yet: the first minute of every new store, and every bench
 * step). Each statement is the one the store sends, caught on its way to the database with its
 * parameters, then explained in the same transaction state on another connection.
 */
import type pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../src/delivery/db.js";
import { openPostgresDb } from "../../src/delivery/postgres-db.js";
import { numberedParams } from "../../src/delivery/queries.js";
import { openSqlStore } from "../../src/delivery/sql-store.js";
import type { Store } from "../../src/delivery/store.js";
import {
  enqueue,
  link,
  move,
  postgresDb,
  postgresUrl,
  type Sent,
  submission,
  watched,
} from "./helpers.js";

describe.runIf(Boolean(postgresUrl))("PostgreSQL plans on a store without statistics", () => {
  const url = postgresUrl ?? "";
  let db: Awaited<ReturnType<typeof postgresDb>>;
  let store: Store;
  let inner: Db;
  let admin: pg.Client;
  let sent: Sent[];

  beforeEach(async () => {
    db = await postgresDb(url);
    sent = [];
    inner = openPostgresDb({ connectionString: url, schema: db.schema, poolSize: 4 });
    store = await openSqlStore(watched(inner, sent));
    admin = db.client();
    await admin.connect();
    // No statistics for the test's life, as in a store's first minute.
    for (const table of ["jobs", "reports", "deliveries"])
      await admin.query(`ALTER TABLE ${table} SET (autovacuum_enabled = false)`);
  });

  afterEach(async () => {
    await admin.end();
    await store.close();
    await db.cleanup();
  });

  /** The plan of `statement`, as the store's own connections (and their settings) make it. */
  async function planOf(statement: Sent): Promise<string> {
    const rows = await inner.rows<Record<string, string>>(
      `EXPLAIN ${statement.sql}`,
      statement.params,
    );
    return rows.map((row) => row["QUERY PLAN"]).join("\n");
  }

  /**
   * The plan a connection keeps for `statement` once it stops planning it afresh (a named
   * statement's generic plan, after its fifth run), with the store's own settings.
   */
  async function keptPlanOf(statement: Sent): Promise<string> {
    return inner.tx(async (tx) => {
      await tx.run("SET LOCAL plan_cache_mode = force_generic_plan", []);
      await tx.run(`PREPARE kept AS ${numberedParams(statement.sql)}`, []);
      // EXECUTE takes no bound parameters: its arguments are written out.
      const args = statement.params.map(literal).join(", ");
      const rows = await tx.rows<Record<string, string>>(`EXPLAIN EXECUTE kept(${args})`, []);
      await tx.run("DEALLOCATE kept", []);
      return rows.map((row) => row["QUERY PLAN"]).join("\n");
    });
  }

  function literal(value: unknown): string {
    if (Array.isArray(value)) return `'{${value.join(",")}}'`;
    return typeof value === "number" ? String(value) : `'${String(value).replaceAll("'", "''")}'`;
  }

  /** A queue that has run: 3,000 jobs done (their old entries dead), a few still due. */
  async function aQueueThatRan() {
    await admin.query(`INSERT INTO deliveries (id, event, payload, received_at, state, next_at, retry_from)
      VALUES ('old', 'pull_request', '{}', '2024-01-01T00:00:00Z', 'planned', 0, 0)`);
    await admin.query(`INSERT INTO reports (delivery_id, submission, reported, next_at)
      SELECT 'old', '{}', 0, 0 FROM generate_series(1, 3000)`);
    await admin.query("UPDATE reports SET reported = 1");
    await admin.query(`INSERT INTO jobs (delivery_id, report_id, connection, repo, pr_number,
        issue_key, kind, action, event_at, received_at, state, next_at, created_at, retry_from,
        updated_at, turn)
      SELECT 'old', 1, 'yandex', 'acme/web', i, 'OLD-' || i, 'link', '{}', '2024-01-01T00:00:00Z',
        '2024-01-01T00:00:00Z', 'pending', 0, 0, 0, 0, i FROM generate_series(1, 3000) AS i`);
    await admin.query("UPDATE jobs SET state = 'running', lease_until = 0");
    await admin.query("UPDATE jobs SET state = 'done'");
    const keys = ["PROJ-1", "PROJ-2", "PROJ-3"];
    await enqueue(store, "d1", [
      submission(
        "d1",
        keys.map((key) => link(key)),
      ),
    ]);
    await enqueue(store, "d2", [
      submission(
        "d2",
        keys.map((key) => link(key)),
      ),
    ]);
  }

  it("claims due jobs by walking jobs_active_turn in turn order, not by a bitmap scan", async () => {
    await aQueueThatRan();
    sent.length = 0;
    await store.claimJobs({
      now: Date.now(),
      leaseMs: 60_000,
      limit: 10,
      perConnection: 10,
      running: new Map(),
    });
    const at = sent.findIndex((s) => /FROM jobs j\b/.test(s.sql) && s.sql.includes("AS head"));
    expect(at).toBeGreaterThanOrEqual(0);
    const plan = await planOf(sent[at]!);
    expect(plan).toMatch(/Index Scan using jobs_active_turn on jobs j/);
    expect(plan).not.toMatch(/Bitmap/);
  });

  it("looks done links up by their issue keys", async () => {
    await aQueueThatRan();
    const lookup = sent.filter((s) => s.sql.includes("kind = 'link'")).at(-1);
    expect(lookup).toBeDefined();
    const plan = await planOf(lookup!);
    expect(plan).toMatch(/Index Cond: \(\(issue_key = /);
    expect(plan).not.toMatch(/Index Cond: \(\(connection = \$\d\) AND \(state = 'done'/);
  });

  it("claims reports to write by an index of the unreported, not by a bitmap scan", async () => {
    await aQueueThatRan();
    sent.length = 0;
    await store.claimReports({ now: Date.now() + 60_000, leaseMs: 60_000, limit: 10 });
    const claim = sent.find((s) => s.sql.includes("FROM reports r"));
    expect(claim).toBeDefined();
    const plan = await planOf(claim!);
    expect(plan).toMatch(/Index Scan using reports_(unreported|due) on reports r\b/);
    expect(plan).not.toMatch(/Bitmap/);
  });

  it("asks each report to claim for its active jobs by one lookup, not by reading every active job", async () => {
    await aQueueThatRan();
    sent.length = 0;
    const now = Date.now() + 60_000;
    await store.claimReports({ now, leaseMs: 60_000, limit: 10 });
    const of = { reports: [1, 2], deliveries: ["d1", "d2"] };
    await store.claimReports({ now, leaseMs: 60_000, limit: 10, of });
    const claims = sent.filter((s) => s.sql.includes("FROM reports r"));
    expect(claims).toHaveLength(2);
    for (const claim of claims) {
      const plan = await planOf(claim);
      expect(plan).toMatch(/Index Scan using jobs_active_report on jobs j\b/);
      expect(plan).not.toMatch(/jobs_active_turn on jobs j\b/);
    }
  });

  it("reads the claimed reports' jobs by jobs_report in the plan it keeps, not by a read of every job", async () => {
    await aQueueThatRan();
    await admin.query("UPDATE jobs SET state = 'done' WHERE delivery_id IN ('d1', 'd2')");
    sent.length = 0;
    const claimed = await store.claimReports({
      now: Date.now() + 60_000,
      leaseMs: 60_000,
      limit: 10,
    });
    expect(claimed.map((report) => report.jobs.length)).toEqual([3, 3]);
    const read = sent.find((s) => /FROM .*jobs.* ORDER BY report_id, id/s.test(s.sql));
    expect(read).toBeDefined();
    const plan = await keptPlanOf(read!);
    expect(plan).toMatch(/Index Scan using jobs_report on jobs\b/);
    expect(plan).not.toMatch(/Seq Scan on jobs\b/);
  });

  it("looks up the last applied move of each claimed PR and issue by its whole key, not by every move of the repo", async () => {
    await admin.query(`INSERT INTO applied (repo, pr_number, connection, issue_key, event_at)
      SELECT 'acme/web', i, 'yandex', 'OLD-' || i, '2024-01-01T00:00:00Z'
      FROM generate_series(2, 3001) AS i`);
    // Moves of three PRs of one repo: an OR of their keys was read by the repo alone.
    for (const pr of [1, 2, 3]) {
      const moves = [move(`PROJ-${pr}`, "review", "opened")];
      await enqueue(store, `m${pr}`, [submission(`m${pr}`, moves, { prNumber: pr })]);
    }
    sent.length = 0;
    const now = Date.now() + 60_000;
    const claim = { now, leaseMs: 60_000, limit: 10, perConnection: 10, running: new Map() };
    expect(await store.claimJobs(claim)).toHaveLength(3);
    const lookup = sent.find((s) => s.sql.includes("event_at FROM"));
    expect(lookup).toBeDefined();
    for (const plan of [await planOf(lookup!), await keptPlanOf(lookup!)]) {
      expect(plan).toMatch(
        /Index Cond: \(\(repo = \S+\) AND \(pr_number = \S+\) AND \(connection = \S+\) AND \(issue_key = /,
      );
    }
  });

  it("supersedes older moves of a PR by the PR's jobs, not by a scan of every job", async () => {
    await aQueueThatRan();
    const moves = (id: string, seconds: number) => [
      submission(id, [move("PROJ-1", "done", "merged")], {
        eventAt: `2024-05-01T10:00:0${seconds}Z`,
      }),
    ];
    await enqueue(store, "approve", moves("approve", 1));
    sent.length = 0;
    await enqueue(store, "merge", moves("merge", 2));
    const supersede = sent.find((s) => s.sql.includes("SET state = 'superseded'"));
    expect(supersede).toBeDefined();
    const plan = await planOf(supersede!);
    expect(plan).toMatch(/Index Scan using jobs_issue_order on jobs\b/);
  });
});
