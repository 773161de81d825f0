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
import { deliveryParams, INSERT_DELIVERY } from "./planning-queue.js";
import { errorMessage, type Logger } from "./runtime.js";
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
    // A checkpoint runs inside the commit that crosses the limit, and every webhook of that
    // batch waits for it (4 MB copied and synced: tens of ms). The processing thread's
    // connection checkpoints at 1,000 pages; this one only past 10,000 (40 MB), when the
    // worker has not committed for a long while. Commit latency at 200 webhooks/s, 10 at
    // once, with a worker-like connection writing every 5 ms (three A/B pairs, busy machine):
    // p99 79, 19 and 36 ms when this connection checkpointed; 17, 24 and 20 ms when the other did.
    pragmas: sqlitePragmas({
      synchronous: "full",
      busyTimeoutMs: 0,
      walAutocheckpointPages: 10_000,
    }),
    insert: INSERT_DELIVERY,
    busyTimeoutMs: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS,
  };
  const pending = new Map<
    number,
    { resolve: (outcome: Outcome) => void; reject: (e: Error) => void }
  >();
  /** Every answer not yet given, for `close` to wait on. */
  const inFlight = new Set<Promise<Outcome>>();
  let outgoing: Array<{ seq: number; params: unknown[] }> = [];
  let thread: { thread: Thread; sent: Set<number> } | undefined;
  let seq = 0;
  let closed = false;

  function spawn(): { thread: Thread; sent: Set<number> } {
    // No execArgv: the main thread's TypeScript loader or profiler has nothing to do here.
    const current = new Thread(new URL("./delivery-writer-thread.mjs", import.meta.url), {
      workerData,
      execArgv: [],
    });
    const spawned = { thread: current, sent: new Set<number>() };
    current.unref();
    current.on("message", (message: FromThread) => {
      if ("outcomes" in message) {
        for (const [id, outcome] of message.outcomes) settle(spawned, id)?.resolve(outcome);
      } else {
        const error = new Error(message.error);
        for (const id of message.failed) settle(spawned, id)?.reject(error);
      }
    });
    let failure = "";
    current.on("error", (error) => {
      failure = errorMessage(error);
      log.error({ err: failure }, "the delivery writer thread failed");
    });
    current.on("exit", (code) => {
      if (thread === spawned) thread = undefined;
      // What this thread was given is lost with it; what is still to be sent goes to the next.
      const why = failure ? `: ${failure}` : ` (exit code ${code})`;
      const error = new Error(`the delivery writer stopped${why}`);
      for (const id of spawned.sent) settle(spawned, id)?.reject(error);
    });
    return spawned;
  }

  function settle(from: { sent: Set<number> }, id: number) {
    const waiter = pending.get(id);
    pending.delete(id);
    from.sent.delete(id);
    return waiter;
  }

  function send(): void {
    const batch = outgoing;
    outgoing = [];
    thread ??= spawn();
    for (const item of batch) thread.sent.add(item.seq);
    thread.thread.postMessage(batch);
  }

  return {
    get thread() {
      return thread?.thread;
    },
    recordDelivery(delivery) {
      if (closed) return Promise.reject(new Error("the delivery writer is closed"));
      const id = seq++;
      const answer = new Promise<Outcome>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        if (outgoing.length === 0) setImmediate(send);
        outgoing.push({ seq: id, params: deliveryParams(delivery) });
      });
      inFlight.add(answer);
      const forget = () => inFlight.delete(answer);
      answer.then(forget, forget);
      return answer;
    },
    async close() {
      closed = true;
      await Promise.allSettled([...inFlight]);
      const current = thread?.thread;
      if (!current) return;
      await new Promise<void>((resolve) => {
        current.once("exit", () => resolve());
        current.postMessage(null);
      });
    },
  };
}
