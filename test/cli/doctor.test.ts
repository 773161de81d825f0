/**
 * `trackbridge doctor` against the GitHub, Yandex Tracker and Jira simulators on loopback:
 * all green, then each failure it can report, one at a time. Every run also proves that no
 * secret reaches stdout or stderr.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { openSqliteStore } from "../../src/delivery/open-store.js";
import type { DoctorCheck } from "../../src/doctor/check.js";
import type { GitHubSimulator } from "../../src/simulators/github/index.js";
import { type JiraSimulator, startJiraSimulator } from "../../src/simulators/jira/index.js";
import { startYandexSimulator, type YandexSimulator } from "../../src/simulators/yandex/index.js";
import { postgresDb, postgresUrl } from "../delivery/helpers.js";
import { childEnv, freePort } from "../e2e/app-process.js";
import { type GitHubAppSetup, startGitHubApp } from "../helpers/github-app.js";
import { appKeyPair } from "../simulators/github-fixtures.js";
import { runDoctor } from "./helpers/doctor.js";
import { runBin } from "./helpers/run-bin.js";

const APP_ID = 4242;
const YANDEX_TOKEN = "y0_doctor-yandex-token-0001";
const JIRA_TOKEN = "ATATT-doctor-jira-token-0002";
const JIRA_EMAIL = "bot@acme.test";
const WEBHOOK_SECRET = "doctor-webhook-secret-0003";

let app: GitHubAppSetup;
let github: GitHubSimulator;
let yandex: YandexSimulator;
let jira: JiraSimulator;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  app = await startGitHubApp({
    appId: APP_ID,
    webhookSecret: WEBHOOK_SECRET,
    prefix: "trackbridge-doctor-",
  });
  ({ github, dir } = app);
  yandex = await startYandexSimulator({ token: YANDEX_TOKEN, orgId: "360" });
  jira = await startJiraSimulator({ email: JIRA_EMAIL, token: JIRA_TOKEN, apiVersion: 3 });
  writeFileSync(
    path.join(dir, "connections.yml"),
    `connections:\n  jira:\n    type: jira\n    url: ${jira.url}\n    email: ${JIRA_EMAIL}\n    token: { env: JIRA_TOKEN }\n`,
  );
  env = {
    ...app.env,
    TRACKER_TYPE: "yandex",
    TRACKER_URL: yandex.url,
    TRACKER_TOKEN: YANDEX_TOKEN,
    TRACKER_ORG_ID: "360",
    TRACKBRIDGE_CONNECTIONS: path.join(dir, "connections.yml"),
    JIRA_TOKEN,
  };
});

afterEach(() => {
  for (const sim of [yandex, jira]) sim.reset();
  jira.setRateLimit(null);
});

afterAll(async () => {
  await Promise.all([app.close(), yandex.close(), jira.close()]);
});

/** Every value that must never be printed; the PEM line by line too. */
function secrets(): string[] {
  return [
    YANDEX_TOKEN,
    JIRA_TOKEN,
    WEBHOOK_SECRET,
    Buffer.from(`${JIRA_EMAIL}:${JIRA_TOKEN}`).toString("base64"),
    ...app.pemLines(),
  ];
}

/** `doctor --json` and `doctor` in-process with `env` and `overrides`; no secret printed. */
const doctor = (overrides: Record<string, string | undefined> = {}) =>
  runDoctor({ ...env, ...overrides }, secrets());

function failed(checks: DoctorCheck[]): string[] {
  return checks.filter((c) => c.status === "fail").map((c) => c.name);
}

/** A queue and a project the tokens can see (the simulators are reset after each test). */
const seedIssues = () => {
  yandex.createIssue("PROJ-1");
  jira.createIssue("OPS-1");
};

