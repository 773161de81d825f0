/**
 * The store, once for both databases: the embedded SQLite file and a PostgreSQL server that
 * replicas share. It speaks the shared SQL (queries.ts) through the `Db` seam (db.ts); what
 * the databases do differently (locks, group commit) is behind that seam.
 *
 * @example
 * const store = await openSqlStore(openSqliteDb({ path: "data/trackbridge.db" }));
 */
import { randomUUID } from "node:crypto";
import { createLedger } from "./action-ledger.js";
import * as claims from "./claims.js";
import { commitPlanIn, turnsBefore } from "./commit-plan.js";
import type { Db } from "./db.js";
import { createMemo, type Memo } from "./github-memo.js";
import { createJobSettles } from "./job-settles.js";
import { type LeaseOptions, withLease } from "./leases.js";
import * as messages from "./messages.js";
import { migrate } from "./migrations.js";
import * as operator from "./operator.js";
import { deliveryParams, INSERT_DELIVERY } from "./planning-queue.js";
import * as q from "./queries.js";
import type { Store } from "./store.js";
import type { PlanSubmission } from "./types.js";

/** Migrates the database (closed again when that fails) and returns the store over it. */
export async function openSqlStore(db: Db): Promise<Store> {
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return new SqlStore(db);
}

type Input<M extends Exclude<keyof Store, "memo" | "ledger">> = Parameters<Store[M]>[0];

class SqlStore implements Store {
  readonly #db: Db;
  readonly memo: Memo;
  readonly ledger: Store["ledger"];
  /** Jobs' ends, settled in batches (job-settles.ts). */
  readonly #settle: ReturnType<typeof createJobSettles>;

  constructor(db: Db) {
    this.#db = db;
    this.#settle = createJobSettles(db);
    this.memo = createMemo(db);
    this.ledger = createLedger(db);
  }

