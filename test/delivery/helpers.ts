/**
 * Shared fixtures for the delivery tests: a database per test on each backend, submissions,
 * small fake hooks. PostgreSQL tests run only when TEST_DATABASE_URL names a server
 * (`TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx vitest run test/delivery`).
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterEach, beforeEach } from "vitest";
import type { ActionResult, PlannedAction, Trigger } from "../../src/core/types.js";
import type { Db, Querier } from "../../src/delivery/db.js";
import { openPostgresStore, openSqliteStore } from "../../src/delivery/open-store.js";
import {
  createWorker,
  type Worker,
  type WorkerOptions,
  type WorkerPolicy,
} from "../../src/delivery/outbox-worker.js";
import type { Logger } from "../../src/delivery/runtime.js";
import type { Store } from "../../src/delivery/store.js";
import type {
  DeliveryHooks,
  IncomingDelivery,
  JobRecord,
  PlanSubmission,
} from "../../src/delivery/types.js";

export const silentLog: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** One test's database; `cleanup` closes every store opened on it and deletes it. */
export interface TestDb {
  /** Opens another store on the same database: a second process, or another replica. */
  open(): Promise<Store>;
  /** A raw query, for what the Store interface does not show. Counts: CAST(COUNT(*) AS INTEGER). */
  rows<T = Record<string, unknown>>(sql: string): Promise<T[]>;
  cleanup(): Promise<void>;
}

export interface Backend {
  name: "sqlite" | "postgres";
  create(): Promise<TestDb>;
}

/** The PostgreSQL server the tests may use; without it only SQLite is tested. */
export const postgresUrl = process.env.TEST_DATABASE_URL || undefined;

/** The backends to run the shared store and worker tests on: `describe.each(backends())`. */
export function backends(): Backend[] {
  const all: Backend[] = [{ name: "sqlite", create: async () => tempDb() }];
  const url = postgresUrl;
  if (url) all.push({ name: "postgres", create: () => postgresDb(url) });
  return all;
}

