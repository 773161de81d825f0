/**
 * The SQLite ingest path's writer: webhook deliveries are committed on a thread of its own
 * (delivery-writer-thread.mjs), so the thread answering webhooks never waits for the disk.
 * better-sqlite3 is synchronous: on the answering thread each commit (a ~23 KB payload per
 * delivery, an fsync per batch) stopped every other webhook, about half its time at the
 * maximum rate. The answer still waits for the commit: a 202 means the delivery is on disk.
 *
 * Deliveries recorded in one turn of the event loop go to the thread as one message; those
 * that reach it while it commits share the next transaction (group commit). A thread that
 * dies fails the deliveries in flight (their webhooks get a 500, which GitHub shows and the
 * redelivery poller asks for again); the next delivery starts a new one.
 *
 * @example
 * const writer = startDeliveryWriter({ path: config.databasePath });
 * createIngestHandler({ store: writer, ... });
 * // on shutdown, after the server stopped accepting: await writer.close();
 */
import { Worker as Thread } from "node:worker_threads";
import * as q from "./queries.js";
import { errorMessage, type Logger } from "./runtime.js";
import { deliveryParams } from "./sql-store.js";
import { DEFAULT_BUSY_TIMEOUT_MS, type SqliteOptions, sqlitePragmas } from "./sqlite-db.js";
import type { Store } from "./store.js";

export interface DeliveryWriter extends Pick<Store, "recordDelivery"> {
  /** Waits for what is in flight, then ends the thread. */
  close(): Promise<void>;
  /** The running thread, for a test that needs to end it the hard way. */
  readonly thread: Thread | undefined;
}

type Outcome = "new" | "duplicate";
type FromThread = { outcomes: Array<[number, Outcome]> } | { failed: number[]; error: string };

export function startDeliveryWriter(
  options: Pick<SqliteOptions, "path" | "busyTimeoutMs"> & { log: Logger },
): DeliveryWriter {
  const { log } = options;
  // The thread waits for the write lock itself, more finely than SQLite's busy handler.
  const workerData = {
    path: options.path,
    pragmas: sqlitePragmas({ synchronous: "full", busyTimeoutMs: 0 }),
    insert: q.INSERT_DELIVERY,
    busyTimeoutMs: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS,
  };
  const pending = new Map<
    number,
    { resolve: (outcome: Outcome) => void; reject: (e: Error) => void }
  >();
  let outgoing: Array<{ seq: number; params: unknown[] }> = [];
  let thread: Thread | undefined;
  let seq = 0;
  let closed = false;

  function spawn(): Thread {
    // No execArgv: the main thread's TypeScript loader or profiler has nothing to do here.
    const current = new Thread(new URL("./delivery-writer-thread.mjs", import.meta.url), {
      workerData,
      execArgv: [],
    });
    current.unref();
    current.on("message", (message: FromThread) => {
      if ("outcomes" in message) {
        for (const [id, outcome] of message.outcomes) settle(id)?.resolve(outcome);
      } else {
        const error = new Error(message.error);
        for (const id of message.failed) settle(id)?.reject(error);
      }
    });
    let failure = "";
    current.on("error", (error) => {
      failure = errorMessage(error);
      log.error({ err: failure }, "the delivery writer thread failed");
    });
    current.on("exit", (code) => {
      if (thread === current) thread = undefined;
      if (pending.size === 0) return;
      const why = failure ? `: ${failure}` : ` (exit code ${code})`;
      const error = new Error(`the delivery writer stopped${why}`);
      for (const waiter of pending.values()) waiter.reject(error);
      pending.clear();
    });
    return current;
  }

  function settle(id: number) {
    const waiter = pending.get(id);
    pending.delete(id);
    return waiter;
  }

  function send(): void {
    const batch = outgoing;
    outgoing = [];
    thread ??= spawn();
    thread.postMessage(batch);
  }

  return {
    get thread() {
      return thread;
    },
    recordDelivery(delivery) {
      if (closed) return Promise.reject(new Error("the delivery writer is closed"));
      const id = seq++;
      return new Promise<Outcome>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        if (outgoing.length === 0) setImmediate(send);
        outgoing.push({ seq: id, params: deliveryParams(delivery) });
      });
    },
    async close() {
      closed = true;
      const settled = [...pending.keys()].map(
        (id) =>
          new Promise<void>((resolve) => {
            const waiter = pending.get(id);
            if (!waiter) return resolve();
            pending.set(id, {
              resolve: (outcome) => {
                waiter.resolve(outcome);
                resolve();
              },
              reject: (error) => {
                waiter.reject(error);
                resolve();
              },
            });
          }),
      );
      await Promise.all(settled);
      const current = thread;
      if (!current) return;
      await new Promise<void>((resolve) => {
        current.once("exit", () => resolve());
        current.postMessage(null);
      });
    },
  };
}
