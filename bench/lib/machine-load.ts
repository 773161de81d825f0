/**
 * How much CPU *other* processes used while a part ran. The machine may be shared (other
 * builds, tests): a number measured next to a busy neighbour is not the App's fault, and the
 * table says so instead of hiding it. Linux only (/proc); elsewhere it reports nothing.
 */
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

interface Sample {
  at: number;
  busyTicks: number;
  ownTicks: number;
}

export class LoadMonitor {
  #start: Sample | null;
  readonly #livePids: () => number[];

  /** `livePids`: our child processes that are still running (their CPU is ours). */
  constructor(livePids: () => number[]) {
    this.#livePids = livePids;
    this.#start = sample(livePids());
  }

  /** CPU used by other processes since the last call, in % of one core (200% = both of 2 cores). */
  lap(): number | null {
    const now = sample(this.#livePids());
    const start = this.#start;
    this.#start = now;
    if (!start || !now) return null;
    const seconds = (now.at - start.at) / 1000;
    const other = now.busyTicks - start.busyTicks - (now.ownTicks - start.ownTicks);
    return seconds > 0 ? Math.max(0, (other / TICKS_PER_SECOND / seconds) * 100) : null;
  }
}

function sample(livePids: number[]): Sample | null {
  if (os.platform() !== "linux") return null;
  try {
    const cpu = readFileSync("/proc/stat", "utf8")
      .split("\n")[0]!
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    // user nice system idle iowait irq softirq steal
    const busyTicks =
      (cpu[0] ?? 0) + (cpu[1] ?? 0) + (cpu[2] ?? 0) + (cpu[5] ?? 0) + (cpu[6] ?? 0) + (cpu[7] ?? 0);
    // Our own time, plus children already exited and reaped (cutime, cstime), plus live ones.
    let ownTicks = processTicks("self", true);
    for (const pid of livePids) ownTicks += processTicks(String(pid), false);
    return { at: Date.now(), busyTicks, ownTicks };
  } catch {
    return null;
  }
}

/**
 * CPU seconds used so far by every live process whose command is `name` (a local
 * PostgreSQL server's processes are all `postgres`); null when none is found (not Linux, or
 * the server is on another machine). A process that exits takes its seconds with it, so the
 * difference of two readings is a floor: the Apps' pooled connections live through a step.
 */
export function cpuSecondsOfCommand(name: string): number | null {
  if (os.platform() !== "linux") return null;
  let ticks = 0;
  let found = false;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, "utf8").trim() !== name) continue;
    } catch {
      continue; // exited meanwhile
    }
    found = true;
    ticks += processTicks(entry, false);
  }
  return found ? ticks / TICKS_PER_SECOND : null;
}

/** CPU seconds a live process has used so far (user + system); 0 when it cannot be read. */
export function cpuSecondsOf(pid: number): number {
  return processTicks(String(pid), false) / TICKS_PER_SECOND;
}

function processTicks(pid: string, withChildren: boolean): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may contain spaces): state is field 3.
    const fields = stat
      .slice(stat.lastIndexOf(")") + 2)
      .split(" ")
      .map(Number);
    const [utime, stime, cutime, cstime] = [
      fields[11] ?? 0,
      fields[12] ?? 0,
      fields[13] ?? 0,
      fields[14] ?? 0,
    ];
    return utime + stime + (withChildren ? cutime + cstime : 0);
  } catch {
    return 0;
  }
}
