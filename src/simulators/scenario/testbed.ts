/**
 * A whole trackbridge world on loopback: the GitHub simulator, a tracker simulator, and the
 * real App server pointed at both through its ordinary environment variables. The demo,
 * the end-to-end tests and the benchmarks all start from here.
 */

import { generateKeyPairSync, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Logger } from "pino";
import { loadServerConfig, type ServerConfig } from "../../config/server-config.js";
import type { WorkerPolicy } from "../../delivery/outbox-worker.js";
import { type RunningServer, startServer } from "../../server/server.js";
import { createLogger } from "../../telemetry/logger.js";
import { serverSecrets } from "../../telemetry/secrets.js";
import { type GitHubSimulator, type SimRepository, startGitHubSimulator } from "../github/index.js";
import { projectsAsTracker } from "../github-projects/tracker-view.js";
import { startJiraSimulator } from "../jira/index.js";
import { startLinearSimulator } from "../linear/index.js";
import { startRedmineSimulator } from "../redmine/index.js";
import { startRequestTrackerSimulator } from "../request-tracker/index.js";
import type { TrackerSimulator } from "../shared/admin.js";
import { startYandexSimulator } from "../yandex/index.js";
import { startYouTrackSimulator } from "../youtrack/index.js";

export const APP_ID = 4242;
export const INSTALLATION_ID = 77;

export interface TestbedOptions {
  tracker?:
    | "yandex"
    | "jira"
    | "linear"
    | "youtrack"
    | "redmine"
    | "request-tracker"
    | "github-projects";
  /** `.github/trackbridge.yml` written to the repository; null writes none. */
  repoConfig?: string | null;
  logLevel?: string;
  /** Where log lines go; defaults to a sink that drops them. */
  logDestination?: NodeJS.WritableStream;
  workerPolicy?: Partial<WorkerPolicy>;
  /** Reuse a database file (restarts); a temp dir is used otherwise. */
  databasePath?: string;
  extraEnv?: Record<string, string>;
  /** Check-run writes per commit within this window are coalesced (200 ms here; 1 s in production). */
  checkRunWindowMs?: number;
  /** Start without the App (a test that runs it as a child process). */
  withoutServer?: boolean;
}

export interface Testbed {
  github: GitHubSimulator;
  tracker: TrackerSimulator;
  server: RunningServer | undefined;
  config: ServerConfig;
  env: Record<string, string>;
  log: Logger;
  repository: SimRepository;
  owner: string;
  repo: string;
  webhookSecret: string;
  trackerToken: string;
  privateKey: string;
  /**
   * Restarts the App on the same database (after a crash or stop); `reloadConfig` reads the
   * configuration again, as a restart after an operator edited the connections file does.
   */
  restart(options?: { reloadConfig?: boolean }): Promise<RunningServer>;
  close(): Promise<void>;
}

export const DEFAULT_REPO_CONFIG = `keys:
  projects: [PROJ]
statuses:
  opened: inProgress
  draft: open
  ready: inReview
  approved: readyForTest
  changes_requested: needsImprovement
  merged: closed
  closed: open
protect: [closed]
bench:
  field: benchLink
`;

/**
 * The same life on Linear: its statuses are a team's workflow states, named by their names
 * (a state's key is a UUID), and the bench URL becomes a link attachment titled "Bench link".
 */
export const LINEAR_REPO_CONFIG = `keys:
  projects: [PROJ]
statuses:
  opened: In progress
  draft: Open
  ready: In review
  approved: Ready for test
  changes_requested: Needs improvement
  merged: Closed
  closed: Open
protect: [Closed]
bench:
  field: Bench link
`;

/**
 * The same life on YouTrack: states named by their names, the bench URL in the "Bench link"
 * text field. YouTrack lists no transitions, so the config names the statuses a move passes
 * through where the workflow needs it (`routes:`), as on Jira Data Center.
 */
export const YOUTRACK_REPO_CONFIG = LINEAR_REPO_CONFIG.replace(
  "bench:\n",
  "routes:\n  Ready for test: [In review]\n  Needs improvement: [In review]\nbench:\n",
);

/**
 * The same life on Redmine: keys are the connection's prefix and the issue number (RM-7; no
 * project allow-list), statuses are named by name (their ids are numbers), the bench URL goes
 * to the custom field "Bench link".
 */
export const REDMINE_REPO_CONFIG = LINEAR_REPO_CONFIG.replace("keys:\n  projects: [PROJ]\n", "");

/** On Request Tracker's default lifecycle (new, open, stalled, resolved, rejected): RT-7. */
export const REQUEST_TRACKER_REPO_CONFIG = `statuses:
  opened: open
  changes_requested: open
  approved: stalled
  merged: resolved
  closed: rejected
protect: [resolved, rejected]
bench:
  field: Bench link
`;

const REPO_CONFIGS: Partial<Record<NonNullable<TestbedOptions["tracker"]>, string>> = {
  // Keys are the PR's GitHub issues (#123); statuses the Status options, by name.
  "github-projects": REDMINE_REPO_CONFIG,
  linear: LINEAR_REPO_CONFIG,
  youtrack: YOUTRACK_REPO_CONFIG,
  redmine: REDMINE_REPO_CONFIG,
  "request-tracker": REQUEST_TRACKER_REPO_CONFIG,
};

