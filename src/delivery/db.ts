/**
 * The seam between the one delivery store (sql-store.ts) and the two databases it runs on: the
 * embedded SQLite file (sqlite-db.ts) and a PostgreSQL server that replicas share
 * (postgres-db.ts). The store's statements are written once (queries.ts) and run through
 * `Querier`; what the databases really do differently is behind `Db` and its `Dialect`:
 * how a transaction takes its locks, group commit, and the row and advisory locks that let
 * PostgreSQL replicas claim from one outbox without taking the same work.
 */

/** What a statement runs on: the database, or one transaction. `?` placeholders. */
export interface Querier {
  rows<T>(sql: string, params: readonly unknown[]): Promise<T[]>;
  row<T>(sql: string, params: readonly unknown[]): Promise<T | undefined>;
  /** Runs a statement; returns how many rows it changed. */
  run(sql: string, params: readonly unknown[]): Promise<number>;
}

export interface Db extends Querier {
  readonly dialect: Dialect;
  /**
   * Runs `work` in one transaction, rolled back when it throws. SQLite takes the write lock
   * at BEGIN, so writers run one at a time; PostgreSQL runs READ COMMITTED on one pooled
   * connection, and the dialect's locks serialize what must not interleave.
   */
  tx<T>(work: (tx: Querier) => Promise<T>): Promise<T>;
  /**
   * Statements that need no transaction of their own but whose commit may be shared. SQLite
   * groups the batches of one turn of the event loop into one transaction, so one fsync
   * acknowledges them all; PostgreSQL runs them at once on the pool.
   */
  batch<T>(work: (q: Querier) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** What this connection (or pool) sent so far: what the store costs the database per event. */
  counts(): StatementCounts;
  /**
   * Other processes' new work, as it commits (PostgreSQL's LISTEN/NOTIFY, postgres-listen.ts):
   * `onNotify` gets the kind of work, or null when notifications may have been missed. Absent
   * on SQLite, where one process holds the store.
   */
  listen?(handlers: {
    onNotify: (kind: string | null) => void;
    onError: (error: Error) => void;
  }): Promise<{ close(): Promise<void> }>;
}

/**
 * Waits for statements that were all started before the first was waited for: on PostgreSQL
 * the connection pipelines them (one round trip for all, run in order), on SQLite they ran as
 * they were called. Every one is waited for, so none fails unobserved; then the first failure
 * is thrown (in a transaction, the statements after a failed one fail too, and it rolls back).
 *
 * @example
 * const [report] = await together([tx.row(INSERT_REPORT, params), tx.run(MARK, [id])]);
 */
export async function together<T extends readonly unknown[]>(
  statements: {
    [K in keyof T]: Promise<T[K]>;
  },
): Promise<T> {
  const settled = await Promise.allSettled(statements);
  for (const outcome of settled) if (outcome.status === "rejected") throw outcome.reason;
  return settled.map(
    (outcome) => (outcome as PromiseFulfilledResult<unknown>).value,
  ) as unknown as T;
}

/** Statements sent (BEGIN, COMMIT and ROLLBACK included) and transactions run. */
export interface StatementCounts {
  statements: number;
  transactions: number;
}

/** A claim's candidate job, as the issue lock needs it. */
export interface IssueCandidate {
  id: number;
  connection: string;
  issue_key: string;
}

/** A column of a lookup, with its SQL type (PostgreSQL casts the list to an array of it). */
export interface Column {
  name: string;
  type: "bigint" | "integer" | "text";
}

export interface Dialect {
  name: "sqlite" | "postgres";
  /** A surrogate key that only grows: ordering ties are broken by it. */
  autoIdPrimaryKey: string;
  /** Ends a claim's select (which ends in `LIMIT ?`): rows another replica is claiming are passed over. */
  skipLocked: string;
  /** Ends a select whose row the transaction changes next: a second writer waits for it. */
  forUpdate: string;
  /**
   * A write transaction takes the whole database (SQLite's write lock, away from the thread
   * acknowledging webhooks): a claim first asks with a plain read whether it would find
   * anything. Where it takes only row locks (PostgreSQL), that read would be one more round
   * trip, and under load the claim's own select would repeat it.
   */
  probeBeforeClaim: boolean;
  /**
   * Follows `FROM jobs j` in the job claim's select: SQLite's `INDEXED BY` the index of active
   * jobs in turn order, which its planner (without statistics) passes over to read every
   * pending and running job and sort them, on every claim; empty where the planner chooses well.
   */
  turnOrderHint: string;
  /**
   * Goes before the due terms of a claim of reports named by id or delivery: SQLite's unary
   * `+`, which keeps its planner from walking every unreported report in `reports_due` (0.7 ms
   * a claim at 150 events/s, its costliest statement after COMMIT) and has it look the names
   * up instead; empty for PostgreSQL, which without statistics would then read every report.
   */
  byNameHint: string;
  /**
   * A plan takes its installation's turns (TAKE_TURNS) in a statement of its own, before its
   * transaction (PostgreSQL): the installation's turn row, locked until the plan committed,
   * made every plan of that installation wait for the one before it, across replicas (29 ms a
   * plan at 100 events/s). A plan that then fails leaves a gap in the turns, which puts
   * nothing out of order. SQLite's plans run one at a time anyway, and a statement outside
   * the transaction would be one more commit.
   */
  turnsApart: boolean;
  /**
   * Tells the other processes, when the transaction commits, that it added work of this kind
   * (PostgreSQL's NOTIFY); nothing on SQLite. Not waited for: it goes with the next statement.
   * `othersOnly`: this process's own worker woke itself for it (a plan's end looks for jobs),
   * and its listener passes it over; woken again, each replica made a second claim round for
   * every plan it committed.
   */
  notifyWork(tx: Querier, kind: "deliveries" | "jobs", othersOnly?: boolean): Promise<unknown>;
  /**
   * `column` is one of `count` values, given as `listParams(values)`: PostgreSQL's `= ANY(?)`,
   * one statement whatever the count, so each connection prepares and plans it once (an `IN`
   * list is a statement per length, each planned afresh for its first five runs on every
   * connection: a millisecond a plan for the job claim); SQLite's `IN (?, …)`, prepared in
   * the process.
   */
  oneOf(column: string, count: number): string;
  listParams(values: readonly unknown[]): unknown[];
  /**
   * The rows of `table` whose `columns` hold one of `count` distinct tuples, given as
   * `eachParams(tuples)`, as a relation to select from. On PostgreSQL each tuple is looked up
   * on its own, by the index that leads with those columns. Planned once per connection,
   * `column = ANY(?)` on a column that is not unique, with bitmap scans off and no
   * statistics, read every job on each report claim (1-2.5 ms at 150 events/s, the costliest
   * statement), however large the table grew; an `OR` of tuples that share a repo walked
   * every applied move of that repo.
   */
  eachOf(table: string, columns: readonly Column[], count: number): string;
  eachParams(tuples: ReadonlyArray<readonly unknown[]>): unknown[];
  /** Run first in the migration's transaction: replicas starting together migrate once. */
  beforeMigrate(tx: Querier): Promise<void>;
  /** Serializes plans of the same PRs, so that superseding older moves sees every one. */
  lockPrs(tx: Querier, prs: ReadonlyArray<{ repo: string; prNumber: number }>): Promise<void>;
  /** The candidates whose issue no other transaction is claiming now (held until commit). */
  lockIssues(tx: Querier, candidates: readonly IssueCandidate[]): Promise<number[]>;
}

/** Rows a multi-row VALUES statement writes at most (PostgreSQL takes 65,535 parameters). */
export const ROWS_PER_STATEMENT = 100;

/**
 * Writes `rows` with multi-row statements (`statement(n)` for n rows, at most
 * ROWS_PER_STATEMENT a statement), their parameters in row order; the statements are
 * started, not waited for.
 *
 * @example
 * writes.push(...writeRows(tx, rows, q.insertJobs));
 */
export function writeRows(
  on: Querier,
  rows: readonly (readonly unknown[])[],
  statement: (count: number) => string,
): Promise<number>[] {
  const size = ROWS_PER_STATEMENT;
  const writes: Promise<number>[] = [];
  for (let i = 0; i < rows.length; i += size) {
    const chunk = rows.slice(i, i + size);
    writes.push(on.run(statement(chunk.length), chunk.flat()));
  }
  return writes;
}
