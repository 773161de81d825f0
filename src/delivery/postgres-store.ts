/**
 * The shared store: PostgreSQL, so that several stateless replicas behind a load balancer
 * keep one delivery log and one outbox (DESIGN.md, "Scale"). The statements are the shared
 * ones in queries.ts; what PostgreSQL runs differently is in postgres-queries.ts. Claims are
 * safe across processes (postgres-claims.ts): each job runs once, one job per issue at a time.
 *
 * @example
 * const store = await openPostgresStore({ connectionString: "postgres://tb@db:5432/trackbridge" });
 */
import { CREATE_MIGRATIONS_TABLE, POSTGRES, pendingMigrations } from "./migrations.js";
import * as claims from "./postgres-claims.js";
import { commitPlanIn } from "./postgres-commit-plan.js";
import * as operator from "./postgres-operator.js";
import * as pq from "./postgres-queries.js";
import { createPool, PgSql } from "./postgres-sql.js";
import * as q from "./queries.js";
import { toIso } from "./sqlite-rows.js";
import type { Store } from "./store.js";
import type { PlanSubmission } from "./types.js";

export interface PostgresStoreOptions {
  /** `postgres://user:password@host:5432/database`; never logged. */
  connectionString: string;
  /** Connections this process keeps open (default 10). */
  poolSize?: number;
  /**
   * The schema the tables live in, created at start if missing; default: the connection's
   * search path (usually `public`). An `options` parameter in the connection string wins.
   */
  schema?: string;
  /** An idle pooled connection broke (the server restarted): the pool replaces it. */
  onConnectionError?: (error: Error) => void;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export async function openPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  const { schema } = options;
  if (schema !== undefined && !IDENTIFIER.test(schema)) {
    throw new RangeError(
      `PostgreSQL schema must be letters, digits and _ (got ${JSON.stringify(schema)})`,
    );
  }
  const pool = createPool({
    connectionString: options.connectionString,
    max: options.poolSize ?? 10,
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  });
  // Without a listener, a connection dropped while idle would crash the process.
  pool.on("error", (error) => options.onConnectionError?.(error));
  const sql = new PgSql(pool);
  try {
    await migratePostgres(sql, schema);
  } catch (error) {
    await sql.close();
    throw error;
  }
  return new PostgresStore(sql);
}

/**
 * Applies the migrations not yet recorded, in one transaction under an advisory lock: replicas
 * starting together apply each migration once, the others wait and then find nothing to do.
 */
export function migratePostgres(sql: PgSql, schema?: string): Promise<number> {
  return sql.tx(async (tx) => {
    await tx.run(pq.LOCK_MIGRATIONS, [schema ?? null]);
    // Checked first: CREATE SCHEMA IF NOT EXISTS needs a privilege an existing schema does not.
    if (schema !== undefined && !(await tx.row(pq.SCHEMA_EXISTS, [schema]))) {
      await tx.run(`CREATE SCHEMA "${schema}"`, []);
    }
    await tx.run(CREATE_MIGRATIONS_TABLE, []);
    const rows = await tx.rows<{ version: number }>("SELECT version FROM schema_migrations", []);
    const todo = pendingMigrations(new Set(rows.map((row) => row.version)));
    for (const migration of todo) {
      for (const statement of migration.statements(POSTGRES)) await tx.run(statement, []);
      await tx.run("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", [
        migration.version,
        migration.name,
        new Date().toISOString(),
      ]);
    }
    return todo.length;
  });
}

type Input<M extends keyof Store> = Parameters<Store[M]>[0];

class PostgresStore implements Store {
  readonly #sql: PgSql;

  constructor(sql: PgSql) {
    this.#sql = sql;
  }

  async recordDelivery(delivery: Input<"recordDelivery">) {
    const receivedAt = toIso(delivery.receivedAt);
    const at = Date.parse(receivedAt);
    const payload = delivery.rawPayload ?? JSON.stringify(delivery.payload);
    const params = [delivery.id, delivery.event, payload, receivedAt, at, at];
    return (await this.#sql.run(q.INSERT_DELIVERY, params)) === 1 ? "new" : "duplicate";
  }

  async knownDeliveryIds(ids: readonly string[]) {
    const known = new Set<string>();
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const rows = await this.#sql.rows<{ id: string }>(q.knownDeliveryIds(chunk.length), chunk);
      for (const row of rows) known.add(row.id);
    }
    return known;
  }

