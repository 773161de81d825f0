/**
 * The embedded store: one SQLite file in WAL mode, so the CLI can read and retry while the
 * server writes. better-sqlite3 is synchronous; each method wraps its work in a promise to
 * meet the async `Store` interface that a PostgreSQL backend shares.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { CREATE_MIGRATIONS_TABLE, pendingMigrations, SQLITE } from "./migrations.js";
import * as q from "./queries.js";
import { commitPlanIn } from "./sqlite-commit-plan.js";
import { type JobRow, rowToJob, toIso } from "./sqlite-rows.js";
import type { ClaimedDelivery, ClaimedReport, DeliverySummary, Store, StoredJob } from "./store.js";
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
  if (options.path !== ":memory:")
    mkdirSync(path.dirname(path.resolve(options.path)), { recursive: true });
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
  return new SqliteStore(db);
}

/** Applies the migrations not yet recorded; safe to run at every start and from two processes. */
export function migrate(db: Database.Database): number {
  db.exec(CREATE_MIGRATIONS_TABLE);
  const run = db.transaction(() => {
    const rows = db.prepare("SELECT version FROM schema_migrations").all() as Array<{
      version: number;
    }>;
    const todo = pendingMigrations(new Set(rows.map((row) => row.version)));
    for (const migration of todo) {
      for (const statement of migration.statements(SQLITE)) db.exec(statement);
      db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)").run(
        migration.version,
        migration.name,
        new Date().toISOString(),
      );
    }
    return todo.length;
  });
  return run.immediate();
}

class SqliteStore implements Store {
  readonly #db: Database.Database;
  readonly #statements = new Map<string, Database.Statement>();

  constructor(db: Database.Database) {
    this.#db = db;
  }

