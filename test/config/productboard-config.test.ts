/**
 * The connections file's productboard: section: secrets by reference, a connection that exists,
 * a url without a user or password.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  productboardEntry,
  productboardProblems,
  productboardSecrets,
  productboardUrlProblem,
} from "../../src/config/productboard-config.js";
import { loadServerConfig } from "../../src/config/server-config.js";
import { collectSecrets } from "../../src/telemetry/secrets.js";

const JIRA = `connections:
  jira: { type: jira, url: "https://acme.atlassian.net", email: bot@acme.com, token: { env: JIRA_TOKEN } }
`;
const ENV = {
  WEBHOOK_SECRET: "s",
  JIRA_TOKEN: "jira-token-1234",
  PB_TOKEN: "pb-token-abcdef123",
  PB_SECRET: "pb-plugin-secret-987",
};

function load(section: string, env: Record<string, string> = ENV) {
  const dir = mkdtempSync(path.join(tmpdir(), "trackbridge-pbcfg-"));
  const file = path.join(dir, "connections.yml");
  writeFileSync(file, `${JIRA}${section}`);
  return loadServerConfig({ ...env, TRACKBRIDGE_CONNECTIONS: file });
}

const SECTION = `productboard:
  token: { env: PB_TOKEN }
  integration_id: int-1
  authorization: { env: PB_SECRET }
  connection: jira
  project: PROJ
  type: Task
  statuses: { In progress: In progress, Closed: Released }
`;

describe("the productboard: section", () => {
  it("reads the secrets from their references and defaults the API's address", () => {
    expect(load(SECTION).productboard).toEqual({
      url: "https://api.productboard.com",
      token: "pb-token-abcdef123",
      integrationId: "int-1",
      authorization: "pb-plugin-secret-987",
      connection: "jira",
      project: "PROJ",
      type: "Task",
      statuses: { "In progress": "In progress", Closed: "Released" },
      notify: [],
    });
    expect(load("").productboard).toBeUndefined();
  });

  it("refuses a secret written in the file, and a connection the server does not have", () => {
    expect(() => load(SECTION.replace("{ env: PB_TOKEN }", "pb-token-abcdef123"))).toThrow(
      /productboard\.token/,
    );
    expect(() => load(SECTION.replace("connection: jira", "connection: yandex"))).toThrow(
      'productboard.connection: no tracker connection named "yandex" (have: jira)',
    );
    expect(() => load(`${SECTION}  notify: [{ channel: team, on: [created] }]\n`)).toThrow(
      'productboard.notify: no channel named "team" (have: none)',
    );
    expect(() => load(`${SECTION}  url: "https://bridge:pw@api.productboard.com"\n`)).toThrow(
      "productboard.url must not carry a user or password",
    );
    const { PB_SECRET: _, ...withoutSecret } = ENV;
    expect(() => load(SECTION, withoutSecret)).toThrow(
      "productboard authorization: environment variable PB_SECRET is not set",
    );
  });

  it("lists every rule the section breaks, in the order the loader throws them", () => {
    const entry = productboardEntry.parse({
      url: "https://bridge:pw@api.productboard.com",
      token: { env: "PB_TOKEN" },
      integration_id: "int-1",
      authorization: { env: "PB_SECRET" },
      connection: "yandex",
      project: "PROJ",
      notify: [{ channel: "team", on: ["created"] }],
    });
    expect(productboardProblems(entry, ["jira", "productboard"], [])).toEqual([
      { field: "notify", message: 'productboard.notify: no channel named "team" (have: none)' },
      {
        field: "connection",
        message:
          'productboard.connection: no tracker connection named "yandex" (have: jira, productboard)',
      },
      {
        field: "connections",
        message:
          'a tracker connection is named "productboard": rename it, the productboard section\'s jobs use that name',
      },
      { field: "url", message: "productboard.url must not carry a user or password" },
    ]);
    expect(productboardProblems({ ...entry, url: undefined, notify: [] }, ["yandex"])).toEqual([]);
  });

  it.each([
    ["https://api.productboard.com", undefined],
    ["http://127.0.0.1:8080/pb", undefined],
    ["https://bridge@api.productboard.com", "productboard.url must not carry a user or password"],
    ["https://:pw@api.productboard.com", "productboard.url must not carry a user or password"],
  ])("the url rule on %s", (url, problem) => {
    expect(productboardUrlProblem(url)).toBe(problem);
  });

  it("gives the logger and the scrubber both of its secrets", () => {
    const config = load(SECTION);
    const secrets = collectSecrets(
      {},
      config.connections,
      config.channels,
      productboardSecrets(config.productboard),
    );
    expect(secrets).toEqual(expect.arrayContaining(["pb-token-abcdef123", "pb-plugin-secret-987"]));
  });
});
