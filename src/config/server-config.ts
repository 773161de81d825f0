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
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import type { NotifyChannel } from "../notifiers/channel.js";
import type { TrackerConnection } from "../trackers/connection.js";
import type { KindFields, TrackerKind } from "../trackers/kind.js";
import { isTrackerType, kindOf, TRACKER_KINDS, typesInWords } from "../trackers/kinds.js";

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

export class ServerConfigError extends Error {
  override readonly name = "ServerConfigError";
}

const secretRef = z.union([
  z.strictObject({ env: z.string().min(1) }),
  z.strictObject({ file: z.string().min(1) }),
]);

/** More than this many requests at once is refused by the trackers themselves (Jira Cloud: 50). */
const MAX_TRACKER_CONCURRENCY = 64;

/** The keys every connection has; each kind adds its own (`TrackerKind.connection.fields`). */
const commonEntry = {
  url: z.url(),
  token: secretRef,
  webhook_secret: secretRef.optional(),
  concurrency: z.number().int().min(1).max(MAX_TRACKER_CONCURRENCY).optional(),
  // GitHub login → tracker login (Yandex login, Jira Cloud accountId, Data Center name).
  people: z.record(z.string().min(1), z.string().min(1)).optional(),
};

type ConnectionEntry = Omit<z.output<z.ZodObject<typeof commonEntry>>, "url" | "token"> & {
  url?: string;
  token?: { env: string } | { file: string };
  type: string;
  [option: string]: unknown;
};

/** A kind that acts with the App's own credentials (GitHub Projects) takes no url, token or webhook. */
const { concurrency, people } = commonEntry;

const [firstKind, ...otherKinds] = TRACKER_KINDS.map((kind) =>
  z.strictObject({
    type: z.literal(kind.type),
    ...(kind.connection.credentials === "none" ? { concurrency, people } : commonEntry),
    ...kind.connection.fields,
  }),
);
const connectionEntry = z.discriminatedUnion(
  "type",
  // The registry is never empty.
  [firstKind!, ...otherKinds],
  {
    error: (issue) =>
      issue.code === "invalid_union" ? `type must be ${typesInWords()}` : undefined,
  },
) as unknown as z.ZodType<ConnectionEntry>;

const channelEntry = z.union([
  z.strictObject({ type: z.literal("slack"), webhook_url: secretRef }),
  z.strictObject({ type: z.literal("slack"), token: secretRef, channel: z.string().min(1) }),
  z.strictObject({
    type: z.literal("telegram"),
    token: secretRef,
    chat_id: z.union([z.string().min(1), z.number().int()]),
  }),
]);

const NAME = z.string().regex(/^[A-Za-z0-9_-]+$/);

const connectionsFile = z.strictObject({
  connections: z.record(NAME, connectionEntry).default({}),
  channels: z.record(NAME, channelEntry).default({}),
});

type Env = Record<string, string | undefined>;

/**
 * Reads the server configuration from an environment object (normally `process.env`).
 * Throws `ServerConfigError` with a message naming the variable at fault.
 *
 * @example
 * const config = loadServerConfig({ TRACKER_TYPE: "yandex", TRACKER_URL: "https://api.tracker.yandex.net",
 *   TRACKER_TOKEN: "…", TRACKER_ORG_ID: "123", WEBHOOK_SECRET: "s" });
 */
