/**
 * The secret values the logger must never print: tracker tokens, the App's private key, the
 * webhook secret, the database password, the Slack and Telegram channels' URLs and tokens, the
 * console's (its token, the OAuth client secret, the metrics token) and Productboard's. A PEM is also listed
 * line by line, so a fragment cannot slip through.
 */
import { readFileSync } from "node:fs";
import { productboardSecrets } from "../config/productboard-config.js";
import type { ServerConfig } from "../config/server-config.js";
import { channelSecrets, type NotifyChannel } from "../notifiers/channel.js";
import type { TrackerConnection } from "../trackers/connection.js";

/**
 * Every secret a server run with `env` and `config` holds, for its loggers and scrubbers. The
 * one list every entry point (server, processing thread, `sync`, the testbed) builds: a section
 * added to the config is added here once, and no caller can forget it.
 *
 * @example
 * const log = createLogger({ level: "info", secrets: serverSecrets(env, loadServerConfig(env)) });
 */
export function serverSecrets(
  env: Record<string, string | undefined>,
  config: Pick<ServerConfig, "connections" | "channels" | "productboard">,
): string[] {
  return collectSecrets(
    env,
    config.connections,
    config.channels,
    productboardSecrets(config.productboard),
  );
}

/** The list from its parts: for `doctor`, which may have no loaded config to hand over. */
export function collectSecrets(
  env: Record<string, string | undefined>,
  connections: readonly TrackerConnection[],
  channels: readonly NotifyChannel[] = [],
  /** Secrets of other sections (the Productboard token and plugin authorization). */
  extra: readonly string[] = [],
): string[] {
  const secrets = [
    env.WEBHOOK_SECRET,
    env.TRACKER_TOKEN,
    env.TRACKBRIDGE_CONSOLE_TOKEN,
    env.GITHUB_CLIENT_SECRET,
    env.TRACKBRIDGE_METRICS_TOKEN,
    env.TRACKER_WEBHOOK_SECRET,
    ...databasePassword(env.TRACKBRIDGE_DATABASE_URL),
    ...connections.flatMap((c) => [c.token, c.webhookSecret]),
    ...channels.flatMap(channelSecrets),
    ...extra,
  ];
  // Jira Cloud's Basic credential is the token in disguise: a tracker echoing it must not leak it.
  for (const c of connections) {
    if (c.email) secrets.push(Buffer.from(`${c.email}:${c.token}`).toString("base64"));
  }
  const pem = env.PRIVATE_KEY ?? readQuietly(env.PRIVATE_KEY_PATH);
  if (pem)
    secrets.push(
      pem,
      ...pem.split(/\r?\n/).filter((line) => line.length >= 16 && !line.startsWith("-----")),
    );
  return [...new Set(secrets.filter((s): s is string => typeof s === "string" && s.length >= 8))];
}

/** The password inside `postgres://user:password@host/db`, as written and as decoded. */
function databasePassword(url: string | undefined): string[] {
  if (!url || !URL.canParse(url)) return [];
  const password = new URL(url).password;
  try {
    return [password, decodeURIComponent(password)];
  } catch {
    return [password];
  }
}

function readQuietly(file: string | undefined): string | undefined {
  if (!file) return undefined;
  try {
    return readFileSync(file, "utf8");
  } catch {
    // A missing key file is reported by Probot when it starts; here it only means nothing to scrub.
    return undefined;
  }
}
