/** The App as a real child process (`src/server/main.ts`, as `npm start` runs it), for kill tests. */
import { type ChildProcess, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { startArgs, startEnv } from "../../scripts/start-command.js";
import { openSqliteStore } from "../../src/delivery/open-store.js";
import type { SimPullRequest } from "../../src/simulators/github/index.js";
import {
  startTestbed,
  type Testbed,
  type TestbedOptions,
} from "../../src/simulators/scenario/testbed.js";
import type { SimWorkflow } from "../../src/simulators/shared/workflow.js";
import { openPr } from "./world.js";

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A child App's environment: nothing inherited but PATH, HOME and Node's own options, which
 * carry the Node 24 run's addon hook (scripts/node24.mjs) into the child.
 */
export function childEnv(env: Record<string, string>): Record<string, string> {
  const { PATH = "", HOME = "", NODE_OPTIONS } = process.env;
  return { PATH, HOME, ...(NODE_OPTIONS ? { NODE_OPTIONS } : {}), ...env };
}

export interface AppProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  exited: Promise<number | null>;
}

export async function startAppProcess(
  env: Record<string, string>,
  port: number,
): Promise<AppProcess> {
  const child = spawn(process.execPath, startArgs(), {
    env: childEnv({ ...startEnv(), ...env, PORT: String(port), HOST: "127.0.0.1" }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  // Generous: a child App compiles its TypeScript through tsx on start, which takes long on a loaded 2-core machine.
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the App exited ${child.exitCode}: ${output}`);
    if (Date.now() > deadline) throw new Error(`the App did not start: ${output}`);
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, url, output: () => output, exited };
}

export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * A testbed whose App runs as a child process on `port`: short job leases so a killed run's
 * work is taken over quickly, GitHub's webhooks pointed at the port.
 */
export async function startProcessTestbed(
  extraEnv: Record<string, string>,
  tracker?: TestbedOptions["tracker"],
): Promise<{ bed: Testbed; port: number }> {
  const bed = await startTestbed({
    ...(tracker ? { tracker } : {}),
    withoutServer: true,
    extraEnv: { TRACKBRIDGE_JOB_LEASE_SECONDS: "2", ...extraEnv },
  });
  const port = await freePort();
  bed.github.configureWebhooks({
    url: `http://127.0.0.1:${port}/api/github/webhooks`,
    secret: bed.webhookSecret,
  });
  return { bed, port };
}

/** A connections file naming one Jira Cloud connection, `jira`, with this people map. */
export function jiraConnectionsFile(people: Record<string, string>): (url: string) => string {
  const map = Object.entries(people).map(([login, account]) => `      ${login}: ${account}\n`);
  return (url) => `connections:
  jira:
    type: jira
    url: ${url}
    email: bot@example.com
    token: { env: JIRA_TOKEN }
    people:
${map.join("")}`;
}

/**
 * A child App whose Jira connection comes from the connections file at `file`, not from the
 * testbed's TRACKER_* variables (blanked); the file's `{ env: JIRA_TOKEN }` is the simulator's
 * token. The simulator's URL is known only once the testbed listens, so the file names a closed
 * port until then; the App reads it once, at its start. `repoConfig` is the repo's
 * .github/trackbridge.yml; `env` goes to the testbed and the App, `appEnv` to the App alone.
 */
export async function startJiraConnectionsApp(options: {
  file: string;
  connections: (jiraUrl: string) => string;
  repoConfig: string;
  env?: Record<string, string>;
  appEnv?: Record<string, string>;
}): Promise<{ bed: Testbed; app: AppProcess }> {
  writeFileSync(options.file, options.connections("http://127.0.0.1:9"));
  const { bed, port } = await startProcessTestbed(
    {
      TRACKER_TYPE: "",
      TRACKER_URL: "",
      TRACKER_TOKEN: "",
      TRACKER_EMAIL: "",
      TRACKBRIDGE_CONNECTIONS: options.file,
      JIRA_TOKEN: "not-yet",
      ...options.env,
    },
    "jira",
  );
  try {
    writeFileSync(options.file, options.connections(bed.tracker.url));
    bed.github.setFile(bed.owner, bed.repo, ".github/trackbridge.yml", options.repoConfig);
    const env = { ...bed.env, JIRA_TOKEN: bed.trackerToken, ...options.appEnv };
    return { bed, app: await startAppProcess(env, port) };
  } catch (error) {
    await bed.close();
    throw error;
  }
}

/** Jobs, deliveries and reports not yet finished, read from the App's SQLite file. */
export async function outstanding(bed: Testbed): Promise<number> {
  const store = await openSqliteStore({ path: bed.config.databasePath });
  try {
    return await store.countOutstanding();
  } finally {
    await store.close();
  }
}

/**
 * How many deliveries of `event` the App's SQLite file holds: what a refused call must leave
 * unchanged (a stored job would reach the tracker only later, so its requests cannot tell).
 */
export async function storedDeliveries(dbPath: string, event: string): Promise<number> {
  const store = await openSqliteStore({ path: dbPath });
  try {
    const all = await store.listDeliveries({ limit: 1000 });
    return all.filter((d) => d.event === event).length;
  } finally {
    await store.close();
  }
}

/**
 * The fault run's start: a child App (no redelivery sweep during the run) with one PR per key
 * from `feature/<key>-x`, numbered from `firstPr`, and a tracker that answers 503 ten times,
 * then 429 with Retry-After `rateLimited` times, each answer 20 ms late.
 */
export async function startFaultRun(options: {
  keys: string[];
  firstPr: number;
  rateLimited: number;
  workflow?: SimWorkflow;
}): Promise<{ bed: Testbed; port: number; prs: SimPullRequest[]; app: AppProcess }> {
  const { bed, port } = await startProcessTestbed({
    TRACKBRIDGE_REDELIVERY_INTERVAL_SECONDS: "3600",
    LOG_LEVEL: "warn",
  });
  try {
    if (options.workflow) bed.tracker.setWorkflow(options.workflow);
    const prs = options.keys.map((key, i) => {
      bed.tracker.createIssue(key);
      return openPr(bed, { number: options.firstPr + i, branch: `feature/${key}-x`, title: key });
    });
    bed.tracker.injectFaults({ status: 503, count: 10 });
    bed.tracker.injectFaults({ status: 429, count: options.rateLimited, retryAfterSeconds: 1 });
    bed.tracker.setLatency(20);
    return { bed, port, prs, app: await startAppProcess(bed.env, port) };
  } catch (error) {
    await bed.close();
    throw error;
  }
}

/** SIGKILLs the App while its jobs are still retrying the tracker's 503s. */
export async function killWhileRetrying(bed: Testbed, app: AppProcess): Promise<void> {
  await waitFor(() => bed.tracker.requests.some((r) => r.status === 503));
  app.child.kill("SIGKILL");
  await app.exited;
}
