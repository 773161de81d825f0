/**
 * The shared database: PostgreSQL, so that several stateless replicas behind a load balancer
 * keep one delivery log and one outbox (DESIGN.md, "Scale"). A thin layer over a node-postgres
 * pool: the shared `?` placeholders numbered for the server, BIGINT columns read as numbers
 * (epoch milliseconds, ids, counts), transactions on one pooled connection.
 *
 * Several replicas claim from one database, so each claim locks its candidate rows with
 * `FOR UPDATE SKIP LOCKED` (two replicas never take the same row, and never wait for each
 * other) and then re-checks, in a statement of its own, what a row lock cannot protect
 * (`claimHeadJobs` in queries.ts). The re-check for jobs runs under a per-issue advisory lock,
 * so that two replicas cannot each claim a different job of one issue from snapshots that
 * miss the other's claim (the locks: postgres-dialect.ts).
 */
import { randomBytes } from "node:crypto";
import type { Duplex } from "node:stream";
import pg from "pg";
import type { Db, Dialect, Querier, StatementCounts } from "./db.js";
import { postgresDialect } from "./postgres-dialect.js";
import { listenForWork } from "./postgres-listen.js";
import { int8AsNumber } from "./postgres-types.js";
import { numberedParams } from "./queries.js";

export interface PostgresOptions {
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
  /**
   * false: a commit does not wait for the server's disk (`synchronous_commit = off`). For the
   * worker, as SQLite's `synchronous = NORMAL` is: a server crash loses at most its last few
   * steps, which are run again (every action is idempotent), never a corrupt database. The
   * ingest keeps the default: its 202 promises the delivery is stored.
   */
  synchronousCommit?: boolean;
}

/**
 * Rows updated again and again (a job goes pending, running, done) leave dead index entries
 * until vacuum. An index scan marks those it passes and the next skips them; a bitmap scan
 * visits them all, every time: a young store's job claim read 6,000 entries for 2 live jobs
 * (0.9 ms at 150 events/s; 0.2 ms by index scan).
 */
const NO_BITMAP_SCANS = "SET enable_bitmapscan = off";
const SYNC_OFF = "SET synchronous_commit = off";

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export function openPostgresDb(options: PostgresOptions): Db {
  const { schema } = options;
  if (schema !== undefined && !IDENTIFIER.test(schema)) {
    throw new RangeError(
      `PostgreSQL schema must be letters, digits and _ (got ${JSON.stringify(schema)})`,
    );
  }
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.poolSize ?? 10,
    types: int8AsNumber,
    // Statements of a transaction that are sent before the first answer is read share a
    // round trip (see `together` in db.ts); the server still runs them in order.
    pipeline: true,
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  });
  // Without a listener, a connection dropped while idle would crash the process.
  pool.on("error", (error) => options.onConnectionError?.(error));
  // Sent ahead of each connection's first statement (pipelined), so it costs no round trip.
  // Not in the URL's `options`: a connection string's own `options` would replace it.
  const settings = [NO_BITMAP_SCANS, ...(options.synchronousCommit === false ? [SYNC_OFF] : [])];
  pool.on("connect", (client) => {
    client.query(settings.join("; ")).catch((error: Error) => options.onConnectionError?.(error));
  });
  const origin = randomBytes(4).toString("hex");
  return new PostgresDb(pool, postgresDialect(schema, origin), origin);
}

/**
 * Holds what a transaction's connection writes until the current turn's code has run, so
 * that the statements it sends together (pipelined) leave in one socket write: the driver
 * writes each statement on its own, and a write to the server's socket was the worker
 * thread's largest cost (`writev`, a third of its time at 50/s on two replicas).
 */
function sendTogether(stream: Duplex): () => void {
  let held = false;
  return () => {
    if (held) return;
    held = true;
    stream.cork();
    queueMicrotask(() => {
      held = false;
      stream.uncork();
    });
  };
}

/** The code of "cached plan must not change result type". */
const FEATURE_NOT_SUPPORTED = "0A000";

type Queryable = Pick<pg.Pool, "query">;

class PostgresDb implements Db {
  readonly dialect: Dialect;
  readonly #pool: pg.Pool;
  /**
   * Each distinct statement as the server gets it, under a name: a connection parses and plans
   * a named statement once and then only binds and runs it (the server's CPU was the limit of
   * two replicas on one machine).
   */
  readonly #statements = new Map<string, { name: string; text: string }>();
  /** Part of every name: a new one prepares every statement afresh (see `#stale`). */
  #generation = 0;
  readonly #onPool: Querier;
  readonly #counts: StatementCounts = { statements: 0, transactions: 0 };
  #closed = false;

