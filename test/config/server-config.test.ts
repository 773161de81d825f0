import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadServerConfig } from "../../src/config/server-config.js";
import { typesInWords } from "../../src/trackers/kinds.js";

const yandex = {
  TRACKER_TYPE: "yandex",
  TRACKER_URL: "https://api.tracker.yandex.net",
  TRACKER_TOKEN: "secret-token-1",
  TRACKER_ORG_ID: "123",
};

describe("server configuration from the environment", () => {
  it("one connection from TRACKER_* variables, named after its type", () => {
    const config = loadServerConfig(yandex, "/srv");
    expect(config.connections).toEqual([
      {
        name: "yandex",
        type: "yandex",
        url: "https://api.tracker.yandex.net",
        token: "secret-token-1",
        orgId: "123",
      },
    ]);
    expect(config.port).toBe(3000);
    expect(config.webhookPath).toBe("/api/github/webhooks");
    expect(config.databasePath).toBe("/srv/data/trackbridge.db");
  });

  it("Jira Cloud with an email", () => {
    const config = loadServerConfig({
      TRACKER_TYPE: "jira",
      TRACKER_URL: "https://acme.atlassian.net",
      TRACKER_TOKEN: "t0",
      TRACKER_EMAIL: "bot@acme.com",
    });
    expect(config.connections[0]).toMatchObject({
      name: "jira",
      type: "jira",
      email: "bot@acme.com",
    });
  });

  it.each([
    [{ ...yandex, TRACKER_TYPE: "nope" }, `TRACKER_TYPE must be ${typesInWords()} (got "nope")`],
    [{ ...yandex, TRACKER_URL: "not a url" }, /TRACKER_URL is not a URL/],
    [
      { ...yandex, TRACKER_URL: "https://bot:hunter2@jira.local" },
      /TRACKER_URL must not carry a user or password/,
    ],
    [{ ...yandex, APP_ID: "12" }, /WEBHOOK_SECRET is not set/],
    [{ ...yandex, TRACKER_TOKEN: "" }, /TRACKER_TOKEN is not set/],
    [{ ...yandex, PORT: "eighty" }, /PORT must be a non-negative whole number/],
    [{ ...yandex, TRACKER_AUTH_SCHEME: "Basic" }, /TRACKER_AUTH_SCHEME/],
    [
      { ...yandex, TRACKER_TOKEN_FILE: "/nonexistent/token" },
      /cannot read secret file \/nonexistent\/token/,
    ],
  ])("rejects %o", (env, message) => {
    expect(() => loadServerConfig(env)).toThrow(message);
  });

  it.each([
    [{ ...yandex, TRACKER_TYPE: "nope" }, "secret-token-1"],
    [{ ...yandex, TRACKER_URL: "https://bot:hunter2@jira.local" }, "hunter2"],
  ])("errors never echo a secret", (env, secret) => {
    expect(() => loadServerConfig(env)).toThrow();
    try {
      loadServerConfig(env);
    } catch (error) {
      expect(String(error)).not.toContain(secret);
    }
  });

  it("several named connections from TRACKBRIDGE_CONNECTIONS, secrets by reference", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "tb-conn-"));
    writeFileSync(path.join(dir, "jira.token"), "jira-secret\n");
    writeFileSync(
      path.join(dir, "connections.yml"),
      `connections:
  yandex-main:
    type: yandex
    url: https://api.tracker.yandex.net
    token: { env: YT_TOKEN }
    cloud_org_id: bpf123
    auth_scheme: Bearer
  jira:
    type: jira
    url: https://acme.atlassian.net
    email: bot@acme.com
    token: { file: ${path.join(dir, "jira.token")} }
`,
    );
    const config = loadServerConfig({
      TRACKBRIDGE_CONNECTIONS: path.join(dir, "connections.yml"),
      YT_TOKEN: "yt-secret",
    });
    expect(config.connections).toEqual([
      {
        name: "yandex-main",
        type: "yandex",
        url: "https://api.tracker.yandex.net",
        token: "yt-secret",
        cloudOrgId: "bpf123",
        authScheme: "Bearer",
      },
      {
        name: "jira",
        type: "jira",
        url: "https://acme.atlassian.net",
        token: "jira-secret",
        email: "bot@acme.com",
      },
    ]);
  });

  it("webhook secrets: TRACKER_WEBHOOK_SECRET, or webhook_secret by reference; the poll interval", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "tb-config-"));
    writeFileSync(
      path.join(dir, "c.yml"),
      "connections:\n  jira2:\n    type: jira\n    url: https://acme.atlassian.net\n    token: { env: J_TOKEN }\n    webhook_secret: { env: J_HOOK }\n",
    );
    const config = loadServerConfig({
      ...yandex,
      TRACKER_WEBHOOK_SECRET: "yandex-hook-secret",
      TRACKBRIDGE_TRACKER_POLL_SECONDS: "60",
      J_TOKEN: "jira-token",
      J_HOOK: "jira-hook-secret",
      TRACKBRIDGE_CONNECTIONS: path.join(dir, "c.yml"),
    });
    expect(config.trackerPollMs).toBe(60_000);
    expect(config.connections.map((c) => [c.name, c.webhookSecret, c.webhookSecretFrom])).toEqual([
      ["yandex", "yandex-hook-secret", "environment variable TRACKER_WEBHOOK_SECRET"],
      ["jira2", "jira-hook-secret", "environment variable J_HOOK"],
    ]);
    expect(loadServerConfig(yandex).trackerPollMs).toBe(300_000);
    expect(() =>
      loadServerConfig({
        ...yandex,
        J_TOKEN: "t",
        TRACKBRIDGE_CONNECTIONS: path.join(dir, "c.yml"),
      }),
    ).toThrow('connection "jira2" webhook_secret: environment variable J_HOOK is not set');
  });

  it("the connections file takes each kind's own keys, and names the entry and key at fault", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "tb-conn-"));
    const file = path.join(dir, "c.yml");
    const entry = (type: string, extra = "") =>
      `    type: ${type}\n    url: https://x.example\n    token: { env: T }\n${extra}`;
    writeFileSync(
      file,
      `connections:\n  y:\n${entry("yandex", "    org_id: '42'\n    auth_scheme: Bearer\n")}  j:\n${entry("jira", "    email: bot@x.example\n")}`,
    );
    const config = loadServerConfig({ T: "t", TRACKBRIDGE_CONNECTIONS: file });
    expect(
      config.connections.map(({ name, orgId, authScheme, email }) => ({
        name,
        orgId,
        authScheme,
        email,
      })),
    ).toEqual([
      { name: "y", orgId: "42", authScheme: "Bearer", email: undefined },
      { name: "j", orgId: undefined, authScheme: undefined, email: "bot@x.example" },
    ]);

    writeFileSync(
      file,
      `connections:\n  a:\n${entry("nope")}  b:\n${entry("yandex", "    email: bot@x.example\n")}`,
    );
    const error = (() => {
      try {
        loadServerConfig({ T: "t", TRACKBRIDGE_CONNECTIONS: file });
      } catch (caught) {
        return String(caught);
      }
    })();
    expect(error).toContain(`type must be ${typesInWords()}\n  → at connections.a.type`);
    expect(error).toMatch(/Unrecognized key: "email"\n\s*→ at connections\.b/);
  });

  it("a literal token in the connections file is refused", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "tb-conn-"));
    writeFileSync(
      path.join(dir, "c.yml"),
      "connections:\n  y:\n    type: yandex\n    url: https://x.example\n    token: plain-secret\n",
    );
    expect(() => loadServerConfig({ TRACKBRIDGE_CONNECTIONS: path.join(dir, "c.yml") })).toThrow(
      /secrets must be \{env: NAME\} or \{file: PATH\}/,
    );
    try {
      loadServerConfig({ TRACKBRIDGE_CONNECTIONS: path.join(dir, "c.yml") });
    } catch (error) {
      expect(String(error)).not.toContain("plain-secret");
    }
  });

  it("a connection name used twice is refused", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "tb-conn-"));
    writeFileSync(
      path.join(dir, "c.yml"),
      "connections:\n  yandex:\n    type: yandex\n    url: https://x.example\n    token: { env: X }\n",
    );
    expect(() =>
      loadServerConfig({ ...yandex, X: "x", TRACKBRIDGE_CONNECTIONS: path.join(dir, "c.yml") }),
    ).toThrow(/defined twice/);
  });

  it("a connection's concurrency: TRACKER_CONCURRENCY, or concurrency in the connections file, 1 to 64", () => {
    expect(loadServerConfig({ ...yandex, TRACKER_CONCURRENCY: "6" }).connections[0]).toMatchObject({
      concurrency: 6,
    });
    expect(loadServerConfig(yandex).connections[0]).not.toHaveProperty("concurrency");
    for (const raw of ["0", "65", "2.5", "many"])
      expect(() => loadServerConfig({ ...yandex, TRACKER_CONCURRENCY: raw })).toThrow(
        `TRACKER_CONCURRENCY must be a whole number from 1 to 64 (got "${raw}")`,
      );
    const dir = mkdtempSync(path.join(tmpdir(), "tb-conn-"));
    const file = (concurrency: string) => {
      writeFileSync(
        path.join(dir, "c.yml"),
        `connections:\n  y:\n    type: yandex\n    url: https://x.example\n    token: { env: X }\n    concurrency: ${concurrency}\n`,
      );
      return { X: "x", TRACKBRIDGE_CONNECTIONS: path.join(dir, "c.yml") };
    };
    expect(loadServerConfig(file("2")).connections[0]).toMatchObject({ name: "y", concurrency: 2 });
    expect(() => loadServerConfig(file("0"))).toThrow(/is invalid[\s\S]*concurrency/);
    expect(() => loadServerConfig(file("fast"))).toThrow(/is invalid[\s\S]*concurrency/);
  });

  it("a Linear connection's people map holds Linear user ids: an e-mail there is refused at load, naming the entry", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "tb-conn-"));
    const file = (person: string) => {
      writeFileSync(
        path.join(dir, "c.yml"),
        `connections:\n  lin:\n    type: linear\n    url: https://api.linear.app\n    token: { env: X }\n    people:\n      alice-gh: ${person}\n`,
      );
      return { X: "x", TRACKBRIDGE_CONNECTIONS: path.join(dir, "c.yml") };
    };
    const id = "9cfb482a-81e3-4154-b5b9-2c805e70a02d";
    expect(loadServerConfig(file(id)).connections[0]).toMatchObject({
      name: "lin",
      people: { "alice-gh": id },
    });
    expect(() => loadServerConfig(file("alice@acme.test"))).toThrow(
      /must be a Linear user id[\s\S]*got "alice@acme\.test"[\s\S]*connections\.lin\.people\["alice-gh"\]/,
    );
  });
});
