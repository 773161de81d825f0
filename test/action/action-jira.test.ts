/**
 * The bundled Action against the Jira simulator: Cloud (e-mail + API token, REST v3) with a
 * field named by its display name, and Data Center (personal access token, REST v2).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type JiraSimulator, startJiraSimulator } from "../../src/simulators/jira/index.js";
import {
  type ActionRun,
  type ActionRunner,
  prepareActionRunner,
} from "../../src/simulators/runner/run-action.js";
import { pullRequestPayload } from "./helpers/payloads.js";
import { tokenExposure } from "./helpers/token-exposure.js";

const EMAIL = "ci-bot@acme.test";
const TOKEN = "ATATT3xFfGF0-jira-api-token";
const BENCH = "https://pr-12.bench.example.test";

let cloud: JiraSimulator;
let dataCenter: JiraSimulator;
let runner: ActionRunner;
const runs: ActionRun[] = [];

beforeAll(async () => {
  cloud = await startJiraSimulator({ email: EMAIL, token: TOKEN, apiVersion: 3 });
  dataCenter = await startJiraSimulator({ token: TOKEN, apiVersion: 2 });
  runner = await prepareActionRunner();
});
afterAll(async () => {
  await cloud.close();
  await dataCenter.close();
  await runner.cleanup();
});
afterEach(() => {
  cloud.reset();
  dataCenter.reset();
  for (const run of runs.splice(0)) {
    expect(tokenExposure(run, TOKEN)).toEqual([]);
    // Jira Cloud's Basic credential is the token in another form; it must not show either.
    expect(tokenExposure(run, Buffer.from(`${EMAIL}:${TOKEN}`).toString("base64"))).toEqual([]);
  }
});

const PR = {
  name: "pull_request",
  payload: pullRequestPayload("feature/SHOP-12-cart", "Cart page"),
  env: { GITHUB_HEAD_REF: "feature/SHOP-12-cart", GITHUB_REF_NAME: "12/merge" },
};

async function action(sim: JiraSimulator, overrides: Record<string, string>): Promise<ActionRun> {
  const run = await runner.run(
    {
      tracker: "jira",
      url: sim.url,
      token: TOKEN,
      field: "Bench link",
      value: BENCH,
      ...overrides,
    },
    PR,
  );
  runs.push(run);
  return run;
}

describe("the Action on Jira", () => {
  it("fix-version stamps the release, creating the project version when missing", async () => {
    cloud.createIssue("SHOP-12");
    const run = await action(cloud, { email: EMAIL, "fix-version": "2.4.0" });
    expect(run.code).toBe(0);
    expect(cloud.versions("SHOP")).toEqual(["2.4.0"]);
    expect(cloud.getIssue("SHOP-12").fixVersions).toEqual(["2.4.0"]);
    expect(cloud.getIssue("SHOP-12").fields.customfield_10010).toBe(BENCH);
    const again = await action(cloud, { email: EMAIL, "fix-version": "2.4.0" });
    expect(again.code).toBe(0);
    expect(cloud.versions("SHOP")).toEqual(["2.4.0"]);
  });

  it("resolves a display-name field on Jira Cloud and moves the issue", async () => {
    cloud.createIssue("SHOP-12");
    const run = await action(cloud, { email: EMAIL, status: "Ready for test" });

    expect(run.code).toBe(0);
    const issue = cloud.getIssue("SHOP-12");
    expect(issue.fields.customfield_10010).toBe(BENCH);
    expect(issue.status.display).toBe("Ready for test");
    expect(run.outputs).toEqual({ "issue-keys": "SHOP-12", updated: "1" });
    expect(run.summary).toContain(`| SHOP-12 | Bench link | ${BENCH} | ✅ set |`);
    expect(run.stdout.split("\n").slice(0, 2)).toEqual([
      `::add-mask::${TOKEN}`,
      `::add-mask::${Buffer.from(`${EMAIL}:${TOKEN}`).toString("base64")}`,
    ]);
  });

  it("takes a field id as is on Data Center", async () => {
    dataCenter.createIssue("SHOP-12");
    const run = await action(dataCenter, { field: "customfield_10010", comment: "Bench: {value}" });

    expect(run.code).toBe(0);
    const issue = dataCenter.getIssue("SHOP-12");
    expect(issue.fields.customfield_10010).toBe(BENCH);
    expect(issue.comments.map((comment) => comment.text.split("\n")[0])).toEqual([
      `Bench: ${BENCH}`,
    ]);
  });

  it("reports a field that cannot be set with Jira's own message", async () => {
    cloud.createIssue("SHOP-12");
    const run = await action(cloud, { email: EMAIL, field: "Team", status: "Ready for test" });

    expect(run.code).toBe(1);
    expect(run.errors).toEqual([
      expect.stringMatching(
        /^Jira at 127\.0\.0\.1:\d+ refused to set "Team" \(customfield_10030\) on SHOP-12 \(400\): Field 'customfield_10030' cannot be set\. It is not on the appropriate screen, or unknown\.$/,
      ),
    ]);
    // The move after a failed field is skipped, and the summary says so.
    expect(cloud.getIssue("SHOP-12").status.display).toBe("Open");
    expect(run.summary).toContain(
      "| SHOP-12 | status | Ready for test | ⏭️ skipped: an earlier change to this issue failed |",
    );
  });

  it("lists the custom fields when no field has the name", async () => {
    cloud.createIssue("SHOP-12");
    const run = await action(cloud, { email: EMAIL, field: "Bench URL" });

    expect(run.code).toBe(1);
    expect(run.errors[0]).toMatch(
      /^no field named "Bench URL" in Jira at 127\.0\.0\.1:\d+; custom fields there: "Bench link"/,
    );
  });

  it("explains a 401 with the Jira Cloud credentials to check", async () => {
    cloud.createIssue("SHOP-12");
    const run = await action(cloud, { email: "someone-else@acme.test" });

    expect(run.code).toBe(1);
    expect(run.errors).toEqual([
      expect.stringMatching(
        /rejected the token \(401 Unauthorized\)\. Check the "token" and "email" inputs/,
      ),
    ]);
  });
});
