/**
 * The main thread's handle on the processing thread (thread-main.ts): the outbox worker runs
 * there, on its own event loop and store connection, so planning, tracker calls and reports
 * never delay a webhook's answer. The handle is the `Worker` the rest of the server knows:
 * `wake` (coalesced to one message per turn of the event loop), `drain`, `idle`, `stop`,
 * `state` for /readyz. What the thread reports is fed into this thread's metrics, connection
 * health, rate limits and log.
 *
 * A thread that dies (an uncaught error, an exit) is logged, /readyz answers 503 while it is
 * down, and a new one is started after a pause that doubles up to a minute; its leases expire
 * and the new thread takes the work over, as after a crashed process.
 */
import { Worker as Thread } from "node:worker_threads";
import { type Logger, pino } from "pino";
import type { Worker, WorkKind } from "../delivery/outbox-worker.js";
import { errorMessage } from "../delivery/runtime.js";
import type { GitHubRateLimits } from "../github/github-rate-limit.js";
import type { ConnectionHealth } from "../telemetry/connection-health.js";
import type { Metrics } from "../telemetry/metrics.js";
import type { FromThread, ThreadData, ToThread } from "./thread-messages.js";

export interface ThreadHostOptions {
  data: Omit<ThreadData, "logLevel">;
  /** The thread's log lines are written to this logger's stream, at its level. */
  log: Logger;
  metrics: Metrics;
  health: ConnectionHealth;
  rateLimits: GitHubRateLimits;
  /** The first pause before a dead thread is replaced (default 1 s). */
  restartDelayMs?: number;
}

export type ThreadHost = Omit<Worker, "start"> & {
  /** Resolves when the first thread runs; rejects when it could not start. */
  readonly started: Promise<void>;
  /** The running thread, for a test that needs to end it the hard way. */
  readonly thread: Thread | undefined;
};

const MAX_RESTART_DELAY_MS = 60_000;
/** A thread up this long has recovered: the next death waits the first pause again. */
const HEALTHY_AFTER_MS = 60_000;

/**
 * Starts the processing thread. Loading its modules takes a while (its own Probot, its own
 * copy of everything), so the caller gets the handle at once and awaits `started` when it
 * must; until then `state()` is "new" and wake-ups are not needed (the first round claims
 * everything stored meanwhile).
 */
export function startProcessingThread(options: ThreadHostOptions): ThreadHost {
  const { log } = options;
  const firstDelay = options.restartDelayMs ?? 1_000;
  // The logger's own stream (pino keeps it under this symbol): the thread's lines are already
  // JSON, so they are written as they are, through the same secret scrubber.
  const lines = (log as unknown as Record<symbol, NodeJS.WritableStream>)[
    pino.symbols.streamSym
  ] as NodeJS.WritableStream;
  const data: ThreadData = { ...options.data, logLevel: log.level };

  let thread: Thread | undefined;
  let state: ReturnType<Worker["state"]> = "new";
  let startedAt = 0;
  let delay = firstDelay;
  let restartTimer: NodeJS.Timeout | undefined;
  let wakeQueued = false;
  /** What the queued wake-up is for; undefined: everything. */
  let wakeKinds: Set<WorkKind> | undefined = new Set();
  let nextId = 0;
  const waiting = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  let onStopped: (() => void) | undefined;
  let stopping: Promise<void> | undefined;

  function spawn(): Promise<void> {
    return new Promise((resolve, reject) => {
      const current = new Thread(new URL("./thread-main.mjs", import.meta.url), {
        workerData: data,
        execArgv: threadExecArgv(process.execArgv),
      });
      thread = current;
      let started = false;
      let failure: unknown;
      current.on("message", (batch: FromThread[]) => {
        for (const message of batch) {
          if (message.type !== "started") {
            receive(message);
            continue;
          }
          started = true;
          if (stopping) continue;
          state = "running";
          startedAt = Date.now();
          resolve();
        }
      });
      current.on("error", (error) => {
        failure = error;
        log.error({ err: errorMessage(error) }, "the processing thread failed");
      });
      current.on("exit", (code) => {
        if (thread === current) thread = undefined;
        failAll(new Error("the processing thread stopped"));
        if (stopping) return onStopped?.();
        if (!started && state === "new") {
          reject(
            failure ?? new Error(`the processing thread exited with code ${code} before starting`),
          );
          return;
        }
        state = "stopped";
        // Only a thread that ran a while resets the back-off; one dying at start-up keeps it growing.
        if (started && Date.now() - startedAt > HEALTHY_AFTER_MS) delay = firstDelay;
        log.error(
          { exitCode: code, restartInMs: delay },
          "the processing thread stopped; /readyz fails until a new one runs",
        );
        restartTimer = setTimeout(() => {
          spawn().then(
            () => log.warn({}, "a new processing thread is running"),
            () => undefined,
          );
        }, delay);
        delay = Math.min(delay * 2, MAX_RESTART_DELAY_MS);
      });
    });
  }

  function receive(message: FromThread): void {
    switch (message.type) {
      case "log":
        lines.write(message.line);
        break;
      case "tracker-request":
        options.metrics.observeTrackerRequest(message.tracker, message.status, message.seconds);
        break;
      case "github-request":
        options.metrics.observeGitHubRequest(message.status, message.remaining);
        break;
      case "store-statements":
        options.metrics.observeStoreStatements(message.statements, message.transactions);
        break;
      case "connection-state":
        options.health.set(message.connection, message.state);
        break;
      case "rate-limit":
        options.rateLimits.set(message.installationId, message.reading);
        break;
      case "done": {
        const waiter = waiting.get(message.id);
        waiting.delete(message.id);
        if (message.error === undefined) waiter?.resolve();
        else waiter?.reject(new Error(message.error));
        break;
      }
      case "stopped":
        onStopped?.();
        break;
    }
  }

  function post(message: ToThread): void {
    thread?.postMessage(message);
  }

  function failAll(error: Error): void {
    for (const waiter of waiting.values()) waiter.reject(error);
    waiting.clear();
  }

  function ask(type: "drain" | "idle"): Promise<void> {
    if (state !== "running") return Promise.reject(new Error(`the worker is ${state}`));
    const id = nextId++;
    return new Promise((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      post({ type, id });
    });
  }

  /** Asks the thread to finish its work in flight (as `Worker.stop`), then ends it. */
  async function stop(timeoutMs: number): Promise<void> {
    clearTimeout(restartTimer);
    const current = thread;
    const wasRunning = state === "running";
    state = "stopping";
    if (current && wasRunning) {
      const stopped = new Promise<void>((resolve) => {
        onStopped = resolve;
      });
      post({ type: "stop", timeoutMs });
      // The thread gives unfinished jobs back after `timeoutMs`; this is the backstop.
      let backstop: NodeJS.Timeout | undefined;
      await Promise.race([
        stopped,
        new Promise<void>((resolve) => {
          backstop = setTimeout(resolve, timeoutMs + 5_000);
        }),
      ]);
      clearTimeout(backstop);
    }
    await current?.terminate();
    state = "stopped";
  }

  const started = spawn();
  // The caller awaits `started`; until it does, a failure must not count as unhandled.
  started.catch(() => undefined);

  return {
    started,
    get thread() {
      return thread;
    },
    state: () => state,
    wake(kinds) {
      if (state !== "running") return;
      if (kinds === undefined) wakeKinds = undefined;
      else if (wakeKinds) for (const kind of kinds) wakeKinds.add(kind);
      if (wakeQueued) return;
      // Ingest stores a batch of deliveries at once: one message for all of them.
      wakeQueued = true;
      queueMicrotask(() => {
        const message = { type: "wake" as const, ...(wakeKinds ? { kinds: [...wakeKinds] } : {}) };
        wakeQueued = false;
        wakeKinds = new Set();
        post(message);
      });
    },
    drain: () => ask("drain"),
    idle: () => (state === "running" ? ask("idle") : Promise.resolve()),
    stop({ timeoutMs }) {
      stopping ??= stop(timeoutMs);
      return stopping;
    },
  };
}

