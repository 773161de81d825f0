/**
 * `trackbridge init` against the Yandex Tracker and Jira (Cloud and Data Center) simulators
 * over real HTTP: the file it writes is read back the way the App reads it, every status it
 * names is found by the App's matcher among the tracker's statuses, it lists the guesses to
 * check, refuses to overwrite, and its errors say what to do without the token.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { findConnection } from "../../src/cli/connection-options.js";
import { statusMatches } from "../../src/core/match-status.js";
import { parseRepoConfig, type RepoConfig } from "../../src/core/repo-config.js";
import type { TrackerStatus } from "../../src/core/types.js";
import { startJiraSimulator } from "../../src/simulators/jira/index.js";
import type { TrackerSimulator } from "../../src/simulators/shared/admin.js";
import type { SimWorkflow } from "../../src/simulators/shared/workflow.js";
import { startYandexSimulator } from "../../src/simulators/yandex/index.js";
import { RUSSIAN_WORKFLOW, runInit, SOFTWARE_WORKFLOW } from "./helpers/init.js";

const TOKEN = "y0_init-secret-token-0123456789";
const EMAIL = "bot@acme.test";
const FILE = path.join(".github", "trackbridge.yml");

/** Read back as the App reads it (Probot's config plugin parses with `yaml`). */
function readConfig(text: string): RepoConfig {
  const parsed = parseRepoConfig(parseYaml(text));
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.config;
}

/** Each named status is exactly one of the tracker's, as the App's matcher sees it. */
function resolved(config: RepoConfig, statuses: readonly TrackerStatus[]): Record<string, string> {
  return Object.fromEntries(
    Object.entries(config.statuses).map(([event, target]) => {
      const found = statuses.filter((status) => statusMatches(status, target!));
      expect(found, `${event}: ${target}`).toHaveLength(1);
      return [event, found[0]!.display];
    }),
  );
}

function simStatuses(workflow: SimWorkflow, idsAsKeys: boolean): TrackerStatus[] {
  return workflow.statuses.map((s) => ({ key: idsAsKeys ? s.id : s.key, display: s.display }));
}

function expectNoSecret(...texts: string[]): void {
  for (const text of texts) {
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(Buffer.from(`${EMAIL}:${TOKEN}`).toString("base64"));
  }
}

