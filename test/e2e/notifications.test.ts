/**
 * Notifications end to end: the real server, the GitHub and tracker simulators, and the Slack
 * and Telegram simulators on loopback. A PR event moves issues; the repo's `notify:` sends
 * what happened to its channels through the outbox: one message per event, or one digest for
 * events that come together, after a 429's wait, never twice, never with a secret in it.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  DEFAULT_REPO_CONFIG,
  startTestbed,
  type Testbed,
} from "../../src/simulators/scenario/testbed.js";
import { type SlackSimulator, startSlackSimulator } from "../../src/simulators/slack/index.js";
import {
  startTelegramSimulator,
  type TelegramSimulator,
} from "../../src/simulators/telegram/index.js";
import { deployed, latestCheckRun, openPr, prEvent, released } from "./world.js";

const SLACK_TOKEN = `xoxb-${randomBytes(12).toString("hex")}`;
const TELEGRAM_TOKEN = `123456:${randomBytes(16).toString("hex")}`;
const BROKEN_TELEGRAM_TOKEN = `654321:${randomBytes(16).toString("hex")}`;
const CONSOLE_TOKEN = randomBytes(24).toString("hex");

const NOTIFY = `notify:
  - channel: team-slack
    on: [moved, blocked, dead_letter]
  - channel: team-telegram
    on: [moved, blocked]
  - channel: ops-slack
    on: [dead_letter]
`;

describe("notifications to Slack and Telegram", () => {
  let bed: Testbed;
  let slack: SlackSimulator;
  let telegram: TelegramSimulator;
  let dir: string;
  const lines: string[] = [];
  /** Every message any channel received, kept across the tests' resets. */
  const received: string[] = [];
  let webhookSecret: string;

  beforeAll(async () => {
    slack = await startSlackSimulator({ token: SLACK_TOKEN, channels: ["C0TEAM", "C0OPS"] });
    telegram = await startTelegramSimulator({ token: TELEGRAM_TOKEN, chats: ["-1001"] });
    webhookSecret = slack.webhookUrl.split("/").at(-1)!;
    dir = mkdtempSync(path.join(tmpdir(), "trackbridge-notify-"));
    writeFileSync(path.join(dir, "telegram-token"), `${TELEGRAM_TOKEN}\n`);
    writeFileSync(
      path.join(dir, "connections.yml"),
      `channels:
  team-slack: { type: slack, webhook_url: { env: SLACK_WEBHOOK_URL } }
  ops-slack: { type: slack, token: { env: SLACK_BOT_TOKEN }, channel: C0OPS }
  team-telegram: { type: telegram, token: { file: ${path.join(dir, "telegram-token")} }, chat_id: "-1001" }
  broken-telegram: { type: telegram, token: { env: BROKEN_TELEGRAM_TOKEN }, chat_id: -1001 }
`,
    );
    const capture = new PassThrough();
    capture.on("data", (chunk: Buffer) => lines.push(...chunk.toString("utf8").split("\n")));
    bed = await startTestbed({
      repoConfig: DEFAULT_REPO_CONFIG + NOTIFY,
      logLevel: "debug",
      logDestination: capture,
      workerPolicy: { maxAttempts: 2, messageGatherMs: 300 },
      extraEnv: {
        TRACKBRIDGE_CONNECTIONS: path.join(dir, "connections.yml"),
        SLACK_WEBHOOK_URL: slack.webhookUrl,
        SLACK_BOT_TOKEN: SLACK_TOKEN,
        BROKEN_TELEGRAM_TOKEN,
        TRACKBRIDGE_SLACK_API_URL: slack.apiUrl,
        TRACKBRIDGE_TELEGRAM_API_ROOT: telegram.url,
        TRACKBRIDGE_CONSOLE_TOKEN: CONSOLE_TOKEN,
      },
    });
  });
  afterAll(async () => {
    await bed?.close();
    await slack?.close();
    await telegram?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    received.push(...slack.messages.map((m) => m.text), ...telegram.messages.map((m) => m.text));
  });
  beforeEach(() => {
    slack.reset();
    telegram.reset();
    bed.github.setFile(
      bed.owner,
      bed.repo,
      ".github/trackbridge.yml",
      DEFAULT_REPO_CONFIG + NOTIFY,
    );
  });

  const team = () => slack.messages.filter((m) => m.chat === "C0TEAM").map((m) => m.text);
  const ops = () => slack.messages.filter((m) => m.chat === "C0OPS").map((m) => m.text);
  const sends = (sim: SlackSimulator | TelegramSimulator) =>
    sim.requests.filter((r) => r.method === "POST");

  it("sends a moved issue to Slack (webhook) and Telegram, with the PR's address", async () => {
    bed.tracker.createIssue("PROJ-1");
    const pr = openPr(bed, { number: 1, branch: "PROJ-1-login", title: "Login" });
    await prEvent(bed, "opened", pr);

    const link = `${bed.config.github.webUrl}/acme/web/pull/1`;
    expect(team()).toEqual([
      `PROJ-1 moved Open → In progress in Yandex Tracker — acme/web#1 ${link}`,
    ]);
    expect(telegram.messages.map((m) => m.text)).toEqual([
      `PROJ-1 moved Open → In progress in Yandex Tracker — acme/web#1 ${link}`,
    ]);
    expect(telegram.messages[0]!.chat).toBe("-1001");
    expect(ops()).toEqual([]);
  });

  it("waits out a 429 and sends events that came together as one digest, once", async () => {
    for (const key of ["PROJ-2", "PROJ-3", "PROJ-4"]) bed.tracker.createIssue(key);
    slack.rateLimit(1, 1);
    telegram.rateLimit(1, 1);
    const pr = openPr(bed, { number: 2, branch: "feature", title: "PROJ-2 PROJ-3 PROJ-4" });
    await prEvent(bed, "opened", pr);

    for (const [texts, sim] of [
      [team(), slack],
      [telegram.messages.map((m) => m.text), telegram],
    ] as const) {
      expect(texts).toHaveLength(1);
      const [digest] = texts;
      expect(digest).toMatch(/^trackbridge: 3 updates\n/);
      for (const key of ["PROJ-2", "PROJ-3", "PROJ-4"])
        expect(digest).toContain(
          `• ${key} moved Open → In progress in Yandex Tracker — acme/web#2`,
        );
      // The 429 came first, and the one accepted send only after the wait it asked for.
      const [refused, accepted, ...more] = sends(sim);
      expect(refused?.status).toBe(429);
      expect(accepted?.status).toBe(200);
      expect(more).toEqual([]);
      // How long the channel waits is held clock-free in test/delivery/messages.test.ts.
    }
  });

  it("tells the channels about moves the App could not make: protected, no route", async () => {
    bed.tracker.createIssue("PROJ-5", { status: "closed" });
    const protectedPr = openPr(bed, { number: 5, branch: "PROJ-5-fix", title: "Fix" });
    await prEvent(bed, "opened", protectedPr);
    expect(team()).toEqual([
      `PROJ-5 blocked: protected: Closed in Yandex Tracker — acme/web#5 ${bed.config.github.webUrl}/acme/web/pull/5`,
    ]);
    expect(telegram.messages.map((m) => m.text)).toEqual(team());

    slack.reset();
    telegram.reset();
    bed.github.setFile(
      bed.owner,
      bed.repo,
      ".github/trackbridge.yml",
      `${DEFAULT_REPO_CONFIG.replace("opened: inProgress", "opened: nowhere")}${NOTIFY}`,
    );
    bed.tracker.createIssue("PROJ-6");
    const noRoute = openPr(bed, { number: 6, branch: "PROJ-6-fix", title: "Fix" });
    await prEvent(bed, "opened", noRoute);
    expect(team()).toHaveLength(1);
    expect(team()[0]).toMatch(/^PROJ-6 blocked: .*nowhere.* in Yandex Tracker — acme\/web#6 /);
    expect(telegram.messages).toHaveLength(1);
    // A blocked move is not a dead letter for the ops channel.
    expect(ops()).toEqual([]);
  });

  it("sends dead letters through the Web API, with no secret even when a tracker echoes one", async () => {
    bed.tracker.createIssue("PROJ-7");
    // A careless tracker echoes another service's secret in its error: the message blanks it.
    bed.tracker.injectFaults({
      status: 403,
      count: 5,
      body: { errorMessages: [`denied for ${SLACK_TOKEN} at ${slack.webhookUrl}`], errors: {} },
    });
    const pr = openPr(bed, { number: 7, branch: "PROJ-7-fix", title: "Fix" });
    await prEvent(bed, "opened", pr);
    bed.tracker.clearFaults();

    // Each dead job of the PR (its move, its comment) is told once, in words the check run uses.
    const dead = (await bed.server!.store.listJobs({ states: ["dead"], limit: 100 })).filter(
      (job) => job.prNumber === 7,
    );
    expect(dead.length).toBeGreaterThanOrEqual(1);
    const told = ops().join("\n");
    for (const job of dead) {
      const line = `PROJ-7 failed: ${job.summary!.replace(SLACK_TOKEN, "[REDACTED]")}`;
      expect(told.split(line.split(" at ")[0]!).length - 1).toBe(1);
    }
    expect(told.match(/PROJ-7 failed: /g)).toHaveLength(dead.length);
    expect(told).toContain("denied for [REDACTED] at [REDACTED]");
    expect(team().join("\n")).toBe(told);
    expect(telegram.messages).toEqual([]);
    // Nor does the check run or the stored job show it.
    expect(JSON.stringify(latestCheckRun(bed).output)).toContain("denied for [REDACTED]");
    for (const job of dead) expect(job.summary).not.toContain(SLACK_TOKEN);
  });

  it("tells a channel about deployments and releases", async () => {
    bed.github.setFile(
      bed.owner,
      bed.repo,
      ".github/trackbridge.yml",
      `${DEFAULT_REPO_CONFIG}notify:\n  - channel: team-slack\n    on: [deployed, released]\n`,
    );
    bed.tracker.createIssue("PROJ-10");
    await deployed(bed, {
      ref: "PROJ-10-bench",
      sha: "1".repeat(40),
      url: "https://pr-10.bench.example",
    });
    expect(team()).toEqual([
      "PROJ-10 deployed: set benchLink = https://pr-10.bench.example in Yandex Tracker — acme/web",
    ]);

    slack.reset();
    bed.tracker.createIssue("PROJ-11");
    bed.github.pushCommits(bed.owner, bed.repo, "main", [
      { sha: "2".repeat(40), message: "PROJ-11: faster search" },
    ]);
    await released(bed, "v2.0.0");
    expect(team()).toEqual([
      "PROJ-11 released: fix version v2.0.0 (version created) in Yandex Tracker — acme/web",
    ]);
  });

  it("reports an unknown channel in the repo config on the check run", async () => {
    bed.github.setFile(
      bed.owner,
      bed.repo,
      ".github/trackbridge.yml",
      `${DEFAULT_REPO_CONFIG}notify:\n  - channel: nowhere-chat\n    on: [moved]\n`,
    );
    bed.tracker.createIssue("PROJ-8");
    const pr = openPr(bed, { number: 8, branch: "PROJ-8-fix", title: "Fix" });
    await prEvent(bed, "opened", pr);
    const run = latestCheckRun(bed);
    expect(run.conclusion).toBe("failure");
    expect(JSON.stringify(run.output)).toContain(
      'notify channel \\"nowhere-chat\\" is not one of this server\'s channels (available: team-slack, ops-slack, team-telegram, broken-telegram)',
    );
    expect(slack.messages).toEqual([]);
    expect(telegram.messages).toEqual([]);
  });

  it("makes a message the service refuses for good a dead letter with its reason", async () => {
    bed.github.setFile(
      bed.owner,
      bed.repo,
      ".github/trackbridge.yml",
      `${DEFAULT_REPO_CONFIG}notify:\n  - channel: broken-telegram\n    on: [moved]\n`,
    );
    bed.tracker.createIssue("PROJ-9");
    const pr = openPr(bed, { number: 9, branch: "PROJ-9-fix", title: "Fix" });
    await prEvent(bed, "opened", pr);
    const dead = await bed.server!.store.listMessages({ states: ["dead"], limit: 10 });
    expect(dead.map((m) => [m.channel, m.notice.key, m.lastError])).toEqual([
      [
        "broken-telegram",
        "PROJ-9",
        'Telegram channel "broken-telegram": sendMessage answered 401 Unauthorized: the bot token is wrong or revoked; fix the server\'s channel config',
      ],
    ]);
    // Refused once, not retried: a wrong token does not get better.
    expect(sends(telegram).map((r) => r.status)).toEqual([401]);
    // The console's dead letters show it too, with the same reason.
    const api = await fetch(`${bed.server!.url}/console/api/dead-letters`, {
      headers: { authorization: `Bearer ${CONSOLE_TOKEN}` },
    });
    const body = (await api.json()) as {
      deadMessages: Array<{ channel: string; lastError: string }>;
    };
    expect(body.deadMessages.map((m) => [m.channel, m.lastError])).toEqual([
      ["broken-telegram", dead[0]!.lastError],
    ]);
    const page = await fetch(`${bed.server!.url}/console/dead-letters`, {
      headers: { authorization: `Bearer ${CONSOLE_TOKEN}` },
    });
    const html = await page.text();
    expect(html).toContain("Notifications that could not be sent");
    expect(html).toContain("broken-telegram");
  });

  it("never puts a secret in a message or a log line", () => {
    const secrets = [
      SLACK_TOKEN,
      TELEGRAM_TOKEN,
      BROKEN_TELEGRAM_TOKEN,
      webhookSecret,
      bed.trackerToken,
      CONSOLE_TOKEN,
    ];
    const logText = lines.join("\n");
    // The capture saw the notifications: a leak would be seen.
    expect(logText).toContain("notification sent");
    expect(logText).toContain("notification is a dead letter");
    expect(received.length).toBeGreaterThanOrEqual(8);
    for (const secret of secrets) {
      expect(logText).not.toContain(secret);
      for (const text of received) expect(text).not.toContain(secret);
    }
  });
});