  /** This pool's name in the notifications it sends the other processes only. */
  readonly #origin: string;

  constructor(pool: pg.Pool, dialect: Dialect, origin: string) {
    this.#origin = origin;
    this.#pool = pool;
    this.dialect = dialect;
    this.#onPool = this.#querier(pool);
  }

  /** On a connection of its own, to the pool's server and schema. */
  listen(handlers: Parameters<NonNullable<Db["listen"]>>[0]) {
    const { connectionString, options } = this.#pool.options;
    return listenForWork({
      client: { connectionString, options },
      origin: this.#origin,
      ...handlers,
    });
  }

  rows<T>(sql: string, params: readonly unknown[]): Promise<T[]> {
    return this.#onPool.rows(sql, params);
  }

  row<T>(sql: string, params: readonly unknown[]): Promise<T | undefined> {
    return this.#onPool.row(sql, params);
  }

  run(sql: string, params: readonly unknown[]): Promise<number> {
    return this.#onPool.run(sql, params);
  }

  /**
   * BEGIN is not waited for: it goes out with the transaction's first statement, one round
   * trip for both (a BEGIN that fails means a broken connection, which fails what follows it
   * too). A connection whose ROLLBACK failed is destroyed rather than handed to the next caller.
   */
  async tx<T>(work: (tx: Querier) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    // BEGIN, and COMMIT or ROLLBACK.
    this.#counts.transactions++;
    this.#counts.statements += 2;
    const hold = sendTogether(client.connection.stream);
    hold();
    const begun = client.query("BEGIN");
    begun.catch(() => {});
    try {
      const result = await work(this.#querier(client, hold));
      await begun;
      await client.query("COMMIT");
      client.release();
      return result;
    } catch (error) {
      try {
        await client.query("ROLLBACK");
        client.release();
      } catch (rollbackError) {
        client.release(rollbackError instanceof Error ? rollbackError : true);
      }
      throw error;
    }
  }

  /** Each statement commits on its own; the pool runs concurrent batches side by side. */
  batch<T>(work: (q: Querier) => Promise<T>): Promise<T> {
    return work(this.#onPool);
  }

  counts(): StatementCounts {
    return { ...this.#counts };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool.end();
  }

  /**
   * A prepared `SELECT *` or `RETURNING *` fails once its table gained or lost a column (another
   * replica's migration, in a rolling deploy): the server will not change a prepared statement's
   * result type. Every statement is then prepared again under new names. Outside a transaction
   * the statement is retried at once; a transaction fails, and its caller runs it again.
   */
  #stale(error: unknown): boolean {
    const { code, message } = error as { code?: string; message?: string };
    if (code !== FEATURE_NOT_SUPPORTED || !message?.includes("must not change result type"))
      return false;
    this.#generation++;
    this.#statements.clear();
    return true;
  }

  #querier(on: Queryable, hold?: () => void): Querier {
    const send = <T>(sql: string, params: readonly unknown[]) => {
      let statement = this.#statements.get(sql);
      if (statement === undefined) {
        const name = `trackbridge_${this.#generation}_${this.#statements.size}`;
        statement = { name, text: numberedParams(sql) };
        this.#statements.set(sql, statement);
      }
      hold?.();
      this.#counts.statements++;
      // Without parameters it goes as a simple query, which may hold several statements.
      if (params.length === 0) return on.query<T & pg.QueryResultRow>(statement.text);
      return on.query<T & pg.QueryResultRow>({ ...statement, values: params as unknown[] });
    };
    const query = async <T>(sql: string, params: readonly unknown[]) => {
      try {
        return await send<T>(sql, params);
      } catch (error) {
        if (!this.#stale(error) || hold) throw error;
        return send<T>(sql, params);
      }
    };
    return {
      rows: async <T>(sql: string, params: readonly unknown[]) =>
        (await query<T>(sql, params)).rows,
      row: async <T>(sql: string, params: readonly unknown[]) =>
        (await query<T>(sql, params)).rows[0],
      run: async (sql, params) => (await query(sql, params)).rowCount ?? 0,
    };
  }
}
