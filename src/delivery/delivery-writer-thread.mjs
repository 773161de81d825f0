// The delivery writer's thread (started by delivery-writer.ts): one SQLite connection that only
// inserts webhook deliveries. Whatever arrived while the last commit waited for the disk is
// the next batch: one transaction, one fsync. Plain JavaScript: it needs nothing but
// better-sqlite3, and a TypeScript loader would cost the thread start-up time and memory.
import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";

const { path, pragmas, insert } = workerData;
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
    statements.begin.run();
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
