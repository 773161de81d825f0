/**
 * `npm start`: the production server, configured from the environment only.
 * SIGTERM and SIGINT stop taking webhooks and let in-flight jobs finish.
 */
import { loadServerConfig, ServerConfigError } from "../config/server-config.js";
import { collectSecrets } from "./secrets.js";
import { createLogger } from "./logger.js";
import { startServer } from "./server.js";

const env = process.env;
const log = createLogger({ level: env.LOG_LEVEL || "info", secrets: collectSecrets(env, []) });

try {
  const config = loadServerConfig(env);
  const secretLog = createLogger({
    level: env.LOG_LEVEL || "info",
    secrets: collectSecrets(env, config.connections),
  });
  const server = await startServer({ config, env, log: secretLog });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    secretLog.info({ signal }, "stopping: finishing in-flight jobs");
    server.close({ timeoutMs: 8_000 }).then(
      () => process.exit(0),
      (error: unknown) => {
        secretLog.error({ err: error }, "stopped with an error");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
} catch (error) {
  if (error instanceof ServerConfigError) {
    log.fatal(error.message);
  } else {
    log.fatal({ err: error }, "trackbridge failed to start");
  }
  process.exitCode = 1;
}
