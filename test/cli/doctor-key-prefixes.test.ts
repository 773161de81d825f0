/**
 * doctor's key-prefix line: a numbered connection's prefix that is a project of another
 * connection (asked over real HTTP of the Jira simulator), or of another numbered
 * connection, is named as a failure; a free prefix is fine.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkKeyPrefixes } from "../../src/doctor/key-prefixes.js";
import { type JiraSimulator, startJiraSimulator } from "../../src/simulators/jira/index.js";
import type { TrackerConnection } from "../../src/trackers/connection.js";

const TOKEN = "jira-token-for-doctor-prefixes";

describe("doctor: key prefixes", () => {
  let jira: JiraSimulator;
  beforeAll(async () => {
    jira = await startJiraSimulator({ token: TOKEN, email: "bot@acme.test", apiVersion: 3 });
    jira.createIssue("RM-1");
    jira.createIssue("PROJ-1");
  });
  afterAll(() => jira.close());

  const jiraConnection = (): TrackerConnection => ({
    name: "jira",
    type: "jira",
    url: jira.url,
    token: TOKEN,
    email: "bot@acme.test",
  });
  const redmine = (prefix: string, name = "redmine"): TrackerConnection => ({
    name,
    type: "redmine",
    url: "http://127.0.0.1:9",
    token: "unused",
    keyPrefix: prefix,
  });

  it("names a prefix that is a project of another connection", async () => {
    const checks = await checkKeyPrefixes([jiraConnection(), redmine("RM")], { timeoutMs: 5000 });
    expect(checks).toEqual([
      {
        name: "key prefixes",
        status: "fail",
        detail:
          'connection "jira" (jira) has a project RM, the key prefix of connection "redmine" (redmine): RM-123 would name an issue of both',
        fix: 'give "redmine" another key_prefix, one that is no project or queue key of "jira"',
      },
    ]);
    expect(JSON.stringify(checks)).not.toContain(TOKEN);
  });

  it("is fine with a prefix no other connection uses", async () => {
    const checks = await checkKeyPrefixes([jiraConnection(), redmine("RX")], { timeoutMs: 5000 });
    expect(checks).toEqual([
      {
        name: "key prefixes",
        status: "ok",
        detail: "RX (redmine) name only their own tickets; no project of jira has one",
      },
    ]);
  });

  it("names two numbered connections with one prefix, and says nothing without numbered ones", async () => {
    const checks = await checkKeyPrefixes([redmine("RT", "redmine"), redmine("rt", "rt")], {
      timeoutMs: 5000,
    });
    expect(checks.map((c) => `${c.status}: ${c.detail}`)).toEqual([
      'fail: connections "redmine" and "rt" both use the key prefix RT: RT-123 would name a ticket of each',
    ]);
    expect(await checkKeyPrefixes([jiraConnection()], { timeoutMs: 5000 })).toEqual([]);
  });
});
