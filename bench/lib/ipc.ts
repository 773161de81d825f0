/**
 * A small request/answer protocol over Node's IPC channel, so the benchmark's servers can
 * run in their own processes (their RSS and CPU are then their own) and still be asked
 * for counts, stats or a drain.
 */
import { type ChildProcess, fork } from "node:child_process";
import { openSync, readFileSync } from "node:fs";

interface Call {
  id: number;
  type: string;
  args: unknown;
}
type Answer = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };
type Handler = (args: never) => unknown;

/** Child side: answers calls with the handler of their type, then announces `ready`. */
export function serveIpc(handlers: Record<string, Handler>, ready: object): void {
  const send = process.send?.bind(process);
  if (!send)
    throw new Error("this script runs as a child of bench/run.ts (it needs an IPC channel)");
  process.on("message", (message: Call) => {
    const handler = handlers[message.type];
    Promise.resolve()
      .then(() => {
        if (!handler) throw new Error(`no IPC handler "${message.type}"`);
        return (handler as (args: unknown) => unknown)(message.args);
      })
      .then(
        (result) => send({ id: message.id, ok: true, result } satisfies Answer),
        (error: unknown) =>
          send({ id: message.id, ok: false, error: String(error) } satisfies Answer),
      );
  });
  // The parent going away must not leave a server behind.
  process.on("disconnect", () => process.exit(0));
  send({ type: "ready", ...ready });
}

export interface ProcessMemory {
  /** Resident set size now, MB. */
  rssMb: number;
  /** Peak resident set size over the process's life (VmHWM), MB. */
  peakRssMb: number;
}

/** Parent side: a forked script, its `ready` message, and calls into it. */
export class Child<Ready extends object> {
  readonly #process: ChildProcess;
  readonly #pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  #nextId = 1;
  readonly ready: Promise<Ready>;

  private constructor(
    script: string,
    env: Record<string, string>,
    logFile: string,
    execArgv: string[],
  ) {
    const log = openSync(logFile, "a");
    this.#process = fork(script, [], { env, execArgv, stdio: ["ignore", log, log, "ipc"] });
    this.ready = new Promise<Ready>((resolve, reject) => {
      this.#process.once("exit", (code) => {
        const error = new Error(`${script} exited (code ${code}); see ${logFile}`);
        reject(error);
        for (const waiter of this.#pending.values()) waiter.reject(error);
        this.#pending.clear();
      });
      this.#process.on("message", (message: Answer | ({ type: "ready" } & Ready)) => {
        if ("type" in message && message.type === "ready") return resolve(message);
        if (!("id" in message)) return;
        const waiter = this.#pending.get(message.id);
        this.#pending.delete(message.id);
        if (!waiter) return;
        if (message.ok) waiter.resolve(message.result);
        else waiter.reject(new Error(message.error));
      });
    });
  }

  static async start<Ready extends object>(
    script: string,
    options: { env: Record<string, string>; logFile: string; execArgv?: string[] },
  ): Promise<{ child: Child<Ready>; ready: Ready }> {
    const child = new Child<Ready>(script, options.env, options.logFile, options.execArgv ?? []);
    return { child, ready: await child.ready };
  }

  get pid(): number {
    return this.#process.pid ?? -1;
  }

  call<T>(type: string, args: unknown = {}): Promise<T> {
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.#process.send({ id, type, args } satisfies Call);
    });
  }

  /** Read from /proc by the parent, so sampling costs the measured process nothing. */
  memory(): ProcessMemory {
    const status = readFileSync(`/proc/${this.pid}/status`, "utf8");
    const kb = (field: string) =>
      Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);
    return { rssMb: kb("VmRSS") / 1024, peakRssMb: kb("VmHWM") / 1024 };
  }

  /** Stops the process (SIGTERM, then SIGKILL after `graceMs`) and waits for it to exit. */
  async stop(graceMs = 3_000): Promise<void> {
    const proc = this.#process;
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
    proc.kill("SIGTERM");
    const timer = setTimeout(() => proc.kill("SIGKILL"), graceMs);
    await exited;
    clearTimeout(timer);
  }
}
