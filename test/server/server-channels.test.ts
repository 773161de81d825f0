/** Notification channels in the connections file: secrets by reference, clear errors. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadServerConfig } from "../../src/config/server-config.js";
import { collectSecrets } from "../../src/telemetry/secrets.js";

function file(content: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "trackbridge-channels-"));
  writeFileSync(path.join(dir, "token"), "777:file-token-abcdef\n");
  const at = path.join(dir, "connections.yml");
  writeFileSync(at, content.replaceAll("$DIR", dir));
  return at;
}

describe("notification channels from TRACKBRIDGE_CONNECTIONS", () => {
  it("reads Slack (webhook, bot) and Telegram channels, secrets from env and files", () => {
    const at = file(`channels:
  team: { type: slack, webhook_url: { env: HOOK } }
  ops: { type: slack, token: { env: BOT }, channel: C0OPS }
  tg: { type: telegram, token: { file: $DIR/token }, chat_id: -100123 }
`);
    const env = {
      TRACKBRIDGE_CONNECTIONS: at,
      HOOK: "https://hooks.slack.com/services/T1/B1/webhook-secret-123",
      BOT: "xoxb-bot-token-1",
    };
    const config = loadServerConfig(env);
    expect(config.connections).toEqual([]);
    expect(config.channels).toEqual([
      { name: "team", type: "slack", webhookUrl: env.HOOK },
      {
        name: "ops",
        type: "slack",
        token: "xoxb-bot-token-1",
        channel: "C0OPS",
        apiUrl: "https://slack.com/api/",
      },
      {
        name: "tg",
        type: "telegram",
        token: "777:file-token-abcdef",
        chatId: "-100123",
        apiRoot: "https://api.telegram.org",
      },
    ]);
    // The logger and every message blank them, the webhook's secret segment on its own too.
    expect(collectSecrets(env, config.connections, config.channels)).toEqual(
      expect.arrayContaining([env.HOOK, "webhook-secret-123", env.BOT, "777:file-token-abcdef"]),
    );
    const moved = loadServerConfig({
      ...env,
      TRACKBRIDGE_SLACK_API_URL: "http://127.0.0.1:9/api/",
      TRACKBRIDGE_TELEGRAM_API_ROOT: "http://127.0.0.1:9",
    });
    expect(
      moved.channels.map((c) => ("apiUrl" in c ? c.apiUrl : "apiRoot" in c ? c.apiRoot : null)),
    ).toEqual([null, "http://127.0.0.1:9/api/", "http://127.0.0.1:9"]);
  });

  it.each([
    {
      name: "a token written into the file",
      yaml: "channels:\n  tg: { type: telegram, token: '123:abc', chat_id: 1 }\n",
      env: {},
      error: "secrets must be {env: NAME} or {file: PATH}",
    },
    {
      name: "an unset variable",
      yaml: "channels:\n  team: { type: slack, webhook_url: { env: NOPE } }\n",
      env: {},
      error: 'channel "team" webhook_url: environment variable NOPE is not set',
    },
    {
      name: "a webhook URL that is not one",
      yaml: "channels:\n  team: { type: slack, webhook_url: { env: HOOK } }\n",
      env: { HOOK: "not a url" },
      error: 'channel "team" webhook_url is not a URL',
    },
    {
      name: "an unknown type",
      yaml: "channels:\n  team: { type: teams, token: { env: T } }\n",
      env: { T: "x" },
      error: "is invalid",
    },
  ])("rejects $name", ({ yaml, env, error }) => {
    const at = file(yaml);
    expect(() => loadServerConfig({ TRACKBRIDGE_CONNECTIONS: at, ...env })).toThrow(error);
  });

  it("never echoes the secret in its errors", () => {
    const at = file("channels:\n  team: { type: slack, webhook_url: { env: HOOK } }\n");
    expect(() =>
      loadServerConfig({ TRACKBRIDGE_CONNECTIONS: at, HOOK: "no-url-secret-1" }),
    ).toThrow(expect.objectContaining({ message: expect.not.stringContaining("no-url-secret-1") }));
  });
});
