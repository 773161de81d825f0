import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/telemetry/logger.js";
import { collectSecrets } from "../../src/telemetry/secrets.js";

function capture() {
  const out = new PassThrough();
  const chunks: string[] = [];
  out.on("data", (chunk: Buffer) => chunks.push(chunk.toString()));
  return { out, text: () => chunks.join("") };
}

describe("the logger never prints a secret", () => {
  const pem =
    "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\nQWERTYUIOPASDFGHJKLZXCVBNM1234567890abcdefghij\n-----END PRIVATE KEY-----\n";
  const env = {
    TRACKER_TOKEN: "y0_AgAAAAtokenvalue123",
    PRIVATE_KEY: pem,
    WEBHOOK_SECRET: "hook-secret-1",
    TRACKBRIDGE_DATABASE_URL: "postgres://tb:db-pass%40word-9@db.internal:5432/tb",
  };
  const connections = [
    {
      name: "jira",
      type: "jira" as const,
      url: "https://x",
      token: "jira-token-42",
      email: "bot@x.io",
    },
  ];

  it.each([
    [
      "a token in the message",
      (log: ReturnType<typeof createLogger>) => log.error(`failed with OAuth ${env.TRACKER_TOKEN}`),
    ],
    [
      "a token in a field",
      (log: ReturnType<typeof createLogger>) =>
        log.info({ detail: `Bearer ${env.TRACKER_TOKEN}` }, "x"),
    ],
    [
      "a redacted path",
      (log: ReturnType<typeof createLogger>) =>
        log.info({ headers: { authorization: "anything" } }, "x"),
    ],
    ["the whole PEM", (log: ReturnType<typeof createLogger>) => log.warn({ key: pem }, "x")],
    [
      "one PEM line",
      (log: ReturnType<typeof createLogger>) => log.warn(`line ${pem.split("\n")[2]}`),
    ],
    [
      "Jira's Basic credential",
      (log: ReturnType<typeof createLogger>) =>
        log.warn(`Basic ${Buffer.from("bot@x.io:jira-token-42").toString("base64")}`),
    ],
    [
      "the webhook secret",
      (log: ReturnType<typeof createLogger>) => log.debug(`secret=${env.WEBHOOK_SECRET}`),
    ],
    [
      "the database password, as written in the URL and decoded",
      (log: ReturnType<typeof createLogger>) =>
        log.error(`auth failed for db-pass%40word-9 (db-pass@word-9)`),
    ],
  ])("%s", (_name, write) => {
    const { out, text } = capture();
    const log = createLogger({
      level: "debug",
      secrets: collectSecrets(env, connections),
      destination: out,
    });
    write(log);
    const printed = text();
    expect(printed.length).toBeGreaterThan(0);
    expect(printed).toContain("[REDACTED]");
    for (const secret of [
      env.TRACKER_TOKEN,
      "jira-token-42",
      env.WEBHOOK_SECRET,
      "db-pass%40word-9",
      "db-pass@word-9",
      ...pem.split("\n").filter((l) => l.length > 20 && !l.startsWith("-----")),
    ]) {
      expect(printed).not.toContain(secret);
    }
    expect(printed).not.toContain(Buffer.from("bot@x.io:jira-token-42").toString("base64"));
  });
});
