import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { threadExecArgv } from "../../src/thread/thread-host.js";

/** Starts a thread with these options and waits for it to end: a refused option throws. */
function runThread(execArgv: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const thread = new Worker("0", { eval: true, execArgv });
    thread.once("error", reject);
    thread.once("exit", resolve);
  });
}

describe("the processing thread's Node options", () => {
  const server = [
    "--max-semi-space-size=8",
    "--heap-growing-percent=50",
    "--max-old-space-size",
    "512",
    "--require",
    "/work/node_modules/tsx/dist/preflight.cjs",
    "--import",
    "tsx",
    "--enable-source-maps",
    "--conditions",
    "development",
    "--cpu-prof",
    "--cpu-prof-dir=/tmp/profiles",
  ];

  it("keeps Node's own options and drops V8's (process-wide) and tsx's loader", () => {
    expect(threadExecArgv(server)).toEqual([
      "--enable-source-maps",
      "--conditions",
      "development",
      "--cpu-prof",
      "--cpu-prof-dir=/tmp/profiles",
    ]);
  });

  it("starts a thread from a server started with V8's options, which a thread refuses", async () => {
    const v8Only = ["--max-semi-space-size=8", "--heap-growing-percent=50"];
    await expect(runThread(v8Only)).rejects.toMatchObject({ code: "ERR_WORKER_INVALID_EXEC_ARGV" });
    const kept = threadExecArgv([...v8Only, "--enable-source-maps"]);
    expect(await runThread(kept)).toBe(0);
  });
});
