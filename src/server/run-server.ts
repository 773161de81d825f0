/**
 * What `npm start` runs: the production server, configured from the environment (and
 * `.env`, as Probot apps are). Without APP_ID outside production it runs Probot's setup
 * flow, which registers the GitHub App from app.yml and writes its credentials to `.env`.
 * SIGTERM and SIGINT stop taking webhooks and let in-flight jobs finish.
 */

import { existsSync } from "node:fs";
import type { Logger } from "pino";
import { run } from "probot";
import { loadServerConfig, ServerConfigError } from "../config/server-config.js";
import { createLogger } from "../telemetry/logger.js";
import { serverSecrets } from "../telemetry/secrets.js";
import { startServer } from "./server.js";

export async function runServer(env: NodeJS.ProcessEnv): Promise<void> {
  if (existsSync(".env")) process.loadEnvFile(".env");
  // Until the config is read (it may fail): the environment's own secrets.
  const bootstrap = { connections: [], channels: [] };
  const log = createLogger({
    level: env.LOG_LEVEL || "info",
    secrets: serverSecrets(env, bootstrap),
  });
  try {
    await start(env, log);
  } catch (error) {
    if (error instanceof ServerConfigError) log.fatal(error.message);
    else log.fatal({ err: error }, "trackbridge failed to start");
    process.exitCode = 1;
  }
}

async function start(env: NodeJS.ProcessEnv, log: Logger): Promise<void> {
  if (!env.APP_ID && env.NODE_ENV !== "production") {
    log.info(
      "APP_ID is not set: starting Probot's setup flow to register the GitHub App (app.yml)",
    );
    await run(() => undefined, { env });
    return;
  }
  const config = loadServerConfig(env);
  const serverLog = createLogger({
    level: env.LOG_LEVEL || "info",
    secrets: serverSecrets(env, config),
  });
  const server = await startServer({ config, env, log: serverLog });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    serverLog.info({ signal }, "stopping: finishing in-flight jobs");
    server.close({ timeoutMs: 8_000 }).then(
      () => process.exit(0),
      (error: unknown) => {
        serverLog.error({ err: error }, "stopped with an error");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}
