/**
 * The real trackbridge App in its own process, configured from the environment exactly as
 * `npm start` is (src/server/main.ts), so its RSS and CPU are its own. Differences from
 * main.ts: Octokit's write throttle is off (the simulator has no secondary rate limit, as in
 * the testbed) and the parent can ask over IPC for the worker's backlog, a drain, a close.
 */

import { loadServerConfig } from "../../src/config/server-config.js";
import { startServer } from "../../src/server/server.js";
import { createLogger } from "../../src/telemetry/logger.js";
import { collectSecrets } from "../../src/telemetry/secrets.js";
import { serveIpc } from "../lib/ipc.js";

const env = process.env;
const config = loadServerConfig(env);
const log = createLogger({
  level: env.LOG_LEVEL || "warn",
  secrets: collectSecrets(env, config.connections),
});
// BENCH_WORKER_POLICY (JSON, e.g. {"planConcurrency":16}): to try other worker limits.
const workerPolicy = env.BENCH_WORKER_POLICY ? JSON.parse(env.BENCH_WORKER_POLICY) : undefined;
const server = await startServer({ config, env, log, githubThrottle: false, workerPolicy });

// Exit on SIGTERM (not die of it) so that `--cpu-prof` gets to write its profile.
process.on("SIGTERM", () => process.exit(0));

serveIpc(
  {
    stats: async () => ({ outstanding: await server.store.countOutstanding(), heapMb: heapMb() }),
    drain: async () => {
      await server.worker.drain();
      return { heapMb: heapMb() };
    },
    close: async () => {
      await server.close({ timeoutMs: 2_000 });
      setImmediate(() => process.exit(0));
      return {};
    },
  },
  { port: server.port, path: config.webhookPath },
);

function heapMb(): number {
  return process.memoryUsage().heapUsed / 1024 / 1024;
}
