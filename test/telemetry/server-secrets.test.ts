/**
 * `serverSecrets`: the one list of a server's secrets, read from every section of its config,
 * and the only one its entry points build (`trackbridge sync` once built its own and left
 * Productboard's out).
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { loadServerConfig } from "../../src/config/server-config.js";
import { createLogger } from "../../src/telemetry/logger.js";
import { serverSecrets } from "../../src/telemetry/secrets.js";
import { ROOT, sourceFiles } from "../architecture/import-graph.js";

const CONNECTIONS = `connections:
  jira: { type: jira, url: "https://acme.atlassian.net", email: bot@acme.com, token: { env: JIRA_TOKEN } }
channels:
  team: { type: slack, webhook_url: { env: HOOK } }
productboard:
  token: { env: PB_TOKEN }
  integration_id: int-1
  authorization: { env: PB_SECRET }
  connection: jira
  project: PROJ
  statuses: { Closed: Released }
`;
const ENV = {
  WEBHOOK_SECRET: "webhook-secret-42",
  JIRA_TOKEN: "jira-token-1234",
  HOOK: "https://hooks.slack.com/services/T1/B1/webhook-secret-123",
  PB_TOKEN: "pb-token-abcdef123",
  PB_SECRET: "pb-plugin-secret-987",
};

describe("serverSecrets", () => {
  it("reads every section of the config: a logger given it prints none of them", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "trackbridge-secrets-"));
    const file = path.join(dir, "connections.yml");
    writeFileSync(file, CONNECTIONS);
    const env = { ...ENV, TRACKBRIDGE_CONNECTIONS: file };
    const chunks: string[] = [];
    const out = new Writable({
      write(chunk, _encoding, done) {
        chunks.push(String(chunk));
        done();
      },
    });
    const log = createLogger({
      level: "info",
      secrets: serverSecrets(env, loadServerConfig(env)),
      destination: out,
    });
    const all = [ENV.WEBHOOK_SECRET, ENV.JIRA_TOKEN, ENV.HOOK, ENV.PB_TOKEN, ENV.PB_SECRET];
    log.error(`a tracker echoed ${all.join(" and ")}`);
    const printed = chunks.join("");
    expect(printed).toContain("a tracker echoed [REDACTED]");
    for (const secret of all) expect(printed).not.toContain(secret);
  });

  it("is the list every entry point takes: none assembles its own from the parts", () => {
    // `doctor` may have no config to hand over (it reports why), so it alone passes the parts.
    const own = new Set([
      "src/telemetry/secrets.ts",
      "src/config/productboard-config.ts",
      "src/doctor/run-doctor.ts",
    ]);
    const assembling = sourceFiles()
      .map((file) => path.relative(ROOT, file))
      .filter((file) => !own.has(file))
      .filter((file) =>
        /\b(collectSecrets|productboardSecrets)\(/.test(
          readFileSync(path.join(ROOT, file), "utf8"),
        ),
      );
    expect(assembling).toEqual([]);
  });
});
