import { readFileSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { THREAD_NICE } from "../../src/thread/thread-priority.js";

/** Field 19 of /proc/<pid>/task/<tid>/stat is the thread's nice value. */
function niceOf(tid: number): number {
  const stat = readFileSync(`/proc/${process.pid}/task/${tid}/stat`, "utf8");
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]);
}

describe.runIf(process.platform === "linux")("thread priority", () => {
  it("lowers the calling thread's priority and not the process's", async () => {
    // The process may run under `nice` already (a CI step, a container): unchanged is the rule.
    const before = niceOf(process.pid);
    const thread = new Worker(new URL("./fixtures/lower-priority-thread.mjs", import.meta.url));
    try {
      const { lowered, tid } = await new Promise<{ lowered: boolean; tid: number }>(
        (resolve, reject) => {
          thread.once("message", resolve);
          thread.once("error", reject);
        },
      );
      expect(lowered).toBe(true);
      expect(niceOf(tid)).toBe(THREAD_NICE);
      expect(niceOf(process.pid)).toBe(before);
    } finally {
      await thread.terminate();
    }
  });
});
