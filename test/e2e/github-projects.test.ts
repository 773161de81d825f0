/**
 * GitHub Projects end to end: the real App as a child process (`npm start`'s command) with
 * TRACKER_TYPE=github-projects and no tracker token, against the GitHub simulator that serves
 * both the REST API and the project's GraphQL. A PR that says "Closes #12" is opened, approved
 * and merged; issue #12's Status follows on the org project, through the App's own
 * installation token. The check run lists the keys as GitHub references. Then a bench
 * pipeline runs the bundled Action with `tracker: github-projects` and a token of the App's
 * installation (as actions/create-github-app-token mints it): the key comes from GitHub's
 * issue branch (21-bench), the bench URL lands in the project's text field, `status` moves it.
 * A card moved by hand reaches the PR's `trackbridge/issue` check through GitHub's signed
 * `projects_v2_item` webhook; a forged one gets 401 and nothing is stored. The console's Test
 * connection reads the project through the App's installation.
 */
import { generateKeyPairSync, randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type GitHubSimulator,
  type SimRepository,
  signPayload,
  startGitHubSimulator,
} from "../../src/simulators/github/index.js";
import { type ActionRunner, prepareActionRunner } from "../../src/simulators/runner/run-action.js";
import {
  githubNow,
  pullRequestPayload,
  reviewPayload,
} from "../../src/simulators/scenario/payloads.js";
import { tokenExposure } from "../action/helpers/token-exposure.js";
import { statusEdited } from "../helpers/project-item-example.js";
import { probotOctokit } from "../simulators/github-fixtures.js";
import {
  type AppProcess,
  freePort,
  startAppProcess,
  storedDeliveries,
  waitFor,
} from "./app-process.js";
import { user } from "./world.js";

const APP_ID = 4242;
const BENCH = "https://pr-21.bench.acme.test";
const CONSOLE_TOKEN = "console-token-for-the-github-projects-e2e-0123456789";
const INSTALLATION = 77;
const CONFIG = `statuses:
  opened: In Progress
  approved: Ready for Test
  changes_requested: Needs Improvement
  merged: Done
protect: [Done]
bench:
  field: Bench link
`;

let github: GitHubSimulator;
let repository: SimRepository;
let app: AppProcess;
let dir: string;
let runner: ActionRunner;
let privateKey: string;
let webhookSecret: string;
let port: number;

beforeAll(async () => {
  const keys = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  const { publicKey } = keys;
  privateKey = keys.privateKey;
  runner = await prepareActionRunner({ repository: "acme/web" });
  const secret = `whsec-${randomBytes(8).toString("hex")}`;
  webhookSecret = secret;
  github = await startGitHubSimulator({ appId: APP_ID, publicKey });
  repository = github.addRepo({ owner: "acme", name: "web", installationId: INSTALLATION });
  github.setFile("acme", "web", ".github/trackbridge.yml", CONFIG);
  dir = mkdtempSync(path.join(tmpdir(), "trackbridge-ghp-"));
  port = await freePort();
  app = await startAppProcess(
    {
      APP_ID: String(APP_ID),
      PRIVATE_KEY: privateKey,
      WEBHOOK_SECRET: secret,
      GHE_HOST: new URL(github.url).host,
      GHE_PROTOCOL: "http",
      LOG_LEVEL: "warn",
      TRACKBRIDGE_DB: path.join(dir, "trackbridge.db"),
      TRACKBRIDGE_REDELIVERY_INTERVAL_SECONDS: "0",
      TRACKER_TYPE: "github-projects",
      TRACKER_PROJECT: "https://github.com/orgs/acme/projects/1",
      TRACKBRIDGE_CONSOLE_TOKEN: CONSOLE_TOKEN,
    },
    port,
  );
  github.configureWebhooks({ url: `http://127.0.0.1:${port}/api/github/webhooks`, secret });
}, 120_000);

