/**
 * The embedded database: one SQLite file in WAL mode, so the CLI can read and retry while the
 * server writes. better-sqlite3 is synchronous, so the async `Db` interface is met by running
 * statements at once, and a transaction (which awaits between its statements) holds the file
 * until it ends: statements from elsewhere in the process queue behind it instead of landing
 * inside it. The turn is per file, not per connection: the server opens two connections (the
 * ingest one fsyncs, the worker's does not), and a second connection's BEGIN, blocking the
 * event loop while the first waits to COMMIT, would never get the lock.
 *
 * Every write transaction takes the database's write lock at BEGIN (IMMEDIATE), so a second
 * process waits instead of failing half-way; with one writer at a time the dialect's locks
 * have nothing left to do.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { Db, Dialect, Querier, StatementCounts } from "./db.js";
import { placeholders } from "./queries.js";

export interface SqliteOptions {
  /** A file path, or ":memory:" for throwaway use. The parent directory is created. */
  path: string;
  /**
   * "full" (default) makes every acknowledged delivery survive a power cut; "normal" only an
   * application crash, for more throughput.
   */
  synchronous?: "full" | "normal";
  /** How long a writer waits for another process's lock (the CLI, a second server). */
  busyTimeoutMs?: number;
  /**
   * WAL pages after which a commit of this connection copies the log into the database file
   * (SQLite's default: 1000). The worker's connection leaves that to the delivery writer,
   * whose commits wait anyway, up to a backstop.
   */
  walAutocheckpointPages?: number;
}

export const SQLITE: Dialect = {
  name: "sqlite",
  autoIdPrimaryKey: "INTEGER PRIMARY KEY AUTOINCREMENT",
  skipLocked: "",
  forUpdate: "",
  probeBeforeClaim: true,
  turnOrderHint: "INDEXED BY jobs_active_turn",
  byNameHint: "+",
  turnsApart: false,
  // Padded to a power of two with the last value again: a handful of statements, each prepared
  // and cached once, serve every length.
  oneOf: (column, count) => `${column} IN (${placeholders(paddedLength(count))})`,
  listParams: (values) => {
    const padding = paddedLength(values.length) - values.length;
    return [...values, ...Array.from({ length: padding }, () => values.at(-1))];
  },
  // One column: `IN`, padded as `oneOf` is; several: an `OR` of tuples, which SQLite looks up
  // one by one in the index that leads with them.
  eachOf: (table, columns, count) => {
    const [only] = columns;
    const where =
      columns.length === 1 && only
        ? SQLITE.oneOf(only.name, count)
        : Array.from(
            { length: paddedLength(count) },
            () => `(${columns.map((column) => `${column.name} = ?`).join(" AND ")})`,
          ).join(" OR ");
    return `(SELECT * FROM ${table} WHERE ${where})`;
  },
  eachParams: (tuples) => SQLITE.listParams(tuples).flat(),
  // One process holds the file: its worker is woken in-process.
  notifyWork: async () => {},
  beforeMigrate: async () => {},
  lockPrs: async () => {},
  lockIssues: async (_tx, candidates) => candidates.map((candidate) => candidate.id),
};

/** 0, 1, 2, 4, 8 …: the length a list of `count` values is sent at. */
export const paddedLength = (count: number) =>
  count <= 1 ? count : 2 ** Math.ceil(Math.log2(count));

export function openSqliteDb(options: SqliteOptions): Db {
  if (options.path !== ":memory:") {
    mkdirSync(path.dirname(path.resolve(options.path)), { recursive: true });
  }
  const db = new Database(options.path);
  try {
    // SQLite's own busy handler would sleep with the thread stopped; SqliteDb waits instead.
    for (const pragma of sqlitePragmas({ ...options, busyTimeoutMs: 0 })) db.pragma(pragma);
  } catch (error) {
    db.close();
    throw error;
  }
  return new SqliteDb(db, turnOf(options.path), options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS);
}

export const DEFAULT_BUSY_TIMEOUT_MS = 5_000;

/** How every connection to the file is set up (the delivery writer's thread too). */
export function sqlitePragmas(options: Omit<SqliteOptions, "path">): string[] {
  return [
    "journal_mode = WAL",
    `synchronous = ${options.synchronous === "normal" ? "NORMAL" : "FULL"}`,
    `busy_timeout = ${options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS}`,
    "foreign_keys = ON",
    `wal_autocheckpoint = ${options.walAutocheckpointPages ?? 1000}`,
  ];
}

/** Whose turn it is on one file, in this process; shared by its connections. */
class Turn {
  busy = false;
  /** Connections open on the file: the last to close forgets the turn. */
  users = 0;
  readonly waiting: Array<() => void> = [];

  /** Runs `work` alone; whoever asks meanwhile waits their turn. */
  async alone<T>(work: () => Promise<T>): Promise<T> {
    if (this.busy) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.busy = true;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.busy = false;
    }
  }
}

