/**
 * `trackbridge connect-webhooks` against the Yandex Tracker simulator over real HTTP: the
 * trigger it creates, fired the way Tracker fires it, is accepted by the real server. For
 * Jira it prints the admin steps. The secret never appears in what it prints.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerConnectWebhooksCommand } from "../../src/cli/connect-webhooks-command.js";
import { loadServerConfig } from "../../src/config/server-config.js";
import { startTestbed, type Testbed } from "../../src/simulators/scenario/testbed.js";
import type { YandexSimulator } from "../../src/simulators/yandex/index.js";
import { runInProcess } from "./helpers/run-in-process.js";

const SECRET = "yt-trigger-secret-abcdef0123456789";

function run(env: Record<string, string>, args: string[]) {
  return runInProcess(
    ["connect-webhooks", ...args],
    [
      (program, io) =>
        registerConnectWebhooksCommand(program, {
          write: (text) => void io.stdout.write(text),
          loadConfig: async () => loadServerConfig(env),
        }),
    ],
  );
}

describe("connect-webhooks (Yandex Tracker)", () => {
  let bed: Testbed;
  beforeAll(async () => {
    bed = await startTestbed({ extraEnv: { TRACKER_WEBHOOK_SECRET: SECRET } });
  });
  afterAll(async () => bed.close());

  it("creates the trigger once; fired as Tracker fires it, the server stores the change", async () => {
    const args = ["--connection", "yandex", "--queue", "PROJ", "--url", bed.server!.url];
    const first = await run(bed.env, args);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("Created trigger 1 in queue PROJ.");
    expect(first.stdout).toContain(`${bed.server!.url}/api/trackers/yandex/webhooks`);
    expect(first.stdout).toContain("environment variable TRACKER_WEBHOOK_SECRET (not shown)");
    expect(first.stdout + first.stderr).not.toContain(SECRET);

    const again = await run(bed.env, args);
    expect(again.stdout).toContain("Already there: trigger 1 in queue PROJ.");
    const triggers = (bed.tracker as YandexSimulator).triggers("PROJ");
    expect(triggers).toHaveLength(1);
    const action = triggers[0]!.actions[0] as {
      endpoint: string;
      method: string;
      headers: Record<string, string>;
      body: string;
    };
    expect(triggers[0]!.conditions).toContainEqual({
      type: "FieldChangedCondition",
      field: "status",
    });

    // Tracker fills the placeholder and sends the request the trigger describes.
    const response = await fetch(action.endpoint, {
      method: action.method,
      headers: { "content-type": "application/json", ...action.headers },
      body: action.body.replace("{{issue.key}}", "PROJ-9"),
    });
    expect(response.status).toBe(202);
    const stored = await bed.server!.store.listDeliveries({ limit: 5 });
    expect(
      stored.some((d) => d.event === "tracker_issue" && d.id.startsWith("yandex:yandex:")),
    ).toBe(true);
  });

  it("after a secret rotation, the trigger sends the new secret (not shown either)", async () => {
    const args = ["--connection", "yandex", "--queue", "OPS", "--url", bed.server!.url];
    expect((await run(bed.env, args)).stdout).toMatch(/^Created trigger \d+ in queue OPS\./);
    const rotated = "yt-trigger-secret-rotated-9876543210";
    const again = await run({ ...bed.env, TRACKER_WEBHOOK_SECRET: rotated }, args);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^Updated the secret of trigger \d+ in queue OPS\./);
    expect(again.stdout + again.stderr).not.toContain(rotated);
    expect(again.stdout + again.stderr).not.toContain(SECRET);
    const triggers = (bed.tracker as YandexSimulator).triggers("OPS");
    expect(triggers).toHaveLength(1);
    const action = triggers[0]!.actions[0] as { headers: Record<string, string> };
    expect(action.headers["X-Trackbridge-Token"]).toBe(rotated);
    const third = await run({ ...bed.env, TRACKER_WEBHOOK_SECRET: rotated }, args);
    expect(third.stdout).toMatch(/^Already there: trigger \d+ in queue OPS\./);
  });

  it("says what is missing: an unknown connection, a connection without a secret", async () => {
    const unknown = await run(bed.env, [
      "--connection",
      "nope",
      "--queue",
      "PROJ",
      "--url",
      bed.server!.url,
    ]);
    expect(unknown).toMatchObject({
      code: 1,
      stderr: 'trackbridge: no tracker connection named "nope" (available: yandex)\n',
    });
    const { TRACKER_WEBHOOK_SECRET: _omit, ...noSecret } = bed.env;
    const missing = await run(noSecret, [
      "--connection",
      "yandex",
      "--queue",
      "PROJ",
      "--url",
      bed.server!.url,
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('connection "yandex" has no webhook secret');
  });
});

describe("connect-webhooks (Jira)", () => {
  it("prints the admin steps with the URL, naming where the secret is kept but not the secret", async () => {
    const env = {
      TRACKER_TYPE: "jira",
      TRACKER_URL: "https://acme.atlassian.net",
      TRACKER_TOKEN: "jira-token-0123456789",
      TRACKER_EMAIL: "bot@acme.com",
      TRACKER_WEBHOOK_SECRET: SECRET,
    };
    const out = await run(env, [
      "--connection",
      "jira",
      "--queue",
      "PROJ",
      "--url",
      "https://tb.acme.com/",
    ]);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain("3. URL: https://tb.acme.com/api/trackers/jira/webhooks");
    expect(out.stdout).toContain(
      "4. Secret: the value in environment variable TRACKER_WEBHOOK_SECRET",
    );
    expect(out.stdout).toContain("JQL: project = PROJ");
    expect(out.stdout + out.stderr).not.toContain(SECRET);
  });
});