afterAll(async () => {
  app?.child.kill("SIGTERM");
  await app?.exited;
  await github?.close();
  await runner?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const common = (login: string, type: "User" | "Bot" = "User") => ({
  repository,
  installationId: INSTALLATION,
  sender: user(login, type),
});

async function deliver(event: string, payload: unknown) {
  const result = await github.deliver({ event, payload });
  if (result.status_code >= 300) throw new Error(`App answered ${result.status_code}`);
}

/** Waits for `condition`; failing, says what the App logged and reported. */
async function until(condition: () => boolean) {
  // Generous: under a full parallel run the App process gets a sliver of the 2 cores.
  await waitFor(condition, 60_000).catch(() => {
    const runs = github.checkRuns("acme", "web").map((r) => r.output.summary);
    throw new Error(`not reached; check runs: ${JSON.stringify(runs)}\nApp: ${app.output()}`);
  });
}

const status = (key: string) => github.projects.getIssue(key).status;

/**
 * Puts `issue` on the board at Todo, opens alice's PR that closes it, and waits for the App to
 * move the issue to In Progress.
 */
async function openPrClosing(
  issue: string,
  pr: { number: number; title: string; body: string; head: { ref: string; sha: string } },
) {
  github.projects.createIssue(issue, { status: "Todo" });
  const opened = github.addPullRequest("acme", "web", { ...pr, user: "alice" });
  await deliver("pull_request", pullRequestPayload("opened", opened, common("alice")));
  await until(() => status(issue) === "In Progress");
  return opened;
}

describe("a pull request's life moves its issue on a GitHub project (App as a process)", () => {
  it("Closes #12: opened → approved → merged moves the Status of #12, and only of #12", async () => {
    github.projects.createIssue("acme/web#7", { status: "Todo" });
    const pr = await openPrClosing("acme/web#12", {
      number: 3,
      title: "Login form",
      body: "Closes #12. Refs #7, UTF-8",
      head: { ref: "login-form", sha: "c".repeat(40) },
    });

    await deliver("pull_request_review", reviewPayload("approved", pr, common("bob"), githubNow()));
    await until(() => status("acme/web#12") === "Ready for Test");

    const at = githubNow();
    const merged = github.updatePullRequest("acme", "web", 3, {
      state: "closed",
      merged: true,
      mergedAt: at,
      closedAt: at,
    });
    await deliver("pull_request", pullRequestPayload("closed", merged, common("alice")));
    await until(() => status("acme/web#12") === "Done");

    // A reference is linked (natively), never moved; UTF-8 is no key here either.
    expect(status("acme/web#7")).toBe("Todo");
    const summary = () => github.checkRuns("acme", "web").at(-1)?.output.summary ?? "";
    // Check-run writes of a commit are coalesced (1 s): the merge's report comes after the move.
    await until(() => summary().includes("move to Done"));
    expect(summary()).toContain(
      "| acme/web#12 | body | moving | move to Done (merged) | moved Ready for Test → Done |",
    );
    expect(summary()).toContain("| acme/web#7 | body | reference | link PR | already linked");
    expect(summary()).not.toContain("UTF");
    // The project was changed with the App's installation token, GraphQL at GHE's /api/graphql.
    const graphql = github.requests.filter((r) => r.path === "/graphql");
    expect(graphql.length).toBeGreaterThan(0);
    expect(graphql.every((r) => r.status === 200)).toBe(true);
    expect(github.requests.some((r) => r.path === "/orgs/acme/installation")).toBe(true);
  }, 180_000);

  it("the Action writes the bench URL into the project's text field and moves the issue (status input)", async () => {
    github.projects.createIssue("acme/web#21", { status: "Todo" });
    // The workflow's token: the App's installation token, as actions/create-github-app-token mints it.
    const octokit = probotOctokit({
      baseUrl: github.url,
      privateKey,
      installationId: INSTALLATION,
    });
    const { token } = (await octokit.auth({ type: "installation" })) as { token: string };
    const run = await runner.run(
      {
        tracker: "github-projects",
        url: github.url,
        token,
        project: "acme/1",
        field: "Bench link",
        value: BENCH,
        status: "Ready for Test",
      },
      { name: "push", payload: {}, env: { GITHUB_REF_NAME: "21-bench" } },
    );
    expect(run.errors).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.outputs).toEqual({ "issue-keys": "acme/web#21", updated: "1" });
    expect(github.projects.getIssue("acme/web#21")).toMatchObject({
      status: "Ready for Test",
      fields: { "Bench link": BENCH },
    });
    expect(tokenExposure(run, token)).toEqual([]);
  }, 60_000);

  it("a card moved by hand reaches the PR's issue check through GitHub's signed projects_v2_item; a forged one gets 401 and stores nothing", async () => {
    const pr = await openPrClosing("acme/web#30", {
      number: 4,
      title: "Search",
      body: "Closes #30",
      head: { ref: "search", sha: "d".repeat(40) },
    });
    const issueCheck = () =>
      github
        .checkRuns("acme", "web")
        .filter((r) => r.name === "trackbridge/issue" && r.head_sha === pr.head.sha)
        .at(-1)?.output.summary ?? "";
    // No merge_gate: the App's own moves write no issue check; the hand move's will.

    // Someone drags the card to Done on the board; GitHub tells the App.
    github.projects.updateIssue("acme/web#30", { Status: "Done" });
    const payload = statusEdited(github, github.projects.getIssue("acme/web#30").id, INSTALLATION);
    const storedItemEvents = () =>
      storedDeliveries(path.join(dir, "trackbridge.db"), "projects_v2_item");
    const before = await storedItemEvents();
    const body = JSON.stringify(payload);
    const forged = await fetch(`http://127.0.0.1:${port}/api/github/webhooks`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "projects_v2_item",
        "x-github-delivery": randomUUID(),
        "x-hub-signature-256": await signPayload("not-the-apps-secret", body),
      },
      body,
    });
    expect(forged.status).toBe(401);
    expect(await forged.text()).not.toContain(webhookSecret);
    // What a forged call could change is the store: the check would follow only after a job ran.
    expect(await storedItemEvents()).toBe(before);

    await deliver("projects_v2_item", payload);
    await until(() => issueCheck().includes("| acme/web#30 | Done |"));
    expect(await storedItemEvents()).toBe(before + 1);
  }, 120_000);

  it("the console's Test connection reads the project through the App's installation", async () => {
    const answer = await fetch(
      `http://127.0.0.1:${port}/console/api/connections/github-projects/test`,
      { method: "POST", headers: { authorization: `Bearer ${CONSOLE_TOKEN}` } },
    );
    expect(answer.status).toBe(200);
    const result = (await answer.json()) as Record<string, unknown>;
    expect(result).toMatchObject({ ok: true, connection: "github-projects", login: null });
    expect(String(result.name)).toMatch(/^the App's installation on acme \(project ".+"\)$/);
    expect(JSON.stringify(result)).not.toMatch(/ghs_\w+/);
  });
});
