/**
 * The one place the server reads its environment. Every variable is documented here and in
 * the README ("Server environment"). Secrets (tracker tokens, the App's private key) come
 * from the environment or from files; they are never logged and never echoed in errors.
 *
 * The store: TRACKBRIDGE_DATABASE_URL (`postgres://user:password@host:5432/db`) makes the
 * server use PostgreSQL, which several replicas can share; without it the embedded SQLite
 * file at TRACKBRIDGE_DB (default data/trackbridge.db) is used. The URL holds a password:
 * like the tokens, it is never logged.
 *
 * The console (/console): GITHUB_CLIENT_ID + GITHUB_CLIENT_SECRET (sign in with GitHub;
 * TRACKBRIDGE_CONSOLE_ADMINS adds logins to the owners of the App's organizations),
 * TRACKBRIDGE_CONSOLE_TOKEN (a shared secret, ≥ 32 characters), TRACKBRIDGE_CONSOLE_URL
 * (public address). TRACKBRIDGE_METRICS_TOKEN guards /metrics.
 *
 * Notification channels: the `channels:` section of the TRACKBRIDGE_CONNECTIONS file (Slack
 * webhook URLs and bot tokens, Telegram bot tokens, as env or file references). Slack's Web
 * API and Telegram's Bot API are reached at TRACKBRIDGE_SLACK_API_URL and
 * TRACKBRIDGE_TELEGRAM_API_ROOT when set (a proxy, the simulators).
 */
import path from "node:path";
import type { NotifyChannel } from "../notifiers/channel.js";
import type { TrackerConnection } from "../trackers/connection.js";
import {
  type ConnectionsFile,
  connectionsFileOf,
  loadChannels,
  loadConnections,
} from "./connections-file.js";
import { githubUrls } from "./github-urls.js";
import { loadProductboard, type ProductboardConfig } from "./productboard-config.js";
import { type Env, ServerConfigError } from "./secret-ref.js";

export { githubUrls } from "./github-urls.js";
export { ServerConfigError } from "./secret-ref.js";

export interface ServerConfig {
  port: number;
  host: string | undefined;
  webhookPath: string;
  webhookSecret: string;
  webhookProxyUrl: string | undefined;
  /** Where the embedded SQLite store lives (used when `databaseUrl` is not set). */
  databasePath: string;
  /** A PostgreSQL connection string: the shared store of several replicas (secret: has a password). */
  databaseUrl: string | undefined;
  maxPayloadBytes: number;
  /** Payloads of finished deliveries older than this are pruned; 0 keeps them forever. */
  retentionDays: number;
  /** How often missed GitHub deliveries are looked for; 0 turns the poller off. */
  redeliveryIntervalMs: number;
  /** How long a claimed job is held without a heartbeat: a killed process's work is re-run after it. */
  jobLeaseMs: number;
  /** How often each connection is asked which issues linked to open PRs changed; 0 turns it off. */
  trackerPollMs: number;
  connections: TrackerConnection[];
  /** Slack and Telegram channels (the `channels:` section of the TRACKBRIDGE_CONNECTIONS file). */
  channels: NotifyChannel[];
  console: ConsoleConfig;
  /** GitHub's web and API roots: github.com, or GHE_HOST with GHE_PROTOCOL (Probot's variables). */
  github: { webUrl: string; apiUrl: string };
  /** When set, `/metrics` asks for `Authorization: Bearer <token>` (secret). */
  metricsToken: string | undefined;
  /** The connections file's `productboard:` section: features pushed become issues. */
  productboard?: ProductboardConfig;
}

/**
 * The operator console. It is on when an OAuth client or a console token is configured;
 * with neither, every /console route answers 404.
 */
export interface ConsoleConfig {
  /** The App's OAuth client (Probot's manifest flow writes both): "Sign in with GitHub". */
  oauth: { clientId: string; clientSecret: string } | undefined;
  /** A shared secret of at least 32 characters, typed into the sign-in form or sent as a Bearer token. */
  token: string | undefined;
  /** GitHub logins allowed besides the owners of the organizations the App is installed on. */
  admins: string[];
  /** The console's public address (`https://bridge.example.com`), for the OAuth callback and Secure cookies. */
  publicUrl: string | undefined;
}

export interface LoadOptions {
  /**
   * Leave the connections file's `productboard:` section out: `doctor` checks it on lines of
   * its own, so a fault there does not hide every other check.
   */
  withoutProductboard?: boolean;
  /** The connections file as the caller already read it (connectionsFileOf): not read again. */
  connectionsFile?: ConnectionsFile;
}