describe("trackbridge doctor", () => {
  it("all well: exit 0, one ✓ line per check, --json lists them", async () => {
    seedIssues();
    const result = await doctor();
    expect(result.code).toBe(0);
    expect(result.ok).toBe(true);
    expect(result.checks.map((c) => [c.name, c.status])).toEqual([
      ["GitHub App", "ok"],
      ["webhook secret", "ok"],
      ["configuration", "ok"],
      ["store", "ok"],
      ["tracker yandex: reachable", "ok"],
      ["tracker yandex: token", "ok"],
      ["tracker yandex: organization", "ok"],
      ["tracker yandex: workflows", "ok"],
      ["tracker yandex: rate limit", "ok"],
      ["tracker yandex: capabilities", "ok"],
      ["tracker jira: reachable", "ok"],
      ["tracker jira: token", "ok"],
      ["tracker jira: workflows", "ok"],
      ["tracker jira: rate limit", "ok"],
      ["tracker jira: capabilities", "ok"],
    ]);
    // Each connection's capability table, from its kind's declaration.
    expect(result.check("tracker yandex: capabilities").detail).toMatch(
      /^Yandex Tracker: native: read an issue and its status category, .*; emulated: link the PR once \(no web links for arbitrary URLs: .*\)/,
    );
    expect(result.check("tracker jira: capabilities").detail).toMatch(
      /^Jira (Cloud|Data Center): native: /,
    );
    expect(result.human).toContain("✓ tracker yandex: capabilities: Yandex Tracker: native: ");
    expect(result.check("GitHub App").detail).toContain(`App ID ${APP_ID}`);
    expect(result.check("store").detail).toMatch(/does not exist yet; the server creates it/);
    // doctor changes nothing: the server creates the store at start.
    expect(existsSync(env.TRACKBRIDGE_DB!)).toBe(false);
    expect(result.check("tracker yandex: workflows").detail).toMatch(
      /read the workflow of PROJ \(Task\): \d+ statuses/,
    );
    expect(result.check("tracker jira: workflows").detail).toMatch(
      /read the workflow of OPS \(Task\)/,
    );
    expect(result.humanCode).toBe(0);
    expect(result.human).toContain("✓ GitHub App: ");
    expect(result.human).toContain("✓ tracker jira: token: accepted: Robot");
    expect(result.human.trimEnd().endsWith("All well.")).toBe(true);
    expect(result.humanStderr).toBe("");
    // The App's JWT went to GET /app.
    expect(
      github.requests.some(
        (r) => r.path === "/app" && r.status === 200 && r.auth?.scheme === "bearer",
      ),
    ).toBe(true);
  });

  it("a private key of another App: GET /app answers 401, exit 1 with the fix", async () => {
    const other = path.join(dir, "other.pem");
    writeFileSync(other, appKeyPair().privateKey);
    const result = await doctor({ PRIVATE_KEY_PATH: other });
    expect(result.code).toBe(1);
    expect(failed(result.checks)).toEqual(["GitHub App"]);
    expect(result.check("GitHub App").detail).toMatch(/refused the App's JWT \(401\)/);
    expect(result.human).toMatch(/✗ GitHub App: .*\n {4}fix: check that APP_ID is the App's ID/);
    expect(result.humanStderr).toBe("trackbridge: doctor: 1 check(s) failed\n");
  });

  it("a wrong APP_ID: 401 too", async () => {
    const result = await doctor({ APP_ID: "999" });
    expect(result.code).toBe(1);
    expect(failed(result.checks)).toEqual(["GitHub App"]);
    expect(result.check("GitHub App").detail).toMatch(/\(401\).*'Issuer' claim/);
  });

  it("a private key that is not a key, and no key at all", async () => {
    const garbage = await doctor({
      PRIVATE_KEY_PATH: undefined,
      PRIVATE_KEY: "not-a-pem-at-all-0004",
    });
    expect(garbage.code).toBe(1);
    expect(garbage.check("GitHub App").detail).toMatch(/no usable private key/);
    expect(garbage.check("GitHub App").fix).toMatch(/set PRIVATE_KEY_PATH to the downloaded .pem/);
    const none = await doctor({ PRIVATE_KEY_PATH: undefined });
    expect(none.check("GitHub App").detail).toMatch(/no usable private key/);
    expect(garbage.human + garbage.json).not.toContain("not-a-pem-at-all");
  });

  it("a GitHub that does not answer", async () => {
    const port = await freePort();
    const result = await doctor({ GHE_HOST: `127.0.0.1:${port}` });
    expect(failed(result.checks)).toEqual(["GitHub App"]);
    expect(result.check("GitHub App").fix).toMatch(/127\.0\.0\.1:\d+\/api\/v3 is reachable/);
  });

  it("a missing webhook secret fails its own line, the rest is still checked", async () => {
    seedIssues();
    const result = await doctor({ WEBHOOK_SECRET: undefined });
    expect(result.code).toBe(1);
    expect(failed(result.checks)).toEqual(["webhook secret"]);
    expect(result.check("webhook secret").fix).toMatch(/GitHub App's settings/);
    expect(result.check("tracker jira: workflows").status).toBe("ok");
  });

  it("an SQLite path that cannot be created", async () => {
    const file = path.join(dir, "a-file");
    writeFileSync(file, "x");
    const result = await doctor({ TRACKBRIDGE_DB: path.join(file, "trackbridge.db") });
    expect(result.code).toBe(1);
    expect(failed(result.checks)).toEqual(["store"]);
    expect(result.check("store").detail).toMatch(/cannot be created: .*a-file is not a directory/);
    expect(result.check("store").fix).toMatch(/TRACKBRIDGE_DB/);
  });

  it("an SQLite store: up to date, or migrated by a newer trackbridge", async () => {
    const file = path.join(dir, "existing", "trackbridge.db");
    await (await openSqliteStore({ path: file })).close();
    const current = await doctor({ TRACKBRIDGE_DB: file });
    expect(current.check("store")).toMatchObject({ status: "ok" });
    expect(current.check("store").detail).toMatch(/is writable, schema up to date/);

    const db = new Database(file);
    db.prepare(
      "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'x', 'now')",
    ).run();
    db.close();
    const newer = await doctor({ TRACKBRIDGE_DB: file });
    expect(newer.code).toBe(1);
    expect(failed(newer.checks)).toEqual(["store"]);
    expect(newer.check("store").detail).toMatch(
      /migrated by a newer trackbridge \(schema versions 999/,
    );
  });

  it("an SQLite store a running server is writing to: ok, and doctor never takes the write lock", async () => {
    const file = path.join(dir, "busy", "trackbridge.db");
    await (await openSqliteStore({ path: file })).close();
    const server = new Database(file);
    try {
      // A server's write transaction in progress: doctor must neither wait for it nor fail.
      server.prepare("BEGIN IMMEDIATE").run();
      const result = await doctor({ TRACKBRIDGE_DB: file });
      expect(result.check("store")).toMatchObject({ status: "ok" });
      expect(result.check("store").detail).toMatch(/is writable, schema up to date/);
      server.prepare("COMMIT").run();
    } finally {
      server.close();
    }
  });

  it("a PostgreSQL server that does not answer; its password is not printed", async () => {
    const port = await freePort();
    const password = "pg-secret-password-0007";
    const result = await doctor({
      TRACKBRIDGE_DATABASE_URL: `postgres://trackbridge:${password}@127.0.0.1:${port}/trackbridge`,
    });
    expect(result.code).toBe(1);
    expect(failed(result.checks)).toEqual(["store"]);
    expect(result.check("store").detail).toMatch(/PostgreSQL does not answer/);
    expect(result.check("store").fix).toMatch(/TRACKBRIDGE_DATABASE_URL/);
    expect(result.json + result.human + result.humanStderr).not.toContain(password);
  });

  describe.skipIf(!postgresUrl)("PostgreSQL (TEST_DATABASE_URL)", () => {
    const schemas: Array<Awaited<ReturnType<typeof postgresDb>>> = [];
    afterAll(async () => {
      for (const schema of schemas) await schema.cleanup();
    });
    /** A fresh schema, and the store URL that points the server at it. */
    async function schemaUrl() {
      const test = await postgresDb(postgresUrl!);
      schemas.push(test);
      const url = new URL(postgresUrl!);
      url.searchParams.set("options", `-c search_path=${test.schema}`);
      return { test, url: url.href };
    }

    it("empty: the server will create the schema; migrated: up to date", async () => {
      const { test, url } = await schemaUrl();
      const empty = await doctor({ TRACKBRIDGE_DATABASE_URL: url });
      expect(empty.check("store")).toMatchObject({ status: "ok" });
      expect(empty.check("store").detail).toMatch(
        /PostgreSQL is empty; the server creates the schema/,
      );
      await test.open();
      const migrated = await doctor({ TRACKBRIDGE_DATABASE_URL: url });
      expect(migrated.check("store").detail).toBe("PostgreSQL is writable, schema up to date");
    });

    it("a schema from a newer trackbridge, and tables that are not trackbridge's", async () => {
      const newer = await schemaUrl();
      await newer.test.open();
      await newer.test.rows(
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'x', 'now')",
      );
      const result = await doctor({ TRACKBRIDGE_DATABASE_URL: newer.url });
      expect(result.code).toBe(1);
      expect(failed(result.checks)).toEqual(["store"]);
      expect(result.check("store").detail).toMatch(/migrated by a newer trackbridge/);

      const foreign = await schemaUrl();
      await foreign.test.rows("CREATE TABLE deliveries (id TEXT PRIMARY KEY)");
      const other = await doctor({ TRACKBRIDGE_DATABASE_URL: foreign.url });
      expect(other.code).toBe(1);
      expect(other.check("store").detail).toMatch(/not a trackbridge schema/);
    });
  });

  it("an invalid server setting is named, and what depends on it is skipped", async () => {
    const result = await doctor({ TRACKER_TYPE: "nope" });
    expect(result.code).toBe(1);
    expect(result.check("configuration").detail).toMatch(/TRACKER_TYPE must be/);
    const none = await doctor({
      TRACKER_TYPE: undefined,
      TRACKER_URL: undefined,
      TRACKER_TOKEN: undefined,
      TRACKBRIDGE_CONNECTIONS: undefined,
    });
    expect(none.code).toBe(1);
    expect(none.check("configuration")).toMatchObject({
      status: "fail",
      detail: "no tracker connection",
    });
    expect(result.check("store").status).toBe("skip");
  });

  it("a tracker that does not answer", async () => {
    const port = await freePort();
    const result = await doctor({ TRACKER_URL: `http://127.0.0.1:${port}` });
    expect(result.code).toBe(1);
    expect(failed(result.checks)).toEqual(["tracker yandex: reachable"]);
    expect(result.check("tracker yandex: reachable").fix).toMatch(/TRACKER_URL/);
    expect(result.check("tracker yandex: token").status).toBe("skip");
    expect(result.check("tracker jira: token").status).toBe("ok");
  });

  it("a tracker error that echoes the token is printed without it", async () => {
    yandex.injectFaults({
      status: 500,
      count: 2,
      body: { errorMessages: [`upstream said: bad header OAuth ${YANDEX_TOKEN}`], errors: {} },
    });
    const result = await doctor();
    expect(result.code).toBe(1);
    expect(result.check("tracker yandex: reachable").detail).toContain("[REDACTED]");
    expect(result.check("tracker yandex: reachable").fix).toMatch(/answers with a server error/);
  });

  it("a refused token", async () => {
    const result = await doctor({ JIRA_TOKEN: "ATATT-wrong-token-0005" });
    expect(result.code).toBe(1);
    expect(failed(result.checks)).toEqual(["tracker jira: token"]);
    expect(result.check("tracker jira: token").detail).toMatch(/rejected \(401\)/);
    expect(result.check("tracker jira: token").fix).toMatch(/TRACKER_EMAIL .*API token/);
    expect(result.check("tracker jira: workflows").status).toBe("skip");
  });

  it("a wrong Yandex organization id", async () => {
    const result = await doctor({ TRACKER_ORG_ID: "361" });
    expect(result.code).toBe(1);
    expect(failed(result.checks)).toEqual(["tracker yandex: organization"]);
    expect(result.check("tracker yandex: organization").detail).toMatch(
      /Organization is not available/,
    );
    expect(result.check("tracker yandex: organization").fix).toMatch(/TRACKER_ORG_ID/);
  });

  it("no permission to read workflows, on each tracker", async () => {
    seedIssues();
    yandex.setWorkflowApi(false);
    jira.setWorkflowApi(false);
    const result = await doctor();
    expect(result.code).toBe(1);
    expect(failed(result.checks)).toEqual(["tracker yandex: workflows", "tracker jira: workflows"]);
    expect(result.check("tracker yandex: workflows").detail).toMatch(/lacks permission .*\(403\)/);
    expect(result.check("tracker jira: workflows").fix).toMatch(/View \(read-only\) workflow/);
  });

  it("a token that sees no queue cannot try a workflow: a warning, not a failure", async () => {
    const result = await doctor();
    expect(result.code).toBe(0);
    expect(result.check("tracker yandex: workflows").status).toBe("warn");
    expect(result.check("tracker yandex: workflows").detail).toMatch(/sees no queue/);
  });

  it("Jira Data Center needs no workflow permission", async () => {
    const dc = await startJiraSimulator({ token: JIRA_TOKEN, apiVersion: 2 });
    try {
      const file = path.join(dir, "dc.yml");
      writeFileSync(
        file,
        `connections:\n  dc:\n    type: jira\n    url: ${dc.url}\n    token: { env: JIRA_TOKEN }\n`,
      );
      dc.setWorkflowApi(false);
      const result = await doctor({ TRACKBRIDGE_CONNECTIONS: file });
      expect(result.check("tracker dc: workflows")).toMatchObject({ status: "ok" });
      expect(result.check("tracker dc: workflows").detail).toMatch(
        /Data Center has no workflow API/,
      );
    } finally {
      await dc.close();
    }
  });

  it("a low rate limit is a warning (exit 0); a spent one fails", async () => {
    seedIssues();
    jira.setRateLimit({ limit: 100, remaining: 7 });
    const low = await doctor();
    expect(low.code).toBe(0);
    expect(low.check("tracker jira: rate limit")).toMatchObject({
      status: "warn",
      detail: "7 of 100 requests left",
    });
    expect(low.human).toMatch(/! tracker jira: rate limit: 7 of 100 requests left\n {4}fix: /);
    expect(low.human).toContain("0 failed, 1 warning(s).");

    jira.setRateLimit({ limit: 100, remaining: 80 });
    expect((await doctor()).check("tracker jira: rate limit")).toMatchObject({
      status: "ok",
      detail: "80 of 100 requests left",
    });

    jira.injectFaults({ status: 429, count: 2, retryAfterSeconds: 30, pathIncludes: "/myself" });
    const spent = await doctor();
    expect(spent.code).toBe(1);
    expect(failed(spent.checks)).toEqual(["tracker jira: rate limit"]);
    expect(spent.check("tracker jira: token").status).toBe("skip");
  });

  it("reads .env as `npm start` does, in a real child process", async () => {
    seedIssues();
    const cwd = mkdtempSync(path.join(tmpdir(), "trackbridge-doctor-env-"));
    try {
      const lines = Object.entries({ ...env, TRACKBRIDGE_DB: path.join(cwd, "tb.db") }).map(
        ([k, v]) => `${k}=${v}`,
      );
      writeFileSync(path.join(cwd, ".env"), `${lines.join("\n")}\n`);
      const result = await runBin(["doctor"], "", { cwd, env: childEnv({}) });
      for (const secret of secrets()) expect(result.stdout + result.stderr).not.toContain(secret);
      expect(result.stdout).toContain("All well.");
      expect(result.code).toBe(0);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
