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
import { registerInitCommand } from "../../src/cli/init-command.js";
import { runCli } from "../../src/cli/main.js";
import { statusMatches } from "../../src/core/match-status.js";
import { parseRepoConfig, type RepoConfig } from "../../src/core/repo-config.js";
import type { TrackerStatus } from "../../src/core/types.js";
import { startJiraSimulator } from "../../src/simulators/jira/index.js";
import type { TrackerSimulator } from "../../src/simulators/shared/admin.js";
import type { SimWorkflow } from "../../src/simulators/shared/workflow.js";
import { startYandexSimulator } from "../../src/simulators/yandex/index.js";

const TOKEN = "y0_init-secret-token-0123456789";
const EMAIL = "bot@acme.test";
const FILE = path.join(".github", "trackbridge.yml");

/** A Yandex queue as Russian-speaking teams set it up: English keys, Russian names. */
const RUSSIAN: SimWorkflow = {
  statuses: [
    { key: "open", display: "Открыт", id: "1", category: "new" },
    { key: "inProgress", display: "В работе", id: "3", category: "indeterminate" },
    { key: "inReview", display: "Ревью", id: "4", category: "indeterminate" },
    { key: "needsImprovement", display: "Требует доработки", id: "5", category: "indeterminate" },
    { key: "readyForTest", display: "Можно тестировать", id: "6", category: "indeterminate" },
    { key: "resolved", display: "Решен", id: "7", category: "done" },
    { key: "closed", display: "Закрыт", id: "8", category: "done" },
    { key: "cancelled", display: "Отменено", id: "9", category: "done" },
  ],
  transitions: [
    { id: "start", display: "В работу", from: ["open", "needsImprovement"], to: "inProgress" },
    { id: "review", display: "На ревью", from: ["inProgress"], to: "inReview" },
    { id: "rework", display: "На доработку", from: ["inReview"], to: "needsImprovement" },
    { id: "test", display: "В тестирование", from: ["inReview"], to: "readyForTest" },
    { id: "resolve", display: "Решить", from: ["readyForTest"], to: "resolved" },
    { id: "close", display: "Закрыть", from: ["resolved"], to: "closed" },
    { id: "cancel", display: "Отменить", from: ["open", "inProgress"], to: "cancelled" },
  ],
  initial: "open",
};

