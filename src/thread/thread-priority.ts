/**
 * The processing thread gives way to the thread that answers webhooks: on Linux it lowers its own
 * CPU priority (`setpriority` on a thread id applies to that thread alone), so that when the
 * two want the same core the answer goes first and the backlog waits, which it can. It costs
 * the worker nothing on an idle core. Elsewhere, or when the system refuses, nothing changes.
 */
import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";

/** Nice 10: a tenth of a nice-0 thread's share of a contended core under Linux's scheduler. */
export const THREAD_NICE = 10;

/** Lowers the calling thread's priority; says whether it could. */
export function lowerThreadPriority(nice = THREAD_NICE): boolean {
  if (process.platform !== "linux") return false;
  try {
    // "/proc/thread-self" links to "<pid>/task/<tid>": the id of the thread asking.
    const tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
    setPriority(tid, nice);
    return true;
  } catch {
    return false;
  }
}
