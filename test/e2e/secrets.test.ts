/**
 * Tracker tokens, the App's private key and the webhook secret never appear in a log line
 * (at debug level) or a check run, even when a tracker echoes credentials in its errors.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestbed, type Testbed } from "../../src/simulators/scenario/testbed.js";
import {
  jiraSignature,
  jiraStatusChange,
  latestCheckRun,
  openPr,
  prEvent,
  review,
  trackerWebhook,
} from "./world.js";

const TRACKER_WEBHOOK_SECRET = "tracker-webhook-secret-5f1e2d3c4b";

describe.each(["yandex", "jira"] as const)("secrets stay secret (%s)", (tracker) => {
  let bed: Testbed;
  const lines: string[] = [];
  beforeAll(async () => {
    const capture = new PassThrough();
    capture.on("data", (chunk: Buffer) => lines.push(...chunk.toString("utf8").split("\n")));
    bed = await startTestbed({
      tracker,
      logLevel: "debug",
      logDestination: capture,
      workerPolicy: { maxAttempts: 2, baseMs: 10, capMs: 20 },
      extraEnv: { TRACKER_WEBHOOK_SECRET },
      repoConfig:
        "keys: { projects: [PROJ] }\nstatuses: { opened: In progress, approved: Ready for test }\n",
    });
  });
  afterAll(async () => bed.close());

  it("leaks nothing through logs or check runs, on success and on failure", async () => {
    bed.tracker.createIssue("PROJ-1");
    const pr = openPr(bed, { number: 1, branch: "PROJ-1-secret", title: "x" });
    await prEvent(bed, "opened", pr);

    // A tracker that rejects the token, then one that echoes the Authorization header back.
    bed.tracker.injectFaults({ status: 401, count: 1 });
    await review(bed, "approved", pr);
    // Each adapter's own credential, as a careless tracker would echo it.
    const echo =
      tracker === "yandex"
        ? `OAuth ${bed.trackerToken}`
        : `Basic ${Buffer.from(`bot@example.com:${bed.trackerToken}`).toString("base64")}`;
    bed.tracker.injectFaults({
      status: 500,
      count: 10,
      body: { errorMessages: [`bad header: ${echo}`], errors: {} },
    });
    await review(bed, "approved", pr);
    bed.tracker.clearFaults();

    // Tracker webhooks, with the secret and with a near miss that a careless log would echo.
    const body =
      tracker === "yandex"
        ? '{"key": "PROJ-1"}'
        : jiraStatusChange("PROJ-1", "Open", "In progress");
    const headers = (secret: string): Record<string, string> =>
      tracker === "yandex"
        ? { "x-trackbridge-token": secret }
        : { "x-hub-signature": jiraSignature(secret, body) };
    expect(
      (await trackerWebhook(bed, { body, headers: headers(`${TRACKER_WEBHOOK_SECRET}x`) })).status,
    ).toBe(401);
    expect(
      (await trackerWebhook(bed, { body, headers: headers(TRACKER_WEBHOOK_SECRET) })).status,
    ).toBe(202);
    await bed.server!.worker.drain();

    const runs = bed.github.checkRuns(bed.owner, bed.repo);
    const checkRunText = JSON.stringify(runs);
    const logText = lines.join("\n");
    // The capture works and saw the failures: the test would see a leak if there were one.
    expect(logText).toContain("GitHub request");
    expect(logText.length).toBeGreaterThan(2_000);
    expect(latestCheckRun(bed).output.summary).toMatch(/401|rejected|500/);

    const secrets = [
      bed.trackerToken,
      bed.webhookSecret,
      TRACKER_WEBHOOK_SECRET,
      Buffer.from(`bot@example.com:${bed.trackerToken}`).toString("base64"),
      ...bed.privateKey.split("\n").filter((line) => line.length > 20 && !line.startsWith("-----")),
    ];
    for (const secret of secrets) {
      expect(logText).not.toContain(secret);
      expect(checkRunText).not.toContain(secret);
    }
  });
});

describe("a secret the reloaded config adds", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "trackbridge-secrets-"));
  const file = path.join(dir, "connections.yml");
  const tokenFile = path.join(dir, "second.token");
  const SECOND_TOKEN = "second-connection-token-7a6b5c4d3e";
  const lines: string[] = [];
  let bed: Testbed;
  beforeAll(async () => {
    writeFileSync(file, "connections: {}\n");
    const capture = new PassThrough();
    capture.on("data", (chunk: Buffer) => lines.push(chunk.toString("utf8")));
    bed = await startTestbed({
      logLevel: "debug",
      logDestination: capture,
      extraEnv: { TRACKBRIDGE_CONNECTIONS: file },
    });
  });
  afterAll(async () => {
    await bed?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("is scrubbed from the App's log after a restart that reloads the config", async () => {
    // The operator adds a connection whose token is read from a file, then restarts the App.
    writeFileSync(tokenFile, `${SECOND_TOKEN}\n`);
    writeFileSync(
      file,
      `connections:\n  second:\n    type: yandex\n    url: ${bed.tracker.url}\n    token: { file: ${tokenFile} }\n    org_id: "4242"\n`,
    );
    await bed.restart({ reloadConfig: true });
    expect(bed.config.connections.map((c) => c.name)).toContain("second");

    // As a tracker echoing the credential into an error would have the App log it.
    bed.log.error({ err: new Error(`bad header: OAuth ${SECOND_TOKEN}`) }, "tracker said");
    const logText = lines.join("");
    expect(logText).toContain("bad header: OAuth");
    expect(logText).not.toContain(SECOND_TOKEN);
  });
});
