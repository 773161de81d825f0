/**
 * `trackbridge doctor`: every check in order, from the environment `npm start` reads. Each
 * finding is scrubbed of every secret the server knows before anyone sees it.
 *
 * @example
 * const checks = await runDoctor(process.env);
 * if (!allWell(checks)) process.exitCode = 1;
 */

import { type ConnectionsFile, connectionsFileOf } from "../config/connections-file.js";
import { loadServerConfig, type ServerConfig, ServerConfigError } from "../config/server-config.js";
import { scrubSecrets } from "../core/scrub-secrets.js";
import { appGraphqlAccess } from "../github/app-graphql-access.js";
import { collectSecrets } from "../telemetry/secrets.js";
import { DEFAULT_TRACKER_TIMEOUT_MS } from "../trackers/create-tracker.js";
import { type DoctorCheck, fail, ok, skip } from "./check.js";
import { checkGitHubApp } from "./github-app.js";
import { checkKeyPrefixes } from "./key-prefixes.js";
import { checkProductboard } from "./productboard.js";
import { checkStore } from "./store.js";
import { checkConnection } from "./tracker.js";

type Env = Record<string, string | undefined>;

export interface DoctorOptions {
  cwd?: string;
  /** Per tracker request; the server's 10 s by default. */
  timeoutMs?: number;
}

export async function runDoctor(env: Env, options: DoctorOptions = {}): Promise<DoctorCheck[]> {
  const { config, file, check: configCheck } = loadConfig(env, options.cwd);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TRACKER_TIMEOUT_MS;
  // GitHub Projects is reached as the App's installation on the project's organization, as the
  // server does; the App is made when a token is first asked, so a bad key fails that line.
  const installation = appGraphqlAccess(env);
  const [github, store, trackers, prefixes, productboard] = await Promise.all([
    checkGitHubApp(env),
    config
      ? checkStore(config)
      : Promise.resolve(skip("store", "not checked: the configuration is invalid")),
    Promise.all(
      (config?.connections ?? []).map((connection) =>
        checkConnection(connection, { timeoutMs, github: installation }),
      ),
    ),
    checkKeyPrefixes(config?.connections ?? [], { timeoutMs }),
    checkProductboard(env, config, file?.productboard, { timeoutMs }),
  ]);
  const checks = [
    github,
    webhookSecret(env),
    configCheck,
    store,
    ...trackers.flat(),
    ...prefixes,
    ...productboard.checks,
  ];
  const secrets = collectSecrets(
    env,
    config?.connections ?? [],
    config?.channels ?? [],
    productboard.secrets,
  );
  return checks.map((check) => scrub(check, secrets));
}

function webhookSecret(env: Env): DoctorCheck {
  return env.WEBHOOK_SECRET
    ? ok("webhook secret", "WEBHOOK_SECRET is set")
    : fail(
        "webhook secret",
        "WEBHOOK_SECRET is not set: the server refuses to start without it",
        "copy the webhook secret from the GitHub App's settings (General → Webhook secret) into WEBHOOK_SECRET",
      );
}

/**
 * The server's own loader; the webhook secret has its own line, so a stand-in lets the rest
 * load; so has the productboard section (productboard.ts), so it is left out here and its
 * entry handed back from the one reading of the connections file.
 */
function loadConfig(
  env: Env,
  cwd = process.cwd(),
): { config?: ServerConfig; file?: ConnectionsFile; check: DoctorCheck } {
  const name = "configuration";
  let config: ServerConfig;
  let file: ConnectionsFile | undefined;
  try {
    const withStandIn = { ...env, WEBHOOK_SECRET: env.WEBHOOK_SECRET || "not-set" };
    file = connectionsFileOf(withStandIn, cwd);
    config = loadServerConfig(withStandIn, cwd, {
      withoutProductboard: true,
      ...(file ? { connectionsFile: file } : {}),
    });
  } catch (error) {
    if (!(error instanceof ServerConfigError)) throw error;
    return {
      check: fail(name, error.message, "correct the variable it names, in .env or the environment"),
    };
  }
  if (config.connections.length === 0) {
    return {
      config,
      ...(file ? { file } : {}),
      check: fail(
        name,
        "no tracker connection",
        "set TRACKER_TYPE, TRACKER_URL and TRACKER_TOKEN (and TRACKER_ORG_ID for Yandex Tracker), or TRACKBRIDGE_CONNECTIONS",
      ),
    };
  }
  const names = config.connections.map((c) => `${c.name} (${c.type})`).join(", ");
  return { config, ...(file ? { file } : {}), check: ok(name, `tracker connections: ${names}`) };
}

function scrub(check: DoctorCheck, secrets: readonly string[]): DoctorCheck {
  return {
    ...check,
    detail: scrubSecrets(check.detail, secrets),
    ...(check.fix === undefined ? {} : { fix: scrubSecrets(check.fix, secrets) }),
  };
}