/**
 * The main thread's Node options for the thread, minus:
 * - tsx's own loader: thread-main.mjs registers tsx itself, and a second copy of its hooks
 *   doubles the thread's start-up (every module is transformed twice);
 * - V8's options (`--max-old-space-size`, `--heap-growing-percent` …): they hold for the whole
 *   process, the thread's heap included, and a worker refuses to start with one.
 * Everything else (a `--cpu-prof`, an addon hook) is kept.
 */
export function threadExecArgv(execArgv: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const option = execArgv[i]!;
    const [name = "", inline] = option.split(/=(.*)/s);
    // `--require x`: the value is the next word.
    const value = inline ?? (execArgv[i + 1]?.startsWith("-") ? undefined : execArgv[i + 1]);
    const takesNext = inline === undefined && value !== undefined && VALUED.has(name);
    const loader = (name === "--require" || name === "--import") && isTsx(value ?? "");
    const v8 = V8_IN_NODE_OPTIONS.has(name) || !isNodeOption(name);
    if (!loader && !v8) kept.push(...(takesNext ? [option, value] : [option]));
    if (takesNext) i++;
  }
  return kept;
}

/** Node's own: those NODE_OPTIONS takes, and the profilers' (a thread profiles itself). */
function isNodeOption(name: string): boolean {
  return process.allowedNodeEnvironmentFlags.has(name) || /^--(cpu|heap)-prof/.test(name);
}

/** Node options whose value may be the next word. */
const VALUED = new Set(["--require", "-r", "--import", "--loader", "--conditions", "-C"]);

/** V8's options that Node also takes in NODE_OPTIONS (its documentation lists them). */
const V8_IN_NODE_OPTIONS = new Set([
  "--abort-on-uncaught-exception",
  "--disallow-code-generation-from-strings",
  "--enable-etw-stack-walking",
  "--expose-gc",
  "--huge-max-old-generation-size",
  "--interpreted-frames-native-stack",
  "--jitless",
  "--max-old-space-size",
  "--max-semi-space-size",
  "--perf-basic-prof",
  "--perf-basic-prof-only-functions",
  "--perf-prof",
  "--perf-prof-unwinding-info",
  "--stack-trace-limit",
]);

function isTsx(specifier: string): boolean {
  return specifier === "tsx" || /[/\\]node_modules[/\\]tsx[/\\]/.test(specifier);
}
