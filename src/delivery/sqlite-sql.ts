/** A thin wrapper over a better-sqlite3 connection: cached statements and write transactions. */
import type Database from "better-sqlite3";
import type { Querier } from "./postgres-sql.js";

export class Sql {
  readonly db: Database.Database;
  readonly #statements = new Map<string, Database.Statement>();

  constructor(db: Database.Database) {
    this.db = db;
  }

  run(sql: string, params: readonly unknown[]): Database.RunResult {
    return this.#statement(sql).run(...params);
  }

  get<T>(sql: string, params: readonly unknown[]): T | undefined {
    return this.#statement(sql).get(...params) as T | undefined;
  }

  all<T>(sql: string, params: readonly unknown[]): T[] {
    return this.#statement(sql).all(...params) as T[];
  }

  /** The same connection behind the async `Querier` that shared query code is written for. */
  async(): Querier {
    return {
      rows: async (sql, params) => this.all(sql, params),
      row: async (sql, params) => this.get(sql, params),
      run: async (sql, params) => this.run(sql, params).changes,
    };
  }

  /**
   * Runs `work` in a transaction that takes the write lock at BEGIN (IMMEDIATE), so a second
   * process (the CLI, another server on the same file) waits instead of failing half-way.
   */
  write<T>(work: () => T): T {
    return this.db.transaction(work).immediate();
  }

  /** Prepared once per distinct SQL text: the ingest path runs the same insert thousands of times. */
  #statement(sql: string): Database.Statement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }
}