  async recordDelivery(delivery: Parameters<Store["recordDelivery"]>[0]) {
    const receivedAt = toIso(delivery.receivedAt);
    const at = Date.parse(receivedAt);
    const { changes } = this.#run(q.INSERT_DELIVERY, [
      delivery.id,
      delivery.event,
      JSON.stringify(delivery.payload),
      receivedAt,
      at,
      at,
    ]);
    return changes === 1 ? ("new" as const) : ("duplicate" as const);
  }

  async knownDeliveryIds(ids: readonly string[]) {
    const known = new Set<string>();
    for (const chunk of chunks(ids, 500)) {
      for (const row of this.#all<{ id: string }>(q.knownDeliveryIds(chunk.length), chunk))
        known.add(row.id);
    }
    return known;
  }

  async claimDeliveries({ now, leaseMs, limit }: { now: number; leaseMs: number; limit: number }) {
    type Row = {
      id: string;
      event: string;
      payload: string | null;
      received_at: string;
      attempts: number;
      retry_from: number;
    };
    const claim = this.#db.transaction(() => {
      const claimed: ClaimedDelivery[] = [];
      for (const row of this.#all<Row>(q.DUE_DELIVERIES, [now, limit])) {
        if (this.#run(q.CLAIM_DELIVERY, [now + leaseMs, row.id, now]).changes !== 1) continue;
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
    return claim.immediate();
  }

  async delayDelivery(
    claim: { id: string; attempts: number },
    input: { nextAt: number; error: string },
  ) {
    this.#run(q.DELAY_DELIVERY, [input.nextAt, input.error, claim.id, claim.attempts]);
  }

  async failDelivery(claim: { id: string; attempts: number }, error: string) {
    this.#run(q.FAIL_DELIVERY, [error, claim.id, claim.attempts]);
  }

  async commitPlan(deliveryId: string, submissions: readonly PlanSubmission[], now: number) {
    const commit = this.#db.transaction(() => commitPlanIn(this.#db, deliveryId, submissions, now));
    return commit.immediate();
  }

  async claimJobs(input: Parameters<Store["claimJobs"]>[0]) {
    const { now, leaseMs, limit, perConnection, running } = input;
    const full = [...running].filter(([, count]) => count >= perConnection).map(([name]) => name);
    const claim = this.#db.transaction(() => {
      const taken = new Map(running);
      const claimed: StoredJob[] = [];
      const rows = this.#all<JobRow>(q.dueJobs(full.length), [now, now, ...full, now, limit * 4]);
      for (const row of rows) {
        if (claimed.length >= limit) break;
        const busy = taken.get(row.connection) ?? 0;
        if (busy >= perConnection) continue;
        const ok = this.#run(q.CLAIM_JOB, [now + leaseMs, now, row.id, row.state, row.attempts]);
        if (ok.changes !== 1) continue;
        taken.set(row.connection, busy + 1);
        claimed.push(
          rowToJob({
            ...row,
            state: "running",
            attempts: row.attempts + 1,
            lease_until: now + leaseMs,
          }),
        );
      }
      return claimed;
    });
    return claim.immediate();
  }

  async lastAppliedAt(ref: Parameters<Store["lastAppliedAt"]>[0]) {
    const row = this.#get<{ event_at: string }>(q.LAST_APPLIED, [
      ref.repo,
      ref.prNumber,
      ref.connection,
      ref.key,
    ]);
    return row?.event_at ?? null;
  }

  async openPrsReferencing(ref: Parameters<Store["openPrsReferencing"]>[0]) {
    const rows = this.#all<{ repo: string; pr_number: number }>(q.OTHER_OPEN_PRS, [
      ref.connection,
      ref.key,
      ref.repo,
      ref.prNumber,
    ]);
    return rows.map((row) => ({ repo: row.repo, prNumber: row.pr_number }));
  }

  async finishJob(
    claim: Parameters<Store["finishJob"]>[0],
    outcome: Parameters<Store["finishJob"]>[1],
    now: number,
  ) {
    const finish = this.#db.transaction(() => {
      const { changes } = this.#run(q.FINISH_JOB, [
        outcome.state,
        outcome.summary,
        outcome.lastError ?? null,
        outcome.result ? JSON.stringify(outcome.result) : null,
        now,
        claim.id,
        claim.attempts,
      ]);
      if (changes !== 1) return false;
      if (outcome.state === "done") {
        const job = this.#get<JobRow>(q.JOB_BY_ID, [claim.id]);
        if (job && job.kind === "move" && job.pr_number !== null) {
          this.#run(q.UPSERT_APPLIED, [
            job.repo,
            job.pr_number,
            job.connection,
            job.issue_key,
            job.event_at,
          ]);
        }
      }
      return true;
    });
    return finish.immediate();
  }

  async rescheduleJob(
    claim: Parameters<Store["rescheduleJob"]>[0],
    input: { nextAt: number; lastError: string },
    now: number,
  ) {
    return (
      this.#run(q.RESCHEDULE_JOB, [input.nextAt, input.lastError, now, claim.id, claim.attempts])
        .changes === 1
    );
  }

  async releaseJobs(claims: Parameters<Store["releaseJobs"]>[0], now: number) {
    const release = this.#db.transaction(() => {
      for (const claim of claims) this.#run(q.RELEASE_JOB, [now, now, claim.id, claim.attempts]);
    });
    release.immediate();
  }

  async renewLeases(input: Parameters<Store["renewLeases"]>[0]) {
    const renew = this.#db.transaction(() => {
      if (input.jobs.length)
        this.#run(q.renewJobLeases(input.jobs.length), [input.until, ...input.jobs]);
      if (input.deliveries.length)
        this.#run(q.renewDeliveryLeases(input.deliveries.length), [
          input.until,
          ...input.deliveries,
        ]);
      if (input.reports.length)
        this.#run(q.renewReportLeases(input.reports.length), [input.until, ...input.reports]);
    });
    renew.immediate();
  }

  async claimReports({ now, leaseMs, limit }: { now: number; leaseMs: number; limit: number }) {
    type Row = { id: number; version: number; attempts: number; submission: string };
    const claim = this.#db.transaction(() => {
      const claimed: ClaimedReport[] = [];
      for (const row of this.#all<Row>(q.DUE_REPORTS, [now, limit])) {
        if (this.#run(q.CLAIM_REPORT, [now + leaseMs, row.id, row.version, now]).changes !== 1)
          continue;
        claimed.push({
          id: row.id,
          version: row.version,
          attempts: row.attempts + 1,
          submission: JSON.parse(row.submission) as PlanSubmission,
          jobs: this.#all<JobRow>(q.JOBS_OF_REPORT, [row.id]).map(rowToJob),
        });
      }
      return claimed;
    });
    return claim.immediate();
  }

  async markReported(claim: { id: number; version: number }, error?: string) {
    this.#run(q.MARK_REPORTED, [error ?? null, claim.id, claim.version]);
  }

  async delayReport(
    claim: { id: number; version: number },
    input: { nextAt: number; error: string },
  ) {
    this.#run(q.DELAY_REPORT, [input.nextAt, input.error, claim.id, claim.version]);
  }

  async nextDueAt(now: number) {
    return this.#get<{ due: number | null }>(q.NEXT_DUE, [now, now, now, now])?.due ?? null;
  }

  async countOutstanding() {
    return this.#get<{ n: number }>(q.COUNT_OUTSTANDING, [])?.n ?? 0;
  }

  async listDeliveries({ limit, state }: { limit: number; state?: DeliverySummary["state"] }) {
    type Row = {
      id: string;
      event: string;
      received_at: string;
      state: DeliverySummary["state"];
      attempts: number;
      error: string | null;
    };
    const rows = state
      ? this.#all<Row>(q.RECENT_DELIVERIES_IN_STATE, [state, limit])
      : this.#all<Row>(q.RECENT_DELIVERIES, [limit]);
    const summaries = new Map<string, DeliverySummary>(
      rows.map((row) => [
        row.id,
        {
          id: row.id,
          event: row.event,
          receivedAt: row.received_at,
          state: row.state,
          attempts: row.attempts,
          error: row.error,
          jobs: {},
        },
      ]),
    );
    if (rows.length) {
      type Count = { delivery_id: string; state: StoredJob["state"]; n: number };
      for (const count of this.#all<Count>(
        q.jobCountsOf(rows.length),
        rows.map((row) => row.id),
      )) {
        const summary = summaries.get(count.delivery_id);
        if (summary) summary.jobs[count.state] = count.n;
      }
    }
    return [...summaries.values()];
  }

  async listJobs({ states, limit }: { states: readonly StoredJob["state"][]; limit: number }) {
    if (!states.length) return [];
    return this.#all<JobRow>(q.jobsInStates(states.length), [...states, limit]).map(rowToJob);
  }

  async getJob(id: number) {
    const row = this.#get<JobRow>(q.JOB_BY_ID, [id]);
    return row ? rowToJob(row) : null;
  }

  async retryJob(id: number, now: number) {
    const retry = this.#db.transaction(() => {
      this.#run(q.REOPEN_REPORT_OF_JOB, [now, id]);
      return this.#run(q.RETRY_JOB, [now, now, now, id]).changes === 1;
    });
    return retry.immediate();
  }

  async retryDeadJobs(now: number) {
    const retry = this.#db.transaction(() => {
      this.#run(q.REOPEN_REPORTS_OF_DEAD, [now]);
      return this.#run(q.RETRY_DEAD_JOBS, [now, now, now]).changes;
    });
    return retry.immediate();
  }

  async retryDelivery(id: string, now: number) {
    return this.#run(q.RETRY_DELIVERY, [now, now, id]).changes === 1;
  }

  async prune({ olderThanDays, now }: { olderThanDays: number; now: number }) {
    const cutoff = new Date(now - olderThanDays * 24 * 60 * 60_000).toISOString();
    return { payloadsCleared: this.#run(q.PRUNE_PAYLOADS, [cutoff]).changes };
  }

  async close() {
    if (this.#db.open) this.#db.close();
  }

  #run(sql: string, params: unknown[]) {
    return this.#statement(sql).run(...params);
  }

  #get<T>(sql: string, params: unknown[]): T | undefined {
    return this.#statement(sql).get(...params) as T | undefined;
  }

  #all<T>(sql: string, params: unknown[]): T[] {
    return this.#statement(sql).all(...params) as T[];
  }

  /** Prepared once per distinct SQL text: the ingest path runs the same insert thousands of times. */
  #statement(sql: string): Database.Statement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }
}

function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