/** A directory and store path per test; `cleanup` closes every store opened on it. */
export function tempDb() {
  const dir = mkdtempSync(path.join(tmpdir(), "trackbridge-delivery-"));
  const file = path.join(dir, "data", "trackbridge.db");
  const opened: Store[] = [];
  return {
    dir,
    file,
    async open(): Promise<Store> {
      const store = await openSqliteStore({ path: file });
      opened.push(store);
      return store;
    },
    async rows<T = Record<string, unknown>>(sql: string): Promise<T[]> {
      const conn = new Database(file, { readonly: true });
      try {
        return conn.prepare(sql).all() as T[];
      } finally {
        conn.close();
      }
    },
    async cleanup() {
      for (const store of opened) await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A fresh schema per test (dropped by `cleanup`), so tests share one server and never each
 * other's rows. With `create: false` the schema is left for the first store to create.
 */
export async function postgresDb(url: string, options: { create?: boolean } = {}) {
  const schema = `tb_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
  await admin.connect();
  if (options.create !== false) await admin.query(`CREATE SCHEMA ${schema}`);
  const opened: Store[] = [];
  return {
    schema,
    /** A second connection's transaction on the schema: what another replica holds. */
    client: () => new pg.Client({ connectionString: url, options: `-c search_path=${schema}` }),
    async open(options: { poolSize?: number } = {}): Promise<Store> {
      const store = await openPostgresStore({
        connectionString: url,
        schema,
        poolSize: 4,
        ...options,
      });
      opened.push(store);
      return store;
    },
    async rows<T = Record<string, unknown>>(sql: string): Promise<T[]> {
      return (await admin.query(sql)).rows as T[];
    },
    async cleanup() {
      try {
        for (const store of opened) await store.close();
        await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await admin.end();
      }
    },
  };
}

export class FakeClock {
  constructor(public time = Date.parse("2024-05-01T10:00:00.000Z")) {}

  now = () => this.time;
  advance(ms: number) {
    this.time += ms;
  }
}

export function delivery(id: string, receivedAt = new Date().toISOString()): IncomingDelivery {
  return { id, event: "pull_request", payload: { action: "closed", number: 1 }, receivedAt };
}

export function move(key: string, target: string, trigger: Trigger): PlannedAction {
  return { kind: "move", key, target, trigger, protect: [] };
}

export function link(key: string, prNumber = 1): PlannedAction {
  return {
    kind: "link",
    key,
    pr: {
      repo: "acme/web",
      number: prNumber,
      url: `https://github.com/acme/web/pull/${prNumber}`,
      title: "t",
    },
  };
}

export function submission(
  deliveryId: string,
  actions: PlannedAction[],
  overrides: Partial<PlanSubmission> = {},
): PlanSubmission {
  const prNumber = overrides.prNumber === undefined ? 1 : overrides.prNumber;
  const keys = [...new Set(actions.map((action) => action.key))].map((key) => ({
    key,
    role: "moving" as const,
    source: "branch" as const,
  }));
  return {
    deliveryId,
    connection: "yandex",
    repo: "acme/web",
    prNumber,
    prState: "open",
    eventAt: "2024-05-01T10:00:00Z",
    waitForAllPrs: false,
    plan: { keys, actions, skipped: [], notes: [] },
    report: { installationId: 1, repo: "acme/web", headSha: "abc", prNumber, requireKey: false },
    ...overrides,
  };
}

/** Records a delivery and commits its submissions, as the worker would after planning. */
export async function enqueue(
  store: Store,
  id: string,
  submissions: PlanSubmission[],
  now = Date.now(),
) {
  await store.recordDelivery(delivery(id, new Date(now).toISOString()));
  const committed = await store.commitPlan(id, submissions, now);
  if (!committed) throw new Error(`delivery ${id} was not committed`);
}

/**
 * DeliveryHooks that plan from a table (delivery id → submissions) and execute with a
 * per-test function; they record every call, the final status per issue, and the reports.
 */
export function fakeHooks(options: {
  plans?: Record<string, PlanSubmission[]>;
  execute?: (connection: string, action: PlannedAction) => Promise<ActionResult>;
  plan?: (delivery: IncomingDelivery) => Promise<PlanSubmission[]>;
}) {
  const executed: PlannedAction[] = [];
  const status = new Map<string, string>();
  const reports: Array<{ submission: PlanSubmission; jobs: JobRecord[] }> = [];
  const hooks: DeliveryHooks = {
    planDelivery: options.plan ?? (async (d) => options.plans?.[d.id] ?? []),
    async executeAction(connection, action) {
      executed.push(action);
      const result = options.execute
        ? await options.execute(connection, action)
        : { action, ok: true, summary: `${action.kind} ${action.key}` };
      if (result.ok && action.kind === "move") status.set(action.key, action.target);
      return result;
    },
    async report(submission, jobs) {
      reports.push({ submission, jobs });
    },
  };
  return { hooks, executed, status, reports };
}

/** A promise with its resolver outside, to hold an executor until the test lets it go. */
export function gate<T = void>() {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** Waits (without asserting on time) until `check` holds; fails the test after `tries` polls. */
export async function until(check: () => boolean | Promise<boolean>, tries = 500): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error("condition never held");
}

/** Small, fast retry values: no test waits on a real backoff. */
export const FAST_POLICY = { baseMs: 1, capMs: 4, idlePollMs: 20, random: () => 0.5 };

export interface StartOptions
  extends Partial<Pick<WorkerOptions, "clock" | "connectionLimits" | "yieldTo">> {
  /** Another store on the test's database (a reopened one, a second replica). */
  on?: Store;
  policy?: Partial<WorkerPolicy>;
}

/**
 * The worker tests' setup on one backend: before each test a fresh database and a store on it;
 * `start` runs a worker there on FAST_POLICY; after each test the workers stop and the
 * database goes.
 */
export function workerBed(backend: Backend) {
  let workers: Worker[] = [];
  const bed = {
    db: undefined as unknown as TestDb,
    store: undefined as unknown as Store,
    start(hooks: DeliveryHooks, { on, policy, ...options }: StartOptions = {}): Worker {
      const worker = createWorker({
        store: on ?? bed.store,
        hooks,
        log: silentLog,
        policy: { ...FAST_POLICY, ...policy },
        ...options,
      });
      workers.push(worker);
      worker.start();
      return worker;
    },
  };
  beforeEach(async () => {
    bed.db = await backend.create();
    bed.store = await bed.db.open();
    workers = [];
  });
  afterEach(async () => {
    for (const worker of workers) await worker.stop({ timeoutMs: 1_000 });
    await bed.db.cleanup();
  });
  return bed;
}

/** Delivery `d1` moving two issues to review: two jobs on one connection, and where they end. */
export const TWO_MOVES = {
  plans: {
    d1: [
      submission("d1", [move("PROJ-1", "review", "opened"), move("PROJ-2", "review", "opened")]),
    ],
  },
  moved: new Map([
    ["PROJ-1", "review"],
    ["PROJ-2", "review"],
  ]),
};

/**
 * `store` with some of its methods, and of its memo's, replaced; everything else passes
 * through. For tests that hold a store call back or watch what the worker asks.
 */
export function intercept(
  store: Store,
  methods: Partial<Store>,
  memo: Partial<Store["memo"]> = {},
): Store {
  const through = <T extends object>(target: T, over: Partial<T>): T =>
    new Proxy(target, {
      get(real, name) {
        if (name in over) return over[name as keyof T];
        const value = Reflect.get(real, name);
        return typeof value === "function" ? value.bind(real) : value;
      },
    });
  return through(store, { ...methods, memo: through(store.memo, memo) });
}

/** A statement a store sent, with its parameters. */
export interface Sent {
  sql: string;
  params: readonly unknown[];
}

/** `inner`, with every statement it is given kept in `sent`. */
export function watched(inner: Db, sent: Sent[]): Db {
  const querier = (q: Querier): Querier => {
    const note = (sql: string, params: readonly unknown[]) => {
      sent.push({ sql, params });
      return sql;
    };
    return {
      rows: (sql, params) => q.rows(note(sql, params), params),
      row: (sql, params) => q.row(note(sql, params), params),
      run: (sql, params) => q.run(note(sql, params), params),
    };
  };
  return {
    ...querier(inner),
    dialect: inner.dialect,
    tx: (work) => inner.tx((tx) => work(querier(tx))),
    batch: (work) => inner.batch((q) => work(querier(q))),
    close: () => inner.close(),
    counts: () => inner.counts(),
  };
}