/**
 * Reads the server configuration from an environment object (normally `process.env`).
 * Throws `ServerConfigError` with a message naming the variable at fault.
 *
 * @example
 * const config = loadServerConfig({ TRACKER_TYPE: "yandex", TRACKER_URL: "https://api.tracker.yandex.net",
 *   TRACKER_TOKEN: "…", TRACKER_ORG_ID: "123", WEBHOOK_SECRET: "s" });
 */
export function loadServerConfig(
  env: Env,
  cwd = process.cwd(),
  options: LoadOptions = {},
): ServerConfig {
  const file = options.connectionsFile ?? connectionsFileOf(env, cwd);
  const connections = loadConnections(env, file);
  const channels = loadChannels(env, file);
  const productboard = options.withoutProductboard
    ? undefined
    : loadProductboard(
        file?.productboard,
        env,
        connections.map((connection) => connection.name),
        channels.map((channel) => channel.name),
      );
  return {
    port: integer(env, "PORT", 3000),
    host: env.HOST || undefined,
    webhookPath: env.WEBHOOK_PATH || "/api/github/webhooks",
    webhookSecret: webhookSecret(env),
    webhookProxyUrl: env.WEBHOOK_PROXY_URL || undefined,
    databasePath: path.resolve(cwd, env.TRACKBRIDGE_DB || "data/trackbridge.db"),
    databaseUrl: env.TRACKBRIDGE_DATABASE_URL || undefined,
    maxPayloadBytes: integer(env, "TRACKBRIDGE_MAX_PAYLOAD_BYTES", 10 * 1024 * 1024),
    retentionDays: integer(env, "TRACKBRIDGE_RETENTION_DAYS", 30),
    redeliveryIntervalMs: integer(env, "TRACKBRIDGE_REDELIVERY_INTERVAL_SECONDS", 300) * 1000,
    jobLeaseMs: Math.max(1, integer(env, "TRACKBRIDGE_JOB_LEASE_SECONDS", 60)) * 1000,
    trackerPollMs: integer(env, "TRACKBRIDGE_TRACKER_POLL_SECONDS", 300) * 1000,
    connections,
    channels,
    console: consoleConfig(env),
    github: githubUrls(env),
    metricsToken: env.TRACKBRIDGE_METRICS_TOKEN || undefined,
    ...(productboard ? { productboard } : {}),
  };
}

const MIN_CONSOLE_TOKEN = 32;

function consoleConfig(env: Env): ConsoleConfig {
  const token = env.TRACKBRIDGE_CONSOLE_TOKEN || undefined;
  if (token !== undefined && token.length < MIN_CONSOLE_TOKEN) {
    throw new ServerConfigError(
      `TRACKBRIDGE_CONSOLE_TOKEN must be at least ${MIN_CONSOLE_TOKEN} characters (got ${token.length}): generate one with \`openssl rand -hex 32\``,
    );
  }
  const clientId = env.GITHUB_CLIENT_ID || undefined;
  const clientSecret = env.GITHUB_CLIENT_SECRET || undefined;
  if (Boolean(clientId) !== Boolean(clientSecret)) {
    throw new ServerConfigError(
      "GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET go together: set both (the App's OAuth client) or neither",
    );
  }
  const publicUrl = env.TRACKBRIDGE_CONSOLE_URL || undefined;
  if (publicUrl !== undefined && !/^https?:\/\/[^/]+/.test(publicUrl)) {
    throw new ServerConfigError(
      `TRACKBRIDGE_CONSOLE_URL must be an http(s) address like https://bridge.example.com (got "${publicUrl}")`,
    );
  }
  return {
    oauth: clientId && clientSecret ? { clientId, clientSecret } : undefined,
    token,
    admins: (env.TRACKBRIDGE_CONSOLE_ADMINS ?? "")
      .split(/[\s,]+/)
      .map((login) => login.trim().toLowerCase())
      .filter(Boolean),
    publicUrl: publicUrl?.replace(/\/+$/, ""),
  };
}

/**
 * Probot's development default ("development") only without an App: a server holding real
 * App credentials must never accept webhooks signed with a public string.
 */
function webhookSecret(env: Env): string {
  if (env.WEBHOOK_SECRET) return env.WEBHOOK_SECRET;
  if (env.APP_ID) {
    throw new ServerConfigError(
      "WEBHOOK_SECRET is not set: use the webhook secret from the GitHub App's settings",
    );
  }
  return "development";
}

function integer(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new ServerConfigError(`${name} must be a non-negative whole number (got "${raw}")`);
  }
  return value;
}