  /** The ingest path: on SQLite, a group commit acknowledges every webhook of one turn. */
  async recordDelivery(delivery: Input<"recordDelivery">) {
    const params = deliveryParams(delivery);
    return this.#db.batch(async (b) =>
      (await b.run(INSERT_DELIVERY, params)) === 1 ? ("new" as const) : ("duplicate" as const),
    );
  }

  async knownDeliveryIds(ids: readonly string[]) {
    const known = new Set<string>();
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const rows = await this.#db.rows<{ id: string }>(q.knownDeliveryIds(chunk.length), chunk);
      for (const row of rows) known.add(row.id);
    }
    return known;
  }

  claimDeliveries(input: Input<"claimDeliveries">) {
    return claims.claimDeliveries(this.#db, input);
  }

  async delayDelivery(claim: Input<"delayDelivery">, input: { nextAt: number; error: string }) {
    await this.#db.run(q.DELAY_DELIVERY, [input.nextAt, input.error, claim.id, claim.attempts]);
  }

  async failDelivery(claim: Input<"failDelivery">, error: string) {
    await this.#db.run(q.FAIL_DELIVERY, [error, claim.id, claim.attempts]);
  }

  async commitPlan(
    deliveryId: string,
    submissions: readonly PlanSubmission[],
    now: number,
    wakesItself = false,
  ) {
    const db = this.#db;
    const turns = await turnsBefore(db, submissions, now);
    const plan = { deliveryId, submissions, now, wakesItself };
    return db.tx((tx) => commitPlanIn(tx, db.dialect, plan, turns));
  }

  claimJobs(input: Input<"claimJobs">) {
    return claims.claimJobs(this.#db, input);
  }

  async openPrsReferencing(ref: Input<"openPrsReferencing">) {
    const params = [ref.connection, ref.key, ref.repo, ref.prNumber];
    type Row = { repo: string; pr_number: number };
    const rows = await this.#db.rows<Row>(q.OTHER_OPEN_PRS, params);
    return rows.map((row) => ({ repo: row.repo, prNumber: row.pr_number }));
  }

  async openPrsOfIssue(connection: string, key: string) {
    type Row = { repo: string; pr_number: number };
    const rows = await this.#db.rows<Row>(q.OPEN_PRS_OF_ISSUE, [connection, key]);
    return rows.map((row) => ({ repo: row.repo, prNumber: row.pr_number }));
  }

  async issuesOfPr(repo: string, prNumber: number) {
    type Row = { connection: string; issue_key: string };
    const rows = await this.#db.rows<Row>(q.ISSUES_OF_PR, [repo, prNumber]);
    return rows.map((row) => ({ connection: row.connection, key: row.issue_key }));
  }

  async openIssueKeys(connection: string) {
    const rows = await this.#db.rows<{ issue_key: string }>(q.OPEN_ISSUE_KEYS, [connection]);
    return rows.map((row) => row.issue_key);
  }

  async lastAppMoveTarget(connection: string, key: string, since: number) {
    const row = await this.#db.row<{ action: string }>(q.LAST_APP_MOVE, [connection, key, since]);
    return row ? (JSON.parse(row.action) as { target: string }).target : null;
  }

  finishJob(claim: Input<"finishJob">, outcome: Parameters<Store["finishJob"]>[1], now: number) {
    return this.#settle(claim, outcome, now);
  }

  async rescheduleJob(
    claim: Input<"rescheduleJob">,
    input: { nextAt: number; lastError: string; attempted?: boolean },
    now: number,
  ) {
    const params = [input.nextAt, input.lastError, now, claim.id, claim.attempts];
    const sql = input.attempted === false ? q.HOLD_JOB : q.RESCHEDULE_JOB;
    return (await this.#db.run(sql, params)) === 1;
  }

  async releaseJobs(claims: Input<"releaseJobs">, now: number) {
    if (claims.length === 0) return;
    // By id, so that two transactions touching the same jobs lock them in the same order.
    const sorted = [...claims].sort((a, b) => a.id - b.id);
    await this.#db.tx(async (tx) => {
      for (const claim of sorted) await tx.run(q.RELEASE_JOB, [now, now, claim.id, claim.attempts]);
      // Another replica may take them at once.
      await this.#db.dialect.notifyWork(tx, "jobs");
    });
  }

  /** Each lease stands on its own: no transaction needed, but SQLite commits them together. */
  async renewLeases({ jobs, deliveries, reports, until }: Input<"renewLeases">) {
    const { oneOf, listParams } = this.#db.dialect;
    const renewals = [
      [q.renewJobLeases, jobs],
      [q.renewDeliveryLeases, deliveries],
      [q.renewReportLeases, reports],
    ] as const;
    await this.#db.batch(async (b) => {
      for (const [renew, ids] of renewals)
        if (ids.length) await b.run(renew(oneOf("id", ids.length)), [until, ...listParams(ids)]);
    });
  }

  claimMessages(input: Input<"claimMessages">) {
    return messages.claimMessages(this.#db, { ...input, claimId: () => randomUUID() });
  }

  settleMessages(
    batch: Input<"settleMessages">,
    outcome: Parameters<Store["settleMessages"]>[1],
    now: number,
  ) {
    return messages.settleMessages(this.#db, batch, outcome, now);
  }

  rescheduleMessages(
    batch: Input<"rescheduleMessages">,
    input: Parameters<Store["rescheduleMessages"]>[1],
    now: number,
  ) {
    return messages.rescheduleMessages(this.#db, batch, input, now);
  }

  listMessages(input: Input<"listMessages">) {
    return messages.listMessages(this.#db, input);
  }

  retryDeadMessages(now: number, id?: number) {
    return messages.retryDeadMessages(this.#db, now, id);
  }

  claimReports(input: Input<"claimReports">) {
    return claims.claimReports(this.#db, input);
  }

  async markReported(claim: Input<"markReported">, error?: string) {
    await this.#db.run(q.MARK_REPORTED, [error ?? null, claim.id, claim.version]);
  }

  async delayReport(claim: Input<"delayReport">, input: { nextAt: number; error: string }) {
    await this.#db.run(q.DELAY_REPORT, [input.nextAt, input.error, claim.id, claim.version]);
  }

  async nextDueAt(now: number) {
    type Row = { due: number | null };
    return (await this.#db.row<Row>(q.NEXT_DUE, [now, now, now, now, now]))?.due ?? null;
  }

  async countOutstanding() {
    return q.outstandingTotal(await this.#db.row<q.Outstanding>(q.COUNT_OUTSTANDING, []));
  }

  listDeliveries(input: Input<"listDeliveries">) {
    return operator.listDeliveries(this.#db, input);
  }

  withLease<T>(name: string, work: () => Promise<T>, options?: LeaseOptions) {
    return withLease(this.#db, name, work, options);
  }

  unfinishedDelivery(idPrefix: string) {
    return operator.unfinishedDelivery(this.#db, idPrefix);
  }

  listJobs(input: Input<"listJobs">) {
    return operator.listJobs(this.#db, input);
  }

  reportsForCommit(repo: string, headSha: string) {
    return operator.reportsForCommit(this.#db, repo, headSha);
  }

  getReport(id: number) {
    return operator.getReport(this.#db, id);
  }

  getJob(id: number) {
    return operator.getJob(this.#db, id);
  }

  // An operator's retry (the console, the CLI's own process) wakes the replicas.
  async retryJob(id: number, now: number) {
    return this.#woke("jobs", await operator.retryJob(this.#db, id, now));
  }

  async retryDeadJobs(now: number) {
    return this.#woke("jobs", await operator.retryDeadJobs(this.#db, now));
  }

  async retryDelivery(id: string, now: number) {
    return this.#woke("deliveries", await operator.retryDelivery(this.#db, id, now));
  }

  async #woke<T extends boolean | number>(kind: "deliveries" | "jobs", changed: T): Promise<T> {
    if (changed) await this.#db.dialect.notifyWork(this.#db, kind);
    return changed;
  }

  statementCounts = () => this.#db.counts();

  watch(onWork: Parameters<Store["watch"]>[0], onError: (error: Error) => void) {
    const onNotify = (kind: string | null) =>
      onWork(kind === "jobs" || kind === "deliveries" ? [kind] : null);
    return this.#db.listen?.({ onNotify, onError }) ?? Promise.resolve(null);
  }

  rows<T>(sql: string, params: readonly unknown[]) {
    return this.#db.rows<T>(sql, params);
  }

  run(sql: string, params: readonly unknown[]) {
    return this.#db.run(sql, params);
  }

  prune(input: Input<"prune">) {
    return operator.prune(this.#db, input);
  }

  close() {
    return this.#db.close();
  }
}
