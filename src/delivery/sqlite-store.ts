/**
 * The embedded store: one SQLite file in WAL mode, so the CLI can read and retry while the
 * server writes. better-sqlite3 is synchronous; each method is async only to meet the
 * `Store` interface that a PostgreSQL backend shares (the SQL is in queries.ts).
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { CREATE_MIGRATIONS_TABLE, pendingMigrations, SQLITE } from "./migrations.js";
import * as q from "./queries.js";
import { commitPlanIn } from "./sqlite-commit-plan.js";
import * as operator from "./sqlite-operator.js";
import { type JobRow, rowToJob, toIso } from "./sqlite-rows.js";
import { Sql } from "./sqlite-sql.js";
import type { ClaimedDelivery, ClaimedReport, Store, StoredJob } from "./store.js";
import type { PlanSubmission } from "./types.js";

export interface SqliteStoreOptions {
  /** A file path, or ":memory:" for throwaway use. The parent directory is created. */
  path: string;
  /**
   * "full" (default) makes every acknowledged delivery survive a power cut; "normal" only an
   * application crash, for more throughput.
   */
  synchronous?: "full" | "normal";
  /** How long a writer waits for another process's lock (the CLI, a second server). */
  busyTimeoutMs?: number;
}

export async function openSqliteStore(options: SqliteStoreOptions): Promise<Store> {
  if (options.path !== ":memory:") {
    mkdirSync(path.dirname(path.resolve(options.path)), { recursive: true });
  }
  const db = new Database(options.path);
  try {
    db.pragma("journal_mode = WAL");
    db.pragma(`synchronous = ${options.synchronous === "normal" ? "NORMAL" : "FULL"}`);
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5_000}`);
    db.pragma("foreign_keys = ON");
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return new SqliteStore(new Sql(db));
}

/** Applies the migrations not yet recorded; safe at every start and from two processes at once. */
export function migrate(db: Database.Database): number {
  db.exec(CREATE_MIGRATIONS_TABLE);
  const sql = new Sql(db);
  return sql.write(() => {
    const rows = sql.all<{ version: number }>("SELECT version FROM schema_migrations", []);
    const todo = pendingMigrations(new Set(rows.map((row) => row.version)));
    for (const migration of todo) {
      for (const statement of migration.statements(SQLITE)) db.exec(statement);
      sql.run("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", [
        migration.version,
        migration.name,
        new Date().toISOString(),
      ]);
    }
    return todo.length;
  });
}

type Input<M extends keyof Store> = Parameters<Store[M]>[0];

class SqliteStore implements Store {
  readonly #sql: Sql;
  /** Deliveries waiting for the next group commit (see `recordDelivery`). */
  #incoming: Array<{
    delivery: Input<"recordDelivery">;
    settle: (error: unknown, result?: "new" | "duplicate") => void;
  }> = [];

  constructor(sql: Sql) {
    this.#sql = sql;
  }

  /**
   * Group commit: deliveries recorded in the same turn of the event loop share one
   * transaction, so one fsync acknowledges them all. Under load, the webhooks that arrived
   * while the last commit waited for the disk are the next batch; alone, a delivery waits
   * only for `setImmediate`.
   */
  recordDelivery(delivery: Input<"recordDelivery">) {
    return new Promise<"new" | "duplicate">((resolve, reject) => {
      this.#incoming.push({
        delivery,
        settle: (error, result) => (error ? reject(error) : resolve(result!)),
      });
      if (this.#incoming.length === 1) setImmediate(() => this.#commitIncoming());
    });
  }

  #commitIncoming(): void {
    const batch = this.#incoming;
    this.#incoming = [];
    let results: Array<"new" | "duplicate">;
    try {
      results = this.#sql.write(() => batch.map(({ delivery }) => this.#insertDelivery(delivery)));
    } catch (error) {
      for (const { settle } of batch) settle(error);
      return;
    }
    for (const [i, { settle }] of batch.entries()) settle(null, results[i]);
  }

  #insertDelivery(delivery: Input<"recordDelivery">): "new" | "duplicate" {
    const receivedAt = toIso(delivery.receivedAt);
    const at = Date.parse(receivedAt);
    const payload = delivery.rawPayload ?? JSON.stringify(delivery.payload);
    const params = [delivery.id, delivery.event, payload, receivedAt, at, at];
    return this.#sql.run(q.INSERT_DELIVERY, params).changes === 1 ? "new" : "duplicate";
  }

  async knownDeliveryIds(ids: readonly string[]) {
    const known = new Set<string>();
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      for (const row of this.#sql.all<{ id: string }>(q.knownDeliveryIds(chunk.length), chunk)) {
        known.add(row.id);
      }
    }
    return known;
  }

  async claimDeliveries({ now, leaseMs, limit }: Input<"claimDeliveries">) {
    type Row = { id: string; event: string; payload: string | null; received_at: string };
    type Counts = { attempts: number; retry_from: number };
    return this.#sql.write(() => {
      const claimed: ClaimedDelivery[] = [];
      for (const row of this.#sql.all<Row & Counts>(q.DUE_DELIVERIES, [now, limit])) {
        if (this.#sql.run(q.CLAIM_DELIVERY, [now + leaseMs, row.id, now]).changes !== 1) continue;
        claimed.push({
          id: row.id,
          event: row.event,
          payload: row.payload === null ? null : JSON.parse(row.payload),
          receivedAt: row.received_at,
          attempts: row.attempts + 1,
          retryFrom: row.retry_from,
        });
      }
      return claimed;
    });
  }

  async delayDelivery(claim: Input<"delayDelivery">, input: { nextAt: number; error: string }) {
    this.#sql.run(q.DELAY_DELIVERY, [input.nextAt, input.error, claim.id, claim.attempts]);
  }

  async failDelivery(claim: Input<"failDelivery">, error: string) {
    this.#sql.run(q.FAIL_DELIVERY, [error, claim.id, claim.attempts]);
  }

  async commitPlan(deliveryId: string, submissions: readonly PlanSubmission[], now: number) {
    return this.#sql.write(() => commitPlanIn(this.#sql, deliveryId, submissions, now));
  }

  async claimJobs({ now, leaseMs, limit, perConnection, running }: Input<"claimJobs">) {
    const full = [...running].filter(([, count]) => count >= perConnection).map(([name]) => name);
    return this.#sql.write(() => {
      const taken = new Map(running);
      const claimed: StoredJob[] = [];
      // More candidates than slots: some belong to connections that fill up within this batch.
      const params = [now, now, ...full, now, limit * 4];
      for (const row of this.#sql.all<JobRow>(q.dueJobs(full.length), params)) {
        if (claimed.length >= limit) break;
        const busy = taken.get(row.connection) ?? 0;
        if (busy >= perConnection) continue;
        const leaseUntil = now + leaseMs;
        const claim = [leaseUntil, now, row.id, row.state, row.attempts];
        if (this.#sql.run(q.CLAIM_JOB, claim).changes !== 1) continue;
        taken.set(row.connection, busy + 1);
        const attempts = row.attempts + 1;
        claimed.push(rowToJob({ ...row, state: "running", attempts, lease_until: leaseUntil }));
      }
      return claimed;
    });
  }

  async lastAppliedAt(ref: Input<"lastAppliedAt">) {
    const params = [ref.repo, ref.prNumber, ref.connection, ref.key];
    return this.#sql.get<{ event_at: string }>(q.LAST_APPLIED, params)?.event_at ?? null;
  }

  async openPrsReferencing(ref: Input<"openPrsReferencing">) {
    const params = [ref.connection, ref.key, ref.repo, ref.prNumber];
    const rows = this.#sql.all<{ repo: string; pr_number: number }>(q.OTHER_OPEN_PRS, params);
    return rows.map((row) => ({ repo: row.repo, prNumber: row.pr_number }));
  }

  async openPrsOfIssue(connection: string, key: string) {
    const rows = this.#sql.all<{ repo: string; pr_number: number }>(q.OPEN_PRS_OF_ISSUE, [
      connection,
      key,
    ]);
    return rows.map((row) => ({ repo: row.repo, prNumber: row.pr_number }));
  }

  async issuesOfPr(repo: string, prNumber: number) {
    type Row = { connection: string; issue_key: string };
    const rows = this.#sql.all<Row>(q.ISSUES_OF_PR, [repo, prNumber]);
    return rows.map((row) => ({ connection: row.connection, key: row.issue_key }));
  }

  async openIssueKeys(connection: string) {
    const rows = this.#sql.all<{ issue_key: string }>(q.OPEN_ISSUE_KEYS, [connection]);
    return rows.map((row) => row.issue_key);
  }

  async lastAppMoveTarget(connection: string, key: string, since: number) {
    const row = this.#sql.get<{ action: string }>(q.LAST_APP_MOVE, [connection, key, since]);
    return row ? (JSON.parse(row.action) as { target: string }).target : null;
  }

  async finishJob(
    claim: Input<"finishJob">,
    outcome: Parameters<Store["finishJob"]>[1],
    now: number,
  ) {
    const result = outcome.result ? JSON.stringify(outcome.result) : null;
    const params = [outcome.state, outcome.summary, outcome.lastError ?? null, result, now];
    return this.#sql.write(() => {
      if (this.#sql.run(q.FINISH_JOB, [...params, claim.id, claim.attempts]).changes !== 1)
        return false;
      const job =
        outcome.state === "done" ? this.#sql.get<JobRow>(q.JOB_BY_ID, [claim.id]) : undefined;
      // Only a move applied to a PR's issue sets the bar later events of that PR are held to.
      if (job?.kind === "move" && job.pr_number !== null) {
        const applied = [job.repo, job.pr_number, job.connection, job.issue_key, job.event_at];
        this.#sql.run(q.UPSERT_APPLIED, applied);
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
    return this.#sql.run(q.RESCHEDULE_JOB, params).changes === 1;
  }

  async releaseJobs(claims: Input<"releaseJobs">, now: number) {
    this.#sql.write(() => {
      for (const claim of claims)
        this.#sql.run(q.RELEASE_JOB, [now, now, claim.id, claim.attempts]);
    });
  }

  async renewLeases({ jobs, deliveries, reports, until }: Input<"renewLeases">) {
    this.#sql.write(() => {
      if (jobs.length) this.#sql.run(q.renewJobLeases(jobs.length), [until, ...jobs]);
      if (deliveries.length)
        this.#sql.run(q.renewDeliveryLeases(deliveries.length), [until, ...deliveries]);
      if (reports.length) this.#sql.run(q.renewReportLeases(reports.length), [until, ...reports]);
    });
  }

  async claimReports({ now, leaseMs, limit }: Input<"claimReports">) {
    type Row = { id: number; version: number; attempts: number; submission: string };
    return this.#sql.write(() => {
      const claimed: ClaimedReport[] = [];
      for (const row of this.#sql.all<Row>(q.DUE_REPORTS, [now, limit])) {
        const claim = [now + leaseMs, row.id, row.version, now];
        if (this.#sql.run(q.CLAIM_REPORT, claim).changes !== 1) continue;
        claimed.push({
          id: row.id,
          version: row.version,
          attempts: row.attempts + 1,
          submission: JSON.parse(row.submission) as PlanSubmission,
          jobs: this.#sql.all<JobRow>(q.JOBS_OF_REPORT, [row.id]).map(rowToJob),
        });
      }
      return claimed;
    });
  }

  async markReported(claim: Input<"markReported">, error?: string) {
    this.#sql.run(q.MARK_REPORTED, [error ?? null, claim.id, claim.version]);
  }

  async delayReport(claim: Input<"delayReport">, input: { nextAt: number; error: string }) {
    this.#sql.run(q.DELAY_REPORT, [input.nextAt, input.error, claim.id, claim.version]);
  }

  async nextDueAt(now: number) {
    return this.#sql.get<{ due: number | null }>(q.NEXT_DUE, [now, now, now, now])?.due ?? null;
  }

  async countOutstanding() {
    return this.#sql.get<{ n: number }>(q.COUNT_OUTSTANDING, [])?.n ?? 0;
  }

  async listDeliveries(input: Input<"listDeliveries">) {
    return operator.listDeliveries(this.#sql, input);
  }

  async listJobs(input: Input<"listJobs">) {
    return operator.listJobs(this.#sql, input);
  }

  async reportsForCommit(repo: string, headSha: string) {
    return operator.reportsForCommit(this.#sql, repo, headSha);
  }

  async getReport(id: number) {
    return operator.getReport(this.#sql, id);
  }

  async getJob(id: number) {
    return operator.getJob(this.#sql, id);
  }

  async retryJob(id: number, now: number) {
    return operator.retryJob(this.#sql, id, now);
  }

  async retryDeadJobs(now: number) {
    return operator.retryDeadJobs(this.#sql, now);
  }

  async retryDelivery(id: string, now: number) {
    return operator.retryDelivery(this.#sql, id, now);
  }

  async prune(input: Input<"prune">) {
    return operator.prune(this.#sql, input);
  }

  async close() {
    if (this.#sql.db.open) this.#sql.db.close();
  }
}