const turns = new Map<string, Turn>();

function turnOf(file: string): Turn {
  if (file === ":memory:") return new Turn();
  const key = path.resolve(file);
  const turn = turns.get(key) ?? new Turn();
  turns.set(key, turn);
  turn.users++;
  return turn;
}

function leave(file: string, turn: Turn): void {
  if (file !== ":memory:" && --turn.users === 0) turns.delete(path.resolve(file));
}

interface Batched {
  work: (q: Querier) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

class SqliteDb implements Db {
  readonly dialect = SQLITE;
  readonly #db: Database.Database;
  readonly #statements = new Map<string, Database.Statement>();
  readonly #counts: StatementCounts = { statements: 0, transactions: 0 };
  /** Runs at once: inside a transaction, or when none is open. */
  readonly #now: Querier = {
    rows: async <T>(sql: string, params: readonly unknown[]) =>
      this.#statement(sql).all(...params) as T[],
    row: async <T>(sql: string, params: readonly unknown[]) =>
      this.#statement(sql).get(...params) as T | undefined,
    run: async (sql, params) => this.#statement(sql).run(...params).changes,
  };
  readonly #turn: Turn;
  readonly #busyTimeoutMs: number;
  #batch: Batched[] = [];

  constructor(db: Database.Database, turn: Turn, busyTimeoutMs: number) {
    this.#db = db;
    this.#turn = turn;
    this.#busyTimeoutMs = busyTimeoutMs;
  }

  rows<T>(sql: string, params: readonly unknown[]): Promise<T[]> {
    return this.#outside(() => this.#statement(sql).all(...params) as T[]);
  }

  row<T>(sql: string, params: readonly unknown[]): Promise<T | undefined> {
    return this.#outside(() => this.#statement(sql).get(...params) as T | undefined);
  }

  run(sql: string, params: readonly unknown[]): Promise<number> {
    return this.#outside(() => this.#statement(sql).run(...params).changes);
  }

  /** A statement outside any transaction: after this file's open one, if any. */
  #outside<T>(statement: () => T): Promise<T> {
    const attempt = () => this.#whenFree(statement);
    return this.#turn.busy ? this.#turn.alone(attempt) : attempt();
  }

  /**
   * Runs a statement that may need the write lock another thread or process holds (the
   * delivery writer commits with an fsync): on SQLITE_BUSY it waits a millisecond or a few
   * and tries again, up to the busy timeout. The thread goes on meanwhile, where SQLite's
   * busy handler would have slept with it stopped. A statement that got SQLITE_BUSY did nothing.
   */
  async #whenFree<T>(statement: () => T): Promise<T> {
    const deadline = performance.now() + this.#busyTimeoutMs;
    for (let tries = 1; ; tries++) {
      try {
        return statement();
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        const busy = typeof code === "string" && code.startsWith("SQLITE_BUSY");
        if (!busy || performance.now() >= deadline) throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(tries, 10)));
    }
  }

  tx<T>(work: (tx: Querier) => Promise<T>): Promise<T> {
    return this.#turn.alone(async () => {
      this.#counts.transactions++;
      await this.#whenFree(() => this.#statement("BEGIN IMMEDIATE").run());
      try {
        const result = await work(this.#now);
        this.#statement("COMMIT").run();
        return result;
      } catch (error) {
        if (this.#db.inTransaction) this.#statement("ROLLBACK").run();
        throw error;
      }
    });
  }

  /**
   * Group commit: batches queued in the same turn of the event loop share one transaction.
   * Under load, the webhooks that arrived while the last commit waited for the disk are the
   * next batch; alone, a batch waits only for `setImmediate`. One failing fails them all.
   */
  batch<T>(work: (q: Querier) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#batch.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (this.#batch.length === 1) setImmediate(() => this.#commitBatch());
    });
  }

  counts(): StatementCounts {
    return { ...this.#counts };
  }

  async close(): Promise<void> {
    if (!this.#db.open) return;
    this.#db.close();
    leave(this.#db.name, this.#turn);
  }

  async #commitBatch(): Promise<void> {
    const batch = this.#batch;
    this.#batch = [];
    let results: unknown[];
    try {
      results = await this.tx(async (tx) => {
        const done: unknown[] = [];
        for (const { work } of batch) done.push(await work(tx));
        return done;
      });
    } catch (error) {
      for (const { reject } of batch) reject(error);
      return;
    }
    for (const [i, { resolve }] of batch.entries()) resolve(results[i]);
  }

  /** Prepared once per distinct SQL text: the ingest path runs the same insert thousands of times. */
  #statement(sql: string): Database.Statement {
    // Each call runs the statement once (a retry after SQLITE_BUSY counts again).
    this.#counts.statements++;
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }
}