/** Jira Cloud's software template. */
const SOFTWARE: SimWorkflow = {
  statuses: [
    { key: "todo", display: "To Do", id: "10000", category: "new" },
    { key: "doing", display: "In Progress", id: "3", category: "indeterminate" },
    { key: "review", display: "In Review", id: "10001", category: "indeterminate" },
    { key: "done", display: "Done", id: "10002", category: "done" },
  ],
  transitions: [
    { id: "11", display: "To Do", from: ["doing", "review", "done"], to: "todo" },
    { id: "21", display: "In Progress", from: ["todo", "review", "done"], to: "doing" },
    { id: "31", display: "In Review", from: ["todo", "doing", "done"], to: "review" },
    { id: "41", display: "Done", from: ["todo", "doing", "review"], to: "done" },
  ],
  initial: "todo",
};

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function init(env: Record<string, string>, cwd: string, args: string[]): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const io = {
    stdin: (async function* () {})(),
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  };
  const code = await runCli(["node", "trackbridge", "init", ...args], io, [
    (program) => registerInitCommand(program, { io, env, cwd, now: () => new Date("2026-12-02") }),
  ]);
  return { code, stdout, stderr };
}

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
    sim.setWorkflow(RUSSIAN, "PROJ");
    dir = mkdtempSync(path.join(tmpdir(), "trackbridge-init-"));
    return () => rmSync(dir, { recursive: true, force: true });
  });

  it("writes a valid, commented file whose statuses the App finds, and lists what to check", async () => {
    const run = await init(env, dir, ["--connection", "yandex", "--queue", "PROJ"]);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    const text = readFileSync(path.join(dir, FILE), "utf8");
    const config = readConfig(text);
    expect(config.connection).toBe("yandex");
    expect(config.keys.projects).toEqual(["PROJ"]);
    expect(resolved(config, simStatuses(RUSSIAN, false))).toEqual({
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
    expect((await init(env, dir, ["--queue", "PROJ"])).code).toBe(0);
    const file = path.join(dir, FILE);
    const before = readFileSync(file, "utf8");
    sim.resetRequests();
    const again = await init(env, dir, ["--queue", "PROJ"]);
    expect(again).toMatchObject({
      code: 1,
      stderr:
        "trackbridge: .github/trackbridge.yml already exists: --force overwrites it, --print shows the new one without writing\n",
    });
    expect(sim.requests).toHaveLength(0);

    const printed = await init(env, dir, ["--queue", "PROJ", "--dry-run"]);
    expect(printed.code).toBe(0);
    expect(printed.stdout).toBe(before);
    expect(printed.stderr).toContain("Guesses to check:");
    expect(readFileSync(file, "utf8")).toBe(before);

    rmSync(file);
    const other = await init(env, dir, ["--queue", "PROJ", "--print", "--out", "conf/tb.yml"]);
    expect(other.code).toBe(0);
    expect(existsSync(file)).toBe(false);
    expect(existsSync(path.join(dir, "conf/tb.yml"))).toBe(false);

    const forced = await init(env, dir, ["--queue", "PROJ", "--out", "conf/tb.yml", "--force"]);
    expect(forced.code).toBe(0);
    expect(readFileSync(path.join(dir, "conf/tb.yml"), "utf8")).toBe(before);
  });

  it("names a queue that does not exist, and writes nothing", async () => {
    const run = await init(env, dir, ["--connection", "yandex", "--queue", "NOPE"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'trackbridge: no queue or project NOPE in connection "yandex": check --queue (yandex could not read the workflows of queue NOPE: not found (404): Queue NOPE does not exist.)\n',
    );
    expect(existsSync(path.join(dir, FILE))).toBe(false);
  });

  it("says what is wrong with the connection, the token or the tracker, never the token", async () => {
    const unknown = await init(env, dir, ["--connection", "jira", "--queue", "PROJ"]);
    expect(unknown.stderr).toBe(
      'trackbridge: no tracker connection named "jira" (available: yandex)\n',
    );
    const badQueue = await init(env, dir, ["--queue", "PROJ-1"]);
    expect(badQueue.stderr).toContain(
      '--queue must be a queue or project key such as PROJ (got "PROJ-1")',
    );

    const refused = await init({ ...env, TRACKER_TOKEN: "wrong-token" }, dir, ["--queue", "PROJ"]);
    expect(refused).toMatchObject({
      code: 1,
      stderr:
        'trackbridge: the token for connection "yandex" was rejected (401): check TRACKER_TOKEN\n',
    });

    sim.injectFaults({ status: 429, count: 1, retryAfterSeconds: 30 });
    const limited = await init(env, dir, ["--queue", "PROJ"]);
    expect(limited.code).toBe(1);
    expect(limited.stderr).toMatch(
      /^trackbridge: yandex is rate-limiting requests \(429\) .*retry after 30 s.*; nothing was written, try again later\n$/,
    );

    sim.injectFaults({ status: 500, count: 1, body: { errorMessages: [`echo ${TOKEN}`] } });
    const failed = await init(env, dir, ["--queue", "PROJ"]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain("(500)");
    expect(failed.stderr).toContain("nothing was written, try again later");

    const none = await init({}, dir, ["--queue", "PROJ"]);
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
    const run = await init(env, dir, ["--queue", "PROJ"]);
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
    sim.setWorkflow(SOFTWARE, "WEB");
    const run = await init(env, dir, ["--queue", "WEB"]);
    expect(run.code).toBe(0);
    const text = readFileSync(path.join(dir, FILE), "utf8");
    expect(resolved(readConfig(text), simStatuses(SOFTWARE, true))).toEqual({
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
    const run = await init(env, dir, ["--queue", "NOPE"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('no queue or project NOPE in connection "jira": check --queue');
    expect(run.stderr).toContain("No project could be found with key 'NOPE'.");
    expectNoSecret(run.stderr);
  });
});