/** The repository config a testbed writes by default for each tracker. */
export function defaultRepoConfig(tracker: TestbedOptions["tracker"]): string {
  return (tracker && REPO_CONFIGS[tracker]) ?? DEFAULT_REPO_CONFIG;
}

export async function startTestbed(options: TestbedOptions = {}): Promise<Testbed> {
  const kind = options.tracker ?? "yandex";
  const { privateKey, publicKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  const webhookSecret = `whsec-${randomBytes(12).toString("hex")}`;
  const trackerToken = `tok-${randomBytes(16).toString("hex")}`;
  const github = await startGitHubSimulator({ appId: APP_ID, publicKey });
  // A GitHub project is served by the GitHub simulator itself, through the App's installation.
  const tracker =
    kind === "github-projects"
      ? projectsAsTracker(github)
      : await startTrackerSimulator(kind, trackerToken);

  const owner = "acme";
  const repo = "web";
  const repository = github.addRepo({ owner, name: repo, installationId: INSTALLATION_ID });
  const repoConfig =
    options.repoConfig === undefined ? defaultRepoConfig(kind) : options.repoConfig;
  if (repoConfig !== null) github.setFile(owner, repo, ".github/trackbridge.yml", repoConfig);

  const ownDir = options.databasePath
    ? undefined
    : mkdtempSync(path.join(tmpdir(), "trackbridge-"));
  const ghe = new URL(github.url);
  const env: Record<string, string> = {
    APP_ID: String(APP_ID),
    PRIVATE_KEY: privateKey,
    WEBHOOK_SECRET: webhookSecret,
    GHE_HOST: ghe.host,
    GHE_PROTOCOL: "http",
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: options.logLevel ?? "warn",
    TRACKBRIDGE_DB: options.databasePath ?? path.join(ownDir!, "trackbridge.db"),
    TRACKBRIDGE_REDELIVERY_INTERVAL_SECONDS: "0",
    TRACKER_TYPE: kind,
    ...(kind === "github-projects"
      ? {}
      : { TRACKER_URL: tracker.url, TRACKER_TOKEN: trackerToken }),
    ...TRACKER_ENV[kind],
    ...options.extraEnv,
  };
  let config = loadServerConfig(env);
  // Built again with a reloaded config: a secret it adds (a new connection's token) is scrubbed too.
  const createAppLogger = () =>
    createLogger({
      level: env.LOG_LEVEL!,
      secrets: serverSecrets(env, config),
      destination: options.logDestination ?? discard(),
    });
  let log = createAppLogger();
  const start = () =>
    startServer({
      config,
      env,
      log,
      trackerTimeoutMs: 5_000,
      githubThrottle: false,
      checkRunWindowMs: options.checkRunWindowMs ?? 200,
      workerPolicy: { baseMs: 50, capMs: 2_000, ...options.workerPolicy },
    });
  let server = options.withoutServer ? undefined : await start();
  if (server)
    github.configureWebhooks({ url: `${server.url}${config.webhookPath}`, secret: webhookSecret });

  return {
    github,
    tracker,
    get server() {
      return server;
    },
    get config() {
      return config;
    },
    env,
    get log() {
      return log;
    },
    repository,
    owner,
    repo,
    webhookSecret,
    trackerToken,
    privateKey,
    async restart(options = {}) {
      await server?.close({ timeoutMs: 1_000 }).catch(() => undefined);
      if (options.reloadConfig) {
        config = loadServerConfig(env);
        log = createAppLogger();
      }
      server = await start();
      github.configureWebhooks({
        url: `${server.url}${config.webhookPath}`,
        secret: webhookSecret,
      });
      return server;
    },
    async close() {
      await server?.close({ timeoutMs: 1_000 });
      await github.close();
      await tracker.close();
      if (ownDir) rmSync(ownDir, { recursive: true, force: true });
    },
  } as Testbed;
}

async function startTrackerSimulator(
  kind: Exclude<NonNullable<TestbedOptions["tracker"]>, "github-projects">,
  token: string,
): Promise<TrackerSimulator> {
  switch (kind) {
    case "yandex":
      return startYandexSimulator({ token, orgId: "4242" });
    case "linear":
      return startLinearSimulator({ token });
    case "youtrack":
      return startYouTrackSimulator({ token });
    case "redmine":
      return startRedmineSimulator({ token });
    case "request-tracker":
      return startRequestTrackerSimulator({ token });
    case "jira":
      return startJiraSimulator({ token, email: "bot@example.com", apiVersion: 3 });
  }
}

/** Each simulator's own connection settings. */
const TRACKER_ENV: Record<NonNullable<TestbedOptions["tracker"]>, Record<string, string>> = {
  yandex: { TRACKER_ORG_ID: "4242" },
  jira: { TRACKER_EMAIL: "bot@example.com" },
  linear: {},
  youtrack: {},
  redmine: { TRACKER_KEY_PREFIX: "RM" },
  "request-tracker": { TRACKER_KEY_PREFIX: "RT" },
  "github-projects": { TRACKER_PROJECT: "acme/1" },
};

function discard(): NodeJS.WritableStream {
  return { write: () => true } as unknown as NodeJS.WritableStream;
}
