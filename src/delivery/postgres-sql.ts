/**
 * A thin layer over a node-postgres pool for the PostgreSQL store: the shared `?` placeholders
 * numbered for the server, BIGINT columns read as numbers (epoch milliseconds, ids, counts),
 * and transactions on one pooled connection.
 */
import pg from "pg";
import { numberedParams } from "./queries.js";

/** What the store's statements run on: the pool, or one connection inside a transaction. */
export interface Querier {
  rows<T>(sql: string, params: readonly unknown[]): Promise<T[]>;
  row<T>(sql: string, params: readonly unknown[]): Promise<T | undefined>;
  /** Runs a statement; returns how many rows it changed. */
  run(sql: string, params: readonly unknown[]): Promise<number>;
}

const INT8_OID = 20;

function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`BIGINT out of range: ${text}`);
  return value;
}

/**
 * Per pool rather than through `pg.types.setTypeParser`, which would change how every other
 * pool in the process reads BIGINT.
 */
const int8AsNumber: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === INT8_OID && format !== "binary"
      ? parseInt8
      : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig["getTypeParser"],
};

export function createPool(config: pg.PoolConfig): pg.Pool {
  return new pg.Pool({ ...config, types: int8AsNumber });
}

type Queryable = Pick<pg.Pool, "query">;

export class PgSql implements Querier {
  readonly pool: pg.Pool;
  readonly #texts = new Map<string, string>();
  #closed = false;

  constructor(pool: pg.Pool) {
    this.pool = pool;
  }

  rows<T>(sql: string, params: readonly unknown[]): Promise<T[]> {
    return this.#query<T>(this.pool, sql, params).then((result) => result.rows);
  }

  row<T>(sql: string, params: readonly unknown[]): Promise<T | undefined> {
    return this.rows<T>(sql, params).then((rows) => rows[0]);
  }

  run(sql: string, params: readonly unknown[]): Promise<number> {
    return this.#query(this.pool, sql, params).then((result) => result.rowCount ?? 0);
  }

  /**
   * Runs `work` in a READ COMMITTED transaction on one connection; rolls back when it throws.
   * A connection whose ROLLBACK failed is destroyed rather than handed to the next caller.
   */
  async tx<T>(work: (tx: Querier) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    const tx: Querier = {
      rows: <T>(sql: string, params: readonly unknown[]) =>
        this.#query<T>(client, sql, params).then((result) => result.rows),
      row: <T>(sql: string, params: readonly unknown[]) =>
        this.#query<T>(client, sql, params).then((result) => result.rows[0]),
      run: (sql, params) => this.#query(client, sql, params).then((result) => result.rowCount ?? 0),
    };
    try {
      await client.query("BEGIN");
      const result = await work(tx);
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

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.pool.end();
  }

  #query<T>(on: Queryable, sql: string, params: readonly unknown[]) {
    let text = this.#texts.get(sql);
    if (text === undefined) {
      text = numberedParams(sql);
      this.#texts.set(sql, text);
    }
    return on.query<T & pg.QueryResultRow>(text, params as unknown[]);
  }
}
