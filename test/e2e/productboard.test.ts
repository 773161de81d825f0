/**
 * Productboard features follow the work, over real HTTP with the App as a child process (as
 * `npm start` runs it) against the GitHub, Jira and Productboard simulators: the integration's
 * probe is answered; a PM's push creates one Jira issue and connects the feature's button to
 * it; the PR that moves the issue moves the feature's status through the status map, with one
 * Productboard request per move (Jira's webhook echoing the App's move adds none); a call
 * without the integration's authorization is refused and stores nothing; the issue deleted
 * (found by the App, or named by Jira's webhook) sets the button back to its initial state, and
 * the button's unlink forgets the issue.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FEATURE_EVENT } from "../../src/handlers/plan-feature.js";
import {
  type ProductboardSimulator,
  startProductboardSimulator,
} from "../../src/simulators/productboard/index.js";
import { githubNow, pullRequestPayload } from "../../src/simulators/scenario/payloads.js";
import type { Testbed } from "../../src/simulators/scenario/testbed.js";
import { type SlackSimulator, startSlackSimulator } from "../../src/simulators/slack/index.js";
import {
  type AppProcess,
  outstanding,
  startJiraConnectionsApp,
  storedDeliveries,
  waitFor,
} from "./app-process.js";
import { common, jiraSignature, jiraStatusChange, openPr } from "./world.js";

const PB_TOKEN = "pb-token-0123456789abcdef";
const PLUGIN_SECRET = "pb-plugin-secret-fedcba9876543210";
const JIRA_WEBHOOK_SECRET = "jira-webhook-secret-13579bdf";
const INTEGRATION = "3b0a4c1e-5d2f-4e8a-9c7b-1f2e3d4c5b6a";
const CONFIG = `connection: jira
keys: { projects: [PROJ] }
statuses: { opened: In progress, merged: Closed }
`;

function connectionsFile(jira: string, productboard: string): string {
  return `connections:
  jira:
    type: jira
    url: ${jira}
    email: bot@example.com
    token: { env: JIRA_TOKEN }
    webhook_secret: { env: JIRA_WEBHOOK_SECRET }
channels:
  pm-slack: { type: slack, webhook_url: { env: SLACK_WEBHOOK_URL } }
productboard:
  url: ${productboard}
  token: { env: PRODUCTBOARD_TOKEN }
  integration_id: ${INTEGRATION}
  authorization: { env: PRODUCTBOARD_PLUGIN_SECRET }
  connection: jira
  project: PROJ
  statuses:
    In progress: In progress
    Closed: Released
  notify: [{ channel: pm-slack, on: [created, unlinked] }]
`;
}

describe("Productboard features follow the work with the App as a process", {
  timeout: 240_000,
}, () => {
  let bed: Testbed;
  let pb: ProductboardSimulator;
  let slack: SlackSimulator;
  let app: AppProcess;
  let dir: string;

  beforeAll(async () => {
    pb = await startProductboardSimulator({ token: PB_TOKEN });
    slack = await startSlackSimulator({ token: "xoxb-not-used" });
    dir = mkdtempSync(path.join(tmpdir(), "trackbridge-pb-"));
    ({ bed, app } = await startJiraConnectionsApp({
      file: path.join(dir, "connections.yml"),
      connections: (jira) => connectionsFile(jira, pb.url),
      repoConfig: CONFIG,
      env: {
        PRODUCTBOARD_TOKEN: PB_TOKEN,
        PRODUCTBOARD_PLUGIN_SECRET: PLUGIN_SECRET,
        JIRA_WEBHOOK_SECRET,
        SLACK_WEBHOOK_URL: slack.webhookUrl,
      },
      appEnv: { LOG_LEVEL: "debug" },
    }));
    // As an operator sets it up: Productboard probes the action URL before it keeps it.
    await pb.createIntegration({
      id: INTEGRATION,
      url: `${app.url}/api/productboard/plugin`,
      authorization: PLUGIN_SECRET,
    });
  }, 120_000);
  afterAll(async () => {
    if (process.env.DEBUG_APP) console.log(app?.output().slice(-6000));
    app?.child.kill("SIGKILL");
    await bed?.close();
    await pb?.close();
    await slack?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("refuses a call without the integration's authorization and stores nothing", async () => {
    const feature = pb.createFeature({ name: "Forged" });
    const stored = () => storedDeliveries(bed.config.databasePath, FEATURE_EVENT);
    const before = await stored();
    const wrong = await pb.push(feature.id, "Bearer guess");
    expect(wrong.status).toBe(401);
    const none = await fetch(`${app.url}/api/productboard/plugin`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ data: { trigger: "button.push", feature: { id: feature.id } } }),
    });
    expect(none.status).toBe(401);
    // A stored call would reach Productboard only once its job ran: the store is what tells.
    expect(await stored()).toBe(before);
  });

  let sso = "";
  const deliver = async (event: string, payload: unknown) => {
    const answer = await bed.github.deliver({ event, payload });
    expect(answer.status_code).toBe(202);
  };
  const puts = (id: string) => pb.requests.filter((r) => r.method === "PUT" && r.path.endsWith(id));
  /** A new feature pushed until its button is connected to its new issue. */
  const pushedFeature = async (name: string) => {
    const { id } = pb.createFeature({ name });
    await pb.push(id);
    await waitFor(() => pb.connection(id).state === "connected");
    return { id, key: String(pb.connection(id).label) };
  };
  /** Jira's webhook for a status change of `key`, signed as Jira signs it. */
  const jiraWebhook = (key: string, from: string, to: string) => {
    const body = jiraStatusChange(key, from, to);
    return fetch(`${app.url}/api/trackers/jira/webhooks`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-hub-signature": jiraSignature(JIRA_WEBHOOK_SECRET, body),
      },
      body,
    });
  };

  it("a push creates one Jira issue and connects the feature to it", async () => {
    sso = pb.createFeature({
      name: "Sign in with SSO",
      description: "<p>Sign in with <b>SSO</b> &amp; keep the session</p>",
    }).id;
    const answer = await pb.push(sso);
    expect(answer).toEqual({ status: 200, body: { data: { connection: { state: "progress" } } } });

    await waitFor(() => pb.connection(sso).state === "connected");
    // The one call the refused ones were counted against: the first the store holds.
    expect(await storedDeliveries(bed.config.databasePath, FEATURE_EVENT)).toBe(1);
    expect(bed.tracker.issueKeys("PROJ")).toEqual(["PROJ-1"]);
    expect(bed.tracker.getIssue("PROJ-1").fields.summary).toBe("Sign in with SSO");
    expect(pb.connection(sso)).toMatchObject({
      state: "connected",
      label: "PROJ-1",
      targetUrl: `${bed.tracker.url}/browse/PROJ-1`,
    });
    // Every call carried the token and the API version.
    expect(pb.requests.filter((r) => r.status === 401 || r.status === 400)).toEqual([]);

    // Pushed again, the connected feature is connected again and nothing more is created.
    await pb.push(sso);
    await waitFor(() => puts(sso).length === 2);
    expect(bed.tracker.issueKeys("PROJ")).toEqual(["PROJ-1"]);

    // The section's channel hears of it, with the feature's address.
    const link = `https://acme.productboard.com/entity-detail/features/${sso}`;
    await waitFor(() =>
      slack.messages.some((m) =>
        m.text.includes(`created PROJ-1 for Productboard feature ${link}`),
      ),
    );
  });

  it("moving that issue moves the feature's status through the map, once per move", async () => {
    expect(pb.feature(sso).status.name).toBe("New idea");
    const pr = openPr(bed, { number: 1, branch: "feature/PROJ-1-sso", title: "PROJ-1: SSO" });
    await deliver("pull_request", pullRequestPayload("opened", pr, common(bed)));
    await waitFor(() => bed.tracker.getIssue("PROJ-1").status.display === "In progress");
    await waitFor(() => pb.feature(sso).status.name === "In progress");

    const at = githubNow(2000);
    const merged = bed.github.updatePullRequest(bed.owner, bed.repo, 1, {
      state: "closed",
      merged: true,
      mergedAt: at,
      closedAt: at,
    });
    const before = pb.requests.length;
    await deliver("pull_request", pullRequestPayload("closed", merged, common(bed)));
    await waitFor(() => bed.tracker.getIssue("PROJ-1").status.display === "Closed");
    await waitFor(() => pb.feature(sso).status.name === "Released");

    // Jira then tells the App of the move it made itself: the feature has followed it already.
    expect((await jiraWebhook("PROJ-1", "In progress", "Closed")).status).toBe(202);
    // The stored echo is planned and every job it could make has run.
    await waitFor(async () => (await outstanding(bed)) === 0);
    const made = pb.requests.slice(before).map((r) => `${r.method} ${r.path}`);
    expect(made).toEqual([`PATCH /features/${sso}`]);
  });

  it("a person's move in Jira, told by its webhook, moves the feature too", async () => {
    bed.tracker.updateIssue("PROJ-1", { status: "In progress" });
    expect((await jiraWebhook("PROJ-1", "Closed", "In progress")).status).toBe(202);
    await waitFor(() => pb.feature(sso).status.name === "In progress");
  });

  it("the issue deleted sets the feature's button back; the button's unlink forgets its issue", async () => {
    const { id: dark, key } = await pushedFeature("Dark mode");
    bed.tracker.deleteIssue(key);
    // The App touches the issue (a PR names it): Jira answers 404.
    const pr = openPr(bed, { number: 2, branch: `feature/${key}-dark`, title: `${key}: Dark` });
    await deliver("pull_request", pullRequestPayload("opened", pr, common(bed)));
    await waitFor(() => pb.connection(dark).state === "initial");
    await waitFor(() =>
      slack.messages.some((m) => m.text.includes(`unlinked: ${key} no longer exists`)),
    );

    // Pushed again, the feature gets a new issue, not the deleted one found again.
    await pb.push(dark);
    await waitFor(() => pb.connection(dark).state === "connected");
    const second = String(pb.connection(dark).label);
    expect(second).not.toBe(key);
    expect(bed.tracker.hasIssue(second)).toBe(true);

    const unlinked = await pb.unlink(dark);
    expect(unlinked).toEqual({ status: 200, body: { data: { connection: { state: "initial" } } } });
    // Once forgotten, a push is a new issue again.
    await pb.push(dark);
    await waitFor(
      () => pb.connection(dark).state === "connected" && pb.connection(dark).label !== second,
    );
  });

  it("Jira's webhook about an issue deleted since sets its feature's button back", async () => {
    const { id: gone, key } = await pushedFeature("Audit log");
    bed.tracker.deleteIssue(key);
    expect((await jiraWebhook(key, "Open", "In progress")).status).toBe(202);
    await waitFor(() => pb.connection(gone).state === "initial");
  });

  it("never prints the Productboard token or the plugin's authorization", () => {
    const output = app.output();
    // The capture works: the debug log saw the Productboard calls and the jobs.
    expect(output).toContain("Productboard feature call recorded");
    expect(output).toContain("feature status set to Released");
    expect(output).not.toContain(PB_TOKEN);
    expect(output).not.toContain(PLUGIN_SECRET);
  });
});
