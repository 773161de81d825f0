/**
 * What every part shares: the compiled server scripts, the simulators' process, the App's
 * key pair and secrets, a scratch folder, and how to start an App or a bare Probot server
 * in a process of its own.
 */
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startEnv, startHeapOptions } from "../../scripts/start-command.js";
import { APP_ID } from "../../src/simulators/scenario/testbed.js";
import { bundleServers, RESULTS_DIR, type ServerScript } from "./bundle.js";
import { Child } from "./ipc.js";

export interface SimulatorsReady {
  githubUrl: string;
  trackerUrl: string;
}

export interface ServerReady {
  port: number;
  path: string;
}

export interface BenchContext {
  scripts: Record<ServerScript, string>;
  sims: Child<SimulatorsReady>;
  simsReady: SimulatorsReady;
  webhookSecret: string;
  privateKey: string;
  trackerToken: string;
  /** Scratch space for databases; removed at the end. */
  scratch: string;
  /** Server logs go here (gitignored). */
  logDir: string;
  /** Next free PR / issue number in the simulators. */
  nextPr: number;
  /** Shorter runs (for trying the harness out); never used for RESULTS.md. */
  quick: boolean;
  say(message: string): void;
}

export interface RunningServer {
  child: Child<ServerReady>;
  url: string;
  /** The App's SQLite file (undefined for bare Probot). */
  databasePath?: string;
}

export async function createContext(options: {
  quick: boolean;
  say: (message: string) => void;
}): Promise<BenchContext> {
  const scripts = await bundleServers();
  const { privateKey, publicKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  const trackerToken = `tok-${randomBytes(16).toString("hex")}`;
  const logDir = path.join(RESULTS_DIR, "logs");
  rmSync(logDir, { recursive: true, force: true });
  mkdirSync(logDir, { recursive: true });
  const { child: sims, ready } = await Child.start<SimulatorsReady & { type: string }>(
    scripts.simulators,
    {
      env: { ...baseEnv(), BENCH_PUBLIC_KEY: publicKey, BENCH_TRACKER_TOKEN: trackerToken },
      logFile: path.join(logDir, "simulators.log"),
    },
  );
  return {
    scripts,
    sims,
    simsReady: { githubUrl: ready.githubUrl, trackerUrl: ready.trackerUrl },
    webhookSecret: `whsec-${randomBytes(12).toString("hex")}`,
    privateKey,
    trackerToken,
    scratch: mkdtempSync(path.join(tmpdir(), "trackbridge-bench-")),
    logDir,
    nextPr: 1,
    quick: options.quick,
    say: options.say,
  };
}

export async function closeContext(ctx: BenchContext): Promise<void> {
  await ctx.sims.stop();
  rmSync(ctx.scratch, { recursive: true, force: true });
}

/**
 * Seeds `count` new PRs with one Open issue each; returns their `pull_request` bodies, PR by
 * PR, one per action (default: `opened` only).
 */
export async function seedPullRequests(
  ctx: BenchContext,
  count: number,
  actions = ["opened"],
): Promise<string[]> {
  const from = ctx.nextPr;
  ctx.nextPr += count;
  const { bodies } = await ctx.sims.call<{ bodies: string[] }>("seed", { from, count, actions });
  return bodies;
}

/**
 * The real App, env-configured as in production, on a fresh database. With `profileDir`,
 * it runs under `node --cpu-prof` and writes its profile there when stopped. `extraEnv`
 * adds to or overrides the environment (TRACKBRIDGE_DATABASE_URL: PostgreSQL instead).
 */
export async function startApp(
  ctx: BenchContext,
  name: string,
  profileDir?: string,
  extraEnv: Record<string, string> = {},
): Promise<RunningServer> {
  const databasePath = path.join(ctx.scratch, `${name}.db`);
  const env = {
    // As npm start sets it (glibc's allocator arenas); a MALLOC_ARENA_MAX of the bench's own wins.
    ...startEnv(),
    ...baseEnv(),
    APP_ID: String(APP_ID),
    PRIVATE_KEY: ctx.privateKey,
    WEBHOOK_SECRET: ctx.webhookSecret,
    GHE_HOST: new URL(ctx.simsReady.githubUrl).host,
    GHE_PROTOCOL: "http",
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: "warn",
    TRACKBRIDGE_DB: databasePath,
    TRACKBRIDGE_REDELIVERY_INTERVAL_SECONDS: "0",
    TRACKER_TYPE: "yandex",
    TRACKER_URL: ctx.simsReady.trackerUrl,
    TRACKER_TOKEN: ctx.trackerToken,
    TRACKER_ORG_ID: "4242",
    ...(process.env.BENCH_WORKER_POLICY
      ? { BENCH_WORKER_POLICY: process.env.BENCH_WORKER_POLICY }
      : {}),
    ...extraEnv,
  };
  const { child, ready } = await Child.start<ServerReady>(ctx.scripts["app-server"], {
    env,
    // As npm start runs it: its heap options (semi-space, growth) hold for the bundle too.
    execArgv: [
      ...startHeapOptions(),
      ...(profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : []),
      // For a profiler outside the process, e.g. "--perf-basic-prof" for Linux perf.
      ...(process.env.BENCH_APP_FLAGS ? process.env.BENCH_APP_FLAGS.split(" ") : []),
    ],
    logFile: path.join(ctx.logDir, `${name}.log`),
  });
  return { child, url: `http://127.0.0.1:${ready.port}${ready.path}`, databasePath };
}

/** Bare Probot with a no-op handler: the floor the framework allows. */
export async function startBareProbot(ctx: BenchContext, name: string): Promise<RunningServer> {
  const env = {
    ...baseEnv(),
    APP_ID: String(APP_ID),
    PRIVATE_KEY: ctx.privateKey,
    WEBHOOK_SECRET: ctx.webhookSecret,
    LOG_LEVEL: "warn",
  };
  const { child, ready } = await Child.start<ServerReady>(ctx.scripts["bare-probot"], {
    env,
    logFile: path.join(ctx.logDir, `${name}.log`),
  });
  return { child, url: `http://127.0.0.1:${ready.port}${ready.path}` };
}

/**
 * Only what Node needs: the servers must not pick up the developer's own Probot or tracker
 * variables. MALLOC_ARENA_MAX passes through, to try other numbers of glibc's allocator
 * arenas than npm start's (bare Probot gets glibc's default: one more per thread).
 */
function baseEnv(): Record<string, string> {
  const env: Record<string, string> = { NODE_ENV: "production" };
  for (const name of ["PATH", "HOME", "TMPDIR", "TZ", "MALLOC_ARENA_MAX"]) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}