  claimDeliveries(input: Input<"claimDeliveries">) {
    return claims.claimDeliveries(this.#sql, input);
  }

  async delayDelivery(claim: Input<"delayDelivery">, input: { nextAt: number; error: string }) {
    await this.#sql.run(q.DELAY_DELIVERY, [input.nextAt, input.error, claim.id, claim.attempts]);
  }

  async failDelivery(claim: Input<"failDelivery">, error: string) {
    await this.#sql.run(q.FAIL_DELIVERY, [error, claim.id, claim.attempts]);
  }

  commitPlan(deliveryId: string, submissions: readonly PlanSubmission[], now: number) {
    return this.#sql.tx((tx) => commitPlanIn(tx, deliveryId, submissions, now));
  }

  claimJobs(input: Input<"claimJobs">) {
    return claims.claimJobs(this.#sql, input);
  }

  async lastAppliedAt(ref: Input<"lastAppliedAt">) {
    const params = [ref.repo, ref.prNumber, ref.connection, ref.key];
    return (await this.#sql.row<{ event_at: string }>(q.LAST_APPLIED, params))?.event_at ?? null;
  }

  async openPrsReferencing(ref: Input<"openPrsReferencing">) {
    const params = [ref.connection, ref.key, ref.repo, ref.prNumber];
    type Row = { repo: string; pr_number: number };
    const rows = await this.#sql.rows<Row>(q.OTHER_OPEN_PRS, params);
    return rows.map((row) => ({ repo: row.repo, prNumber: row.pr_number }));
  }

  async openPrsOfIssue(connection: string, key: string) {
    type Row = { repo: string; pr_number: number };
    const rows = await this.#sql.rows<Row>(q.OPEN_PRS_OF_ISSUE, [connection, key]);
    return rows.map((row) => ({ repo: row.repo, prNumber: row.pr_number }));
  }

  async issuesOfPr(repo: string, prNumber: number) {
    type Row = { connection: string; issue_key: string };
    const rows = await this.#sql.rows<Row>(q.ISSUES_OF_PR, [repo, prNumber]);
    return rows.map((row) => ({ connection: row.connection, key: row.issue_key }));
  }

  async openIssueKeys(connection: string) {
    const rows = await this.#sql.rows<{ issue_key: string }>(q.OPEN_ISSUE_KEYS, [connection]);
    return rows.map((row) => row.issue_key);
  }

  async lastAppMoveTarget(connection: string, key: string, since: number) {
    const row = await this.#sql.row<{ action: string }>(q.LAST_APP_MOVE, [connection, key, since]);
    return row ? (JSON.parse(row.action) as { target: string }).target : null;
  }

  finishJob(claim: Input<"finishJob">, outcome: Parameters<Store["finishJob"]>[1], now: number) {
    const result = outcome.result ? JSON.stringify(outcome.result) : null;
    const params = [outcome.state, outcome.summary, outcome.lastError ?? null, result, now];
    type Finished = {
      kind: string;
      repo: string;
      pr_number: number | null;
      connection: string;
      issue_key: string;
      event_at: string;
    };
    return this.#sql.tx(async (tx) => {
      const job = await tx.row<Finished>(pq.FINISH_JOB, [...params, claim.id, claim.attempts]);
      if (!job) return false;
      // Only a move applied to a PR's issue sets the bar later events of that PR are held to.
      if (outcome.state === "done" && job.kind === "move" && job.pr_number !== null) {
        const applied = [job.repo, job.pr_number, job.connection, job.issue_key, job.event_at];
        await tx.run(q.UPSERT_APPLIED, applied);
      }
      return true;
    });
  }

  async rescheduleJob(
    claim: Input<"rescheduleJob">,
    input: { nextAt: number; lastError: string },
    now: number,
  ) {
    const params = [input.nextAt, input.lastError, now, claim.id, claim.attempts];
    return (await this.#sql.run(q.RESCHEDULE_JOB, params)) === 1;
  }

  async releaseJobs(claims: Input<"releaseJobs">, now: number) {
    if (claims.length === 0) return;
    // By id, so that two transactions touching the same jobs lock them in the same order.
    const sorted = [...claims].sort((a, b) => a.id - b.id);
    await this.#sql.tx(async (tx) => {
      for (const claim of sorted) await tx.run(q.RELEASE_JOB, [now, now, claim.id, claim.attempts]);
    });
  }

  async renewLeases({ jobs, deliveries, reports, until }: Input<"renewLeases">) {
    // Separate statements, no transaction: each lease stands on its own.
    if (jobs.length) await this.#sql.run(q.renewJobLeases(jobs.length), [until, ...jobs]);
    if (deliveries.length)
      await this.#sql.run(q.renewDeliveryLeases(deliveries.length), [until, ...deliveries]);
    if (reports.length)
      await this.#sql.run(q.renewReportLeases(reports.length), [until, ...reports]);
  }

  claimReports(input: Input<"claimReports">) {
    return claims.claimReports(this.#sql, input);
  }

  async markReported(claim: Input<"markReported">, error?: string) {
    await this.#sql.run(q.MARK_REPORTED, [error ?? null, claim.id, claim.version]);
  }

  async delayReport(claim: Input<"delayReport">, input: { nextAt: number; error: string }) {
    await this.#sql.run(q.DELAY_REPORT, [input.nextAt, input.error, claim.id, claim.version]);
  }

  async nextDueAt(now: number) {
    type Row = { due: number | null };
    return (await this.#sql.row<Row>(q.NEXT_DUE, [now, now, now, now]))?.due ?? null;
  }

  async countOutstanding() {
    return (await this.#sql.row<{ n: number }>(q.COUNT_OUTSTANDING, []))?.n ?? 0;
  }

  listDeliveries(input: Input<"listDeliveries">) {
    return operator.listDeliveries(this.#sql, input);
  }

  listJobs(input: Input<"listJobs">) {
    return operator.listJobs(this.#sql, input);
  }

  reportsForCommit(repo: string, headSha: string) {
    return operator.reportsForCommit(this.#sql, repo, headSha);
  }

  getReport(id: number) {
    return operator.getReport(this.#sql, id);
  }

  getJob(id: number) {
    return operator.getJob(this.#sql, id);
  }

  retryJob(id: number, now: number) {
    return operator.retryJob(this.#sql, id, now);
  }

  retryDeadJobs(now: number) {
    return operator.retryDeadJobs(this.#sql, now);
  }

  retryDelivery(id: string, now: number) {
    return operator.retryDelivery(this.#sql, id, now);
  }

  prune(input: Input<"prune">) {
    return operator.prune(this.#sql, input);
  }

  close() {
    return this.#sql.close();
  }
}