export function loadServerConfig(env: Env, cwd = process.cwd()): ServerConfig {
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
    connections: loadConnections(env, cwd),
    channels: loadChannels(env, cwd),
    console: consoleConfig(env),
    github: githubUrls(env),
    metricsToken: env.TRACKBRIDGE_METRICS_TOKEN || undefined,
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

/** The same addresses Probot derives from GHE_HOST and GHE_PROTOCOL. */
export function githubUrls(env: Env): { webUrl: string; apiUrl: string } {
  if (!env.GHE_HOST) return { webUrl: "https://github.com", apiUrl: "https://api.github.com" };
  const webUrl = `${env.GHE_PROTOCOL || "https"}://${env.GHE_HOST}`;
  return { webUrl, apiUrl: `${webUrl}/api/v3` };
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

/** A URL with user:password in it would print the password in every error that names it. */
function trackerUrl(url: string, what: string): string {
  if (!URL.canParse(url)) throw new ServerConfigError(`${what} is not a URL`);
  const parsed = new URL(url);
  if (parsed.username || parsed.password) {
    throw new ServerConfigError(
      `${what} must not carry a user or password: give the token separately`,
    );
  }
  return url;
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

function trackerConcurrency(env: Env): number | undefined {
  const raw = env.TRACKER_CONCURRENCY;
  if (raw === undefined || raw === "") return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > MAX_TRACKER_CONCURRENCY) {
    throw new ServerConfigError(
      `TRACKER_CONCURRENCY must be a whole number from 1 to ${MAX_TRACKER_CONCURRENCY} (got "${raw}")`,
    );
  }
  return value;
}

function loadConnections(env: Env, cwd: string): TrackerConnection[] {
  const connections: TrackerConnection[] = [];
  if (env.TRACKER_TYPE || env.TRACKER_URL || env.TRACKER_TOKEN) {
    connections.push(connectionFromEnv(env));
  }
  if (env.TRACKBRIDGE_CONNECTIONS) {
    connections.push(...connectionsFromFile(path.resolve(cwd, env.TRACKBRIDGE_CONNECTIONS), env));
  }
  const names = new Set<string>();
  for (const connection of connections) {
    if (names.has(connection.name)) {
      throw new ServerConfigError(`tracker connection "${connection.name}" is defined twice`);
    }
    names.add(connection.name);
  }
  return connections;
}

function connectionFromEnv(env: Env): TrackerConnection {
  const type = env.TRACKER_TYPE;
  if (!isTrackerType(type)) {
    throw new ServerConfigError(`TRACKER_TYPE must be ${typesInWords()} (got "${type ?? ""}")`);
  }
  const kind = kindOf(type);
  const own = kind.connection.credentials !== "none";
  const url = own ? trackerUrl(required(env, "TRACKER_URL"), "TRACKER_URL") : "";
  const token = !own
    ? ""
    : env.TRACKER_TOKEN_FILE
      ? readSecretFile(env.TRACKER_TOKEN_FILE, "TRACKER_TOKEN_FILE")
      : required(env, "TRACKER_TOKEN");
  return withoutUndefined({
    name: env.TRACKER_NAME || type,
    type,
    url,
    token,
    ...kindFieldsFromEnv(kind, env),
    concurrency: trackerConcurrency(env),
    webhookSecret: env.TRACKER_WEBHOOK_SECRET_FILE
      ? readSecretFile(env.TRACKER_WEBHOOK_SECRET_FILE, "TRACKER_WEBHOOK_SECRET_FILE")
      : env.TRACKER_WEBHOOK_SECRET || undefined,
    webhookSecretFrom: env.TRACKER_WEBHOOK_SECRET_FILE
      ? `file ${env.TRACKER_WEBHOOK_SECRET_FILE}`
      : env.TRACKER_WEBHOOK_SECRET
        ? "environment variable TRACKER_WEBHOOK_SECRET"
        : undefined,
  });
}

function readConnectionsFile(file: string): z.output<typeof connectionsFile> {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, "utf8"));
  } catch (error) {
    throw new ServerConfigError(
      `TRACKBRIDGE_CONNECTIONS: cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const parsed = connectionsFile.safeParse(raw);
  if (!parsed.success) {
    throw new ServerConfigError(
      `TRACKBRIDGE_CONNECTIONS: ${file} is invalid (secrets must be {env: NAME} or {file: PATH}):\n${z.prettifyError(parsed.error)}`,
    );
  }
  return parsed.data;
}

/**
 * The notification channels of the connections file. The API roots are the services' own
 * unless TRACKBRIDGE_SLACK_API_URL / TRACKBRIDGE_TELEGRAM_API_ROOT point elsewhere (a proxy,
 * the simulators).
 */
function loadChannels(env: Env, cwd: string): NotifyChannel[] {
  if (!env.TRACKBRIDGE_CONNECTIONS) return [];
  const file = path.resolve(cwd, env.TRACKBRIDGE_CONNECTIONS);
  const slackApi = env.TRACKBRIDGE_SLACK_API_URL || "https://slack.com/api/";
  const telegramApi = env.TRACKBRIDGE_TELEGRAM_API_ROOT || "https://api.telegram.org";
  return Object.entries(readConnectionsFile(file).channels).map(([name, entry]) => {
    const what = `channel "${name}"`;
    if (entry.type === "telegram") {
      const token = secret(env, entry.token, `${what} token`);
      return { name, type: "telegram", token, chatId: String(entry.chat_id), apiRoot: telegramApi };
    }
    if ("webhook_url" in entry) {
      const webhookUrl = secret(env, entry.webhook_url, `${what} webhook_url`);
      if (!URL.canParse(webhookUrl))
        throw new ServerConfigError(`${what} webhook_url is not a URL`);
      return { name, type: "slack", webhookUrl };
    }
    const token = secret(env, entry.token, `${what} token`);
    return { name, type: "slack", token, channel: entry.channel, apiUrl: slackApi };
  });
}

function connectionsFromFile(file: string, env: Env): TrackerConnection[] {
  return Object.entries(readConnectionsFile(file).connections).map(([name, entry]) =>
    withoutUndefined({
      name,
      type: entry.type,
      url: entry.url === undefined ? "" : trackerUrl(entry.url, `connection "${name}" url`),
      token:
        entry.token === undefined ? "" : secret(env, entry.token, `connection "${name}" token`),
      webhookSecret:
        entry.webhook_secret &&
        secret(env, entry.webhook_secret, `connection "${name}" webhook_secret`),
      webhookSecretFrom:
        entry.webhook_secret &&
        ("env" in entry.webhook_secret
          ? `environment variable ${entry.webhook_secret.env}`
          : `file ${entry.webhook_secret.file}`),
      ...kindFields(kindOf(entry.type), entry),
      concurrency: entry.concurrency,
      people: entry.people,
    }),
  );
}

/** The kind's TRACKER_* variables, checked by its schema; an error names the variable. */
function kindFieldsFromEnv(kind: TrackerKind, env: Env): KindFields {
  const raw = Object.fromEntries(
    Object.entries(kind.connection.env).map(([field, name]) => [field, env[name] || undefined]),
  );
  const parsed = z.object(kind.connection.fields).safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const field = String(issue.path[0] ?? "");
      const name = kind.connection.env[field] ?? field;
      return raw[field] === undefined
        ? `${name} is not set (tracker ${kind.type} needs it)`
        : `${name}: ${issue.message}`;
    });
    throw new ServerConfigError(problems.join("; "));
  }
  return kindFields(kind, parsed.data);
}

/** The kind's own fields of a validated entry: typed fields through the kind, else `options`. */
function kindFields(kind: TrackerKind, entry: Record<string, unknown>): KindFields {
  const fields = Object.fromEntries(
    Object.keys(kind.connection.fields).flatMap((field) =>
      entry[field] === undefined ? [] : [[field, entry[field]]],
    ),
  );
  if (kind.connection.toConnection) return kind.connection.toConnection(fields);
  return Object.keys(fields).length === 0
    ? {}
    : { options: fields as NonNullable<KindFields["options"]> };
}

function secret(env: Env, ref: { env: string } | { file: string }, what: string): string {
  return "env" in ref ? required(env, ref.env, what) : readSecretFile(ref.file, what);
}

function required(env: Env, name: string, what = name): string {
  const value = env[name];
  if (!value) throw new ServerConfigError(`${what}: environment variable ${name} is not set`);
  return value;
}

function readSecretFile(file: string, what: string): string {
  try {
    return readFileSync(file, "utf8").trim();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new ServerConfigError(`${what}: cannot read secret file ${file} (${code})`);
  }
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
