/**
 * `trackbridge doctor`: every check in order, from the environment `npm start` reads. Each
 * finding is scrubbed of every secret the server knows before anyone sees it.
 *
 * @example
 * const checks = await runDoctor(process.env);
 * if (!allWell(checks)) process.exitCode = 1;
 */
import { collectSecrets } from "../app/secrets.js";
import { loadServerConfig, type ServerConfig, ServerConfigError } from "../config/server-config.js";
import { scrubSecrets } from "../core/scrub-secrets.js";
import { DEFAULT_TRACKER_TIMEOUT_MS } from "../trackers/create-tracker.js";
import { type DoctorCheck, errorText, fail, ok, skip } from "./check.js";
import { checkGitHubApp } from "./github-app.js";
import { checkStore } from "./store.js";
import { checkConnection } from "./tracker.js";

type Env = Record<string, string | undefined>;

export interface DoctorOptions {
  cwd?: string;
  /** Per tracker request; the server's 10 s by default. */
  timeoutMs?: number;
}

export async function runDoctor(env: Env, options: DoctorOptions = {}): Promise<DoctorCheck[]> {
  const secretCheck = env.WEBHOOK_SECRET
    ? ok("webhook secret", "WEBHOOK_SECRET is set")
    : fail(
        "webhook secret",
        "WEBHOOK_SECRET is not set: the server refuses to start without it",
        "copy the webhook secret from the GitHub App's settings (General → Webhook secret) into WEBHOOK_SECRET",
      );
  let config: ServerConfig | undefined;
  let configCheck: DoctorCheck;
  try {
    // The webhook secret has its own line above; a stand-in lets the rest be checked too.
    config = loadServerConfig(
      { ...env, WEBHOOK_SECRET: env.WEBHOOK_SECRET || "unset" },
      options.cwd,
    );
    configCheck =
      config.connections.length > 0
        ? ok(
            "configuration",
            `${config.connections.length} tracker connection(s): ${config.connections.map((c) => `${c.name} (${c.type})`).join(", ")}`,
          )
        : fail(
            "configuration",
            "no tracker connection",
            "set TRACKER_TYPE, TRACKER_URL and TRACKER_TOKEN (and TRACKER_ORG_ID for Yandex Tracker), or TRACKBRIDGE_CONNECTIONS",
          );
  } catch (error) {
    if (!(error instanceof ServerConfigError)) throw error;
    configCheck = fail(
      "configuration",
      error.message,
      "correct the variable it names, in .env or the environment",
    );
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TRACKER_TIMEOUT_MS;
  const [github, store, ...trackers] = await Promise.all([
    checkGitHubApp(env),
    config ? checkStore(config) : skip("store", "not checked: the configuration is invalid"),
    ...(config?.connections ?? []).map((connection) => checkConnection(connection, { timeoutMs })),
  ]);
  const checks = [github, secretCheck, configCheck, store, ...trackers.flat()] as DoctorCheck[];
  const secrets = collectSecrets(env, config?.connections ?? []);
  return checks.map((check) => scrub(check, secrets));
}

function scrub(check: DoctorCheck, secrets: readonly string[]): DoctorCheck {
  return {
    ...check,
    detail: scrubSecrets(check.detail, secrets),
    ...(check.fix === undefined ? {} : { fix: scrubSecrets(check.fix, secrets) }),
  };
}
