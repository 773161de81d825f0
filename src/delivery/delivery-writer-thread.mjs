// The delivery writer's thread (started by delivery-writer.ts): one SQLite connection that only
// inserts webhook deliveries. Whatever arrived while the last commit waited for the disk is
// the next batch: one transaction, one fsync. Plain JavaScript: it needs nothing but
// better-sqlite3, and a TypeScript loader would cost the thread start-up time and memory.
import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";

const { path, pragmas, insert, busyTimeoutMs } = workerData;
/** A short blocking pause: this thread has nothing else to do while another holds the lock. */
const pause = new Int32Array(new SharedArrayBuffer(4));
const { db, statements } = open();

function open() {
  try {
    const db = new Database(path);
    for (const pragma of pragmas) db.pragma(pragma);
    const statements = {
      insert: db.prepare(insert),
      begin: db.prepare("BEGIN IMMEDIATE"),
      commit: db.prepare("COMMIT"),
      rollback: db.prepare("ROLLBACK"),
    };
    return { db, statements };
  } catch (error) {
    // better-sqlite3's errors lose their message on the way to the main thread: a plain one keeps it.
    throw new Error(error instanceof Error ? error.message : String(error));
  }
}

/** @type {Array<{ seq: number, params: unknown[] }>} */
let queue = [];

parentPort.on("message", (batch) => {
  if (batch === null) {
    db.close();
    parentPort.close();
    return;
  }
  if (queue.length === 0) setImmediate(commitQueued);
  queue.push(...batch);
});

function commitQueued() {
  const items = queue;
  queue = [];
  try {
    begin();
    const outcomes = items.map(({ seq, params }) => [
      seq,
      statements.insert.run(...params).changes === 1 ? "new" : "duplicate",
    ]);
    statements.commit.run();
    parentPort.postMessage({ outcomes });
  } catch (error) {
    if (db.inTransaction) statements.rollback.run();
    const message = error instanceof Error ? error.message : String(error);
    parentPort.postMessage({ failed: items.map((item) => item.seq), error: message });
  }
}

/**
 * Takes the write lock, trying again every 0.2 ms while another connection holds it (the
 * worker's transactions are short). SQLite's own busy handler sleeps 1, 2, 5, 10 … ms: a
 * commit would wait that long after the lock came free, and every webhook of the batch with it.
 */
function begin() {
  const deadline = performance.now() + busyTimeoutMs;
  for (;;) {
    try {
      statements.begin.run();
      return;
    } catch (error) {
      const code = error && typeof error === "object" ? error.code : undefined;
      const busy = typeof code === "string" && code.startsWith("SQLITE_BUSY");
      if (!busy || performance.now() >= deadline) throw error;
    }
    Atomics.wait(pause, 0, 0, 0.2);
  }
}
