/**
 * The tracker connections and notification channels of the server: from the environment's
 * TRACKER_* variables and from the connections file (TRACKBRIDGE_CONNECTIONS), each kind's own
 * keys validated by its registry entry; secrets are read from the environment or files only.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { carriesCredentials } from "../core/scrub-secrets.js";
import type { NotifyChannel } from "../notifiers/channel.js";
import type { TrackerConnection } from "../trackers/connection.js";
import type { KindFields, TrackerKind } from "../trackers/kind.js";
import { isTrackerType, kindOf, TRACKER_KINDS, typesInWords } from "../trackers/kinds.js";
import { githubUrls } from "./github-urls.js";
import { productboardEntry } from "./productboard-config.js";
import {
  describeSecretRef,
  type Env,
  readSecretFile,
  required,
  ServerConfigError,
  secret,
  secretRef,
} from "./secret-ref.js";

/** More than this many requests at once is refused by the trackers themselves (Jira Cloud: 50). */
export const MAX_TRACKER_CONCURRENCY = 64;

/** The keys every connection has; each kind adds its own (`TrackerKind.connection.fields`). */
export const commonEntry = {
  url: z.url(),
  token: secretRef,
  webhook_secret: secretRef.optional(),
  concurrency: z.number().int().min(1).max(MAX_TRACKER_CONCURRENCY).optional(),
  // GitHub login → tracker login (Yandex login, Jira Cloud accountId, Data Center name).
  people: z.record(z.string().min(1), z.string().min(1)).optional(),
};

export type ConnectionEntry = Omit<z.output<z.ZodObject<typeof commonEntry>>, "url" | "token"> & {
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

export const connectionEntry = z.discriminatedUnion(
  "type",
  // The registry is never empty.
  [firstKind!, ...otherKinds],
  {
    error: (issue) =>
      issue.code === "invalid_union" ? `type must be ${typesInWords()}` : undefined,
  },
) as unknown as z.ZodType<ConnectionEntry>;

export const channelEntry = z.union([
  z.strictObject({ type: z.literal("slack"), webhook_url: secretRef }),
  z.strictObject({ type: z.literal("slack"), token: secretRef, channel: z.string().min(1) }),
  z.strictObject({
    type: z.literal("telegram"),
    token: secretRef,
    chat_id: z.union([z.string().min(1), z.number().int()]),
  }),
]);

export const NAME = z.string().regex(/^[A-Za-z0-9_-]+$/);

export const connectionsFile = z.strictObject({
  connections: z.record(NAME, connectionEntry).default({}),
  channels: z.record(NAME, channelEntry).default({}),
  productboard: productboardEntry.optional(),
});

/** A URL with user:password in it would print the password in every error that names it. */
export function trackerUrl(url: string, what: string): string {
  if (!URL.canParse(url)) throw new ServerConfigError(`${what} is not a URL`);
  if (carriesCredentials(url)) {
    throw new ServerConfigError(
      `${what} must not carry a user or password: give the token separately`,
    );
  }
  return url;
}

export function trackerConcurrency(env: Env): number | undefined {
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

export type ConnectionsFile = z.output<typeof connectionsFile>;

/**
 * The TRACKBRIDGE_CONNECTIONS file, read and checked once; undefined when the variable is unset.
 * Every section's loader takes what this returns, so the file is read once per configuration.
 */
export function connectionsFileOf(env: Env, cwd: string): ConnectionsFile | undefined {
  return env.TRACKBRIDGE_CONNECTIONS
    ? readConnectionsFile(path.resolve(cwd, env.TRACKBRIDGE_CONNECTIONS))
    : undefined;
}

export function loadConnections(env: Env, file: ConnectionsFile | undefined): TrackerConnection[] {
  const connections: TrackerConnection[] = [];
  if (env.TRACKER_TYPE || env.TRACKER_URL || env.TRACKER_TOKEN) {
    connections.push(connectionFromEnv(env));
  }
  if (file) connections.push(...connectionsFromFile(file, env));
  const names = new Set<string>();
  for (const connection of connections) {
    if (names.has(connection.name)) {
      throw new ServerConfigError(`tracker connection "${connection.name}" is defined twice`);
    }
    names.add(connection.name);
  }
  return connections;
}

export function connectionFromEnv(env: Env): TrackerConnection {
  const type = env.TRACKER_TYPE;
  if (!isTrackerType(type)) {
    throw new ServerConfigError(`TRACKER_TYPE must be ${typesInWords()} (got "${type ?? ""}")`);
  }
  const kind = kindOf(type);
  const own = kind.connection.credentials !== "none";
  // A kind acting as the App (GitHub Projects) lives on the App's GitHub: its issue pages are there.
  const url = own
    ? trackerUrl(required(env, "TRACKER_URL"), "TRACKER_URL")
    : githubUrls(env).webUrl;
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

export function readConnectionsFile(file: string): ConnectionsFile {
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
export function loadChannels(env: Env, file: ConnectionsFile | undefined): NotifyChannel[] {
  if (!file) return [];
  const slackApi = env.TRACKBRIDGE_SLACK_API_URL || "https://slack.com/api/";
  const telegramApi = env.TRACKBRIDGE_TELEGRAM_API_ROOT || "https://api.telegram.org";
  return Object.entries(file.channels).map(([name, entry]) => {
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

export function connectionsFromFile(file: ConnectionsFile, env: Env): TrackerConnection[] {
  return Object.entries(file.connections).map(([name, entry]) =>
    withoutUndefined({
      name,
      type: entry.type,
      // Only a kind acting as the App (GitHub Projects) has none: the App's GitHub is its home.
      url:
        entry.url === undefined
          ? githubUrls(env).webUrl
          : trackerUrl(entry.url, `connection "${name}" url`),
      token:
        entry.token === undefined ? "" : secret(env, entry.token, `connection "${name}" token`),
      webhookSecret:
        entry.webhook_secret &&
        secret(env, entry.webhook_secret, `connection "${name}" webhook_secret`),
      webhookSecretFrom: entry.webhook_secret && describeSecretRef(entry.webhook_secret),
      ...kindFields(kindOf(entry.type), entry),
      concurrency: entry.concurrency,
      people: entry.people,
    }),
  );
}

/** The kind's TRACKER_* variables, checked by its schema; an error names the variable. */
export function kindFieldsFromEnv(kind: TrackerKind, env: Env): KindFields {
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
export function kindFields(kind: TrackerKind, entry: Record<string, unknown>): KindFields {
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

export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
