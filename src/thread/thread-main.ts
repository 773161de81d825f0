/**
 * The processing thread's entry (started by thread-host.ts through thread-main.mjs): composes
 * the worker side over its own store connection and answers the main thread. What it sees
 * that the console and /metrics show (tracker and GitHub requests, connection health, rate
 * limits) and its log lines go to the main thread as messages, posted together at most
 * every 50 ms (batch-messages.ts): the console and /metrics lag that much, no more.
 */

import { Writable } from "node:stream";
import { parentPort, workerData } from "node:worker_threads";
import { errorMessage } from "../delivery/runtime.js";
import { GitHubRateLimits } from "../github/github-rate-limit.js";
import { ConnectionHealth } from "../telemetry/connection-health.js";
import { createLogger } from "../telemetry/logger.js";
import { serverSecrets } from "../telemetry/secrets.js";
import { batchMessages } from "./batch-messages.js";
import { type ComposedThread, composeThread } from "./compose-thread.js";
import type { FromThread, ThreadData, ToThread } from "./thread-messages.js";
import { lowerThreadPriority } from "./thread-priority.js";
import { WebhooksInFlight } from "./webhooks-in-flight.js";

const port = parentPort;
if (!port) throw new Error("thread-main.ts runs only as a processing thread (see thread-host.ts)");
const { config, env, logLevel, tuning, webhooksInFlight } = workerData as ThreadData;
const outbox = batchMessages<FromThread>((batch) => port.postMessage(batch), 50);
const send = outbox.send;
/** What the main thread waits for goes at once, after everything said before it. */
const answer = (message: FromThread) => {
  outbox.send(message);
  outbox.flush();
};
// A thread dying of an uncaught error still emits "exit": its last log lines get out.
process.on("exit", outbox.flush);
lowerThreadPriority();

// Built once for the thread (it reads the App's key file): the logger and composeThread share it.
const secrets = serverSecrets(env, config);
const log = createLogger({
  level: logLevel,
  secrets,
  destination: new Writable({
    write(chunk, _encoding, done) {
      send({ type: "log", line: String(chunk) });
      done();
    },
  }),
});

// A failure to start ends the thread with the error; the main thread reports it.
const side: ComposedThread = await composeThread({
  ...tuning,
  ...(webhooksInFlight ? { yieldTo: new WebhooksInFlight(webhooksInFlight).burst } : {}),
  config,
  env,
  log,
  secrets,
  health: new ConnectionHealth((connection, state) =>
    send({ type: "connection-state", connection, state }),
  ),
  metrics: {
    observeTrackerRequest: (tracker, status, seconds) =>
      send({ type: "tracker-request", tracker, status, seconds }),
    observeGitHubRequest: (status, remaining) =>
      send({ type: "github-request", status, remaining }),
  },
  rateLimits: new GitHubRateLimits(tuning.githubReserve, (installationId, reading) =>
    send({ type: "rate-limit", installationId, reading }),
  ),
});

// The store's statement counts, as deltas, once a second (only when they moved).
let reported = side.statementCounts();
setInterval(() => {
  const now = side.statementCounts();
  const statements = now.statements - reported.statements;
  if (statements === 0) return;
  send({
    type: "store-statements",
    statements,
    transactions: now.transactions - reported.transactions,
  });
  reported = now;
}, 1_000).unref();

port.on("message", (message: ToThread) => {
  switch (message.type) {
    case "wake":
      return side.worker.wake(message.kinds);
    case "drain":
    case "idle":
      return void (message.type === "drain" ? side.worker.drain() : side.worker.idle()).then(
        () => answer({ type: "done", id: message.id }),
        (error: unknown) => answer({ type: "done", id: message.id, error: errorMessage(error) }),
      );
    case "stop":
      return void side.close(message.timeoutMs).then(
        () => {
          answer({ type: "stopped" });
          port.close();
        },
        (error: unknown) => {
          log.error({ err: errorMessage(error) }, "the worker did not stop cleanly");
          answer({ type: "stopped" });
          port.close();
        },
      );
  }
});
answer({ type: "started" });