describe("init (Yandex Tracker)", () => {
  let sim: TrackerSimulator;
  let env: Record<string, string>;
  let dir: string;

  beforeAll(async () => {
    sim = await startYandexSimulator({ token: TOKEN, orgId: "7001" });
    env = {
      TRACKER_TYPE: "yandex",
      TRACKER_URL: sim.url,
      TRACKER_TOKEN: TOKEN,
      TRACKER_ORG_ID: "7001",
    };
  });
  afterAll(() => sim.close());
  beforeEach(() => {
    sim.reset();
    sim.setWorkflow(RUSSIAN_WORKFLOW, "PROJ");
    dir = mkdtempSync(path.join(tmpdir(), "trackbridge-init-"));
    return () => rmSync(dir, { recursive: true, force: true });
  });

  it("writes a valid, commented file whose statuses the App finds, and lists what to check", async () => {
    const run = await runInit(env, dir, ["--connection", "yandex", "--queue", "PROJ"]);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    const text = readFileSync(path.join(dir, FILE), "utf8");
    const config = readConfig(text);
    expect(config.connection).toBe("yandex");
    expect(config.keys.projects).toEqual(["PROJ"]);
    expect(resolved(config, simStatuses(RUSSIAN_WORKFLOW, false))).toEqual({
      started: "В работе",
      draft: "В работе",
      opened: "Ревью",
      ready: "Ревью",
      changes_requested: "Требует доработки",
      approved: "Можно тестировать",
      merged: "Решен",
    });
    expect(text).toContain("on 2026-12-02");
    expect(text).toContain('tracker connection "yandex"');
    expect(text).toContain("#   needsImprovement: Требует доработки (in progress)");
    expect(text).toContain("# New issues start in Открыт.");
    expect(text).toContain("  # CHECK: uncomment to move it to Отменено");
    expect(text).toContain("  # closed: cancelled\n");
    expect(text).toContain("  # released:\n");
    expect(run.stdout).toBe(
      [
        'Wrote .github/trackbridge.yml from the 8 statuses of PROJ (connection "yandex").',
        "Guesses to check:",
        "  closed → Отменено (left commented out): named Отменено",
        "Not guessed, left commented out: released.",
        "",
      ].join("\n"),
    );
    expectNoSecret(run.stdout, text);
  });

  it("refuses to overwrite the file unless --force; --print writes nothing", async () => {
    expect((await runInit(env, dir, ["--queue", "PROJ"])).code).toBe(0);
    const file = path.join(dir, FILE);
    const before = readFileSync(file, "utf8");
    sim.resetRequests();
    const again = await runInit(env, dir, ["--queue", "PROJ"]);
    expect(again).toMatchObject({
      code: 1,
      stderr:
        "trackbridge: .github/trackbridge.yml already exists: --force overwrites it, --print shows the new one without writing\n",
    });
    expect(sim.requests).toHaveLength(0);

    const printed = await runInit(env, dir, ["--queue", "PROJ", "--dry-run"]);
    expect(printed.code).toBe(0);
    expect(printed.stdout).toBe(before);
    expect(printed.stderr).toContain("Guesses to check:");
    expect(readFileSync(file, "utf8")).toBe(before);

    rmSync(file);
    const other = await runInit(env, dir, ["--queue", "PROJ", "--print", "--out", "conf/tb.yml"]);
    expect(other.code).toBe(0);
    expect(other.stdout).toContain("statuses:");
    expect(existsSync(file)).toBe(false);
    expect(existsSync(path.join(dir, "conf/tb.yml"))).toBe(false);

    const forced = await runInit(env, dir, ["--queue", "PROJ", "--out", "conf/tb.yml", "--force"]);
    expect(forced.code).toBe(0);
    expect(readFileSync(path.join(dir, "conf/tb.yml"), "utf8")).toBe(before);
  });

  it("names a queue that does not exist, and writes nothing", async () => {
    const run = await runInit(env, dir, ["--connection", "yandex", "--queue", "NOPE"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'trackbridge: no queue or project NOPE in connection "yandex": check --queue (yandex could not read the workflows of queue NOPE: not found (404): Queue NOPE does not exist.)\n',
    );
    expect(existsSync(path.join(dir, FILE))).toBe(false);
  });

  it("says what is wrong with the connection, the token or the tracker, never the token", async () => {
    const unknown = await runInit(env, dir, ["--connection", "jira", "--queue", "PROJ"]);
    expect(unknown.stderr).toBe(
      'trackbridge: no tracker connection named "jira" (available: yandex)\n',
    );
    const badQueue = await runInit(env, dir, ["--queue", "PROJ-1"]);
    expect(badQueue.stderr).toContain(
      '--queue must be a queue or project key such as PROJ (got "PROJ-1")',
    );

    const refused = await runInit({ ...env, TRACKER_TOKEN: "wrong-token" }, dir, [
      "--queue",
      "PROJ",
    ]);
    expect(refused).toMatchObject({
      code: 1,
      stderr:
        'trackbridge: the token for connection "yandex" was rejected (401): check TRACKER_TOKEN\n',
    });

    sim.injectFaults({ status: 429, count: 1, retryAfterSeconds: 30 });
    const limited = await runInit(env, dir, ["--queue", "PROJ"]);
    expect(limited.code).toBe(1);
    expect(limited.stderr).toMatch(
      /^trackbridge: yandex is rate-limiting requests \(429\) .*retry after 30 s.*; nothing was written, try again later\n$/,
    );

    sim.injectFaults({ status: 500, count: 1, body: { errorMessages: [`echo ${TOKEN}`] } });
    const failed = await runInit(env, dir, ["--queue", "PROJ"]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain("(500)");
    expect(failed.stderr).toContain("nothing was written, try again later");

    const none = await runInit({}, dir, ["--queue", "PROJ"]);
    expect(none.stderr).toContain("this server has no tracker connection");

    for (const run of [unknown, badQueue, refused, limited, failed, none]) {
      expect(run.code).toBe(1);
      expectNoSecret(run.stdout, run.stderr);
    }
    expect(existsSync(path.join(dir, FILE))).toBe(false);
  });
});

describe.each([
  { name: "Jira Cloud", apiVersion: 3 as const },
  { name: "Jira Data Center", apiVersion: 2 as const },
])("init ($name)", ({ apiVersion }) => {
  const cloud = apiVersion === 3;
  let sim: TrackerSimulator;
  let env: Record<string, string>;
  let dir: string;

  beforeAll(async () => {
    sim = await startJiraSimulator({
      token: TOKEN,
      apiVersion,
      ...(cloud ? { email: EMAIL } : {}),
    });
    env = {
      TRACKER_TYPE: "jira",
      TRACKER_URL: sim.url,
      TRACKER_TOKEN: TOKEN,
      ...(cloud ? { TRACKER_EMAIL: EMAIL } : {}),
    };
  });
  afterAll(() => sim.close());
  beforeEach(() => {
    sim.reset();
    dir = mkdtempSync(path.join(tmpdir(), "trackbridge-init-"));
    return () => rmSync(dir, { recursive: true, force: true });
  });

  it("writes display names the App matches; says where the graph could not be read", async () => {
    sim.createIssue("PROJ-1");
    const run = await runInit(env, dir, ["--queue", "PROJ"]);
    expect(run.code).toBe(0);
    const text = readFileSync(path.join(dir, FILE), "utf8");
    const config = readConfig(text);
    expect(config.connection).toBe("jira");
    // The simulator's default workflow, with Jira's numeric status ids as keys.
    const statuses: TrackerStatus[] = [
      { key: "1", display: "Open" },
      { key: "3", display: "In progress" },
      { key: "10001", display: "In review" },
      { key: "10002", display: "Needs improvement" },
      { key: "10003", display: "Ready for test" },
      { key: "6", display: "Closed" },
    ];
    expect(resolved(config, statuses)).toEqual({
      started: "In progress",
      draft: "In progress",
      opened: "In review",
      ready: "In review",
      changes_requested: "Needs improvement",
      approved: "Ready for test",
      merged: "Closed",
    });
    expect(config.statuses.opened).toBe("In review");
    if (cloud) {
      expect(text).toContain("# New issues start in Open.");
    } else {
      expect(text).toContain(
        "# The workflow graph could not be read (Jira Data Center has no REST API for a workflow's transitions):",
      );
    }
    expect(run.stdout).toContain("Every guess matched a status by its key or name.");
    expect(run.stdout).toContain("Not guessed, left commented out: closed, released.");
    expectNoSecret(run.stdout, text);
  });

  it("marks a fallback CHECK in the file and in the summary", async () => {
    sim.setWorkflow(SOFTWARE_WORKFLOW, "WEB");
    const run = await runInit(env, dir, ["--queue", "WEB"]);
    expect(run.code).toBe(0);
    const text = readFileSync(path.join(dir, FILE), "utf8");
    expect(resolved(readConfig(text), simStatuses(SOFTWARE_WORKFLOW, true))).toEqual({
      started: "In Progress",
      draft: "In Progress",
      opened: "In Review",
      ready: "In Review",
      changes_requested: "In Progress",
      merged: "Done",
    });
    expect(text).toContain(
      "  # a reviewer requests changes — CHECK: no needs-work status: named In Progress\n  changes_requested: In Progress\n",
    );
    expect(run.stdout).toContain(
      "Guesses to check:\n  changes_requested → In Progress: no needs-work status: named In Progress\n",
    );
    expect(run.stdout).toContain("Not guessed, left commented out: approved, closed, released.");
  });

  it("names a project that does not exist", async () => {
    const run = await runInit(env, dir, ["--queue", "NOPE"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('no queue or project NOPE in connection "jira": check --queue');
    expect(run.stderr).toContain("No project could be found with key 'NOPE'.");
    expectNoSecret(run.stderr);
  });
});

describe("--connection", () => {
  const connection = (name: string) => ({
    name,
    type: "jira" as const,
    url: "https://x",
    token: TOKEN,
  });

  it("may be left out when the server has one connection, and only then", () => {
    expect(findConnection([connection("jira")], undefined).name).toBe("jira");
    expect(() => findConnection([connection("a"), connection("b")], undefined)).toThrow(
      "--connection is needed: this server has several (a, b)",
    );
    expect(findConnection([connection("a"), connection("b")], "b").name).toBe("b");
  });
});
