/**
 * Linear end to end: the real App as a process (`npm start`'s command) against the GitHub and
 * Linear simulators. One PR's life moves its issue through the team's states, the PR is
 * attached once, the bundled Action attaches the bench URL, and Linear's webhook endpoint
 * takes only signed, fresh deliveries.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSqliteStore } from "../../src/delivery/open-store.js";
import { issueStateChanged, linearWebhook } from "../../src/simulators/linear/webhook.js";
import { type ActionRunner, prepareActionRunner } from "../../src/simulators/runner/run-action.js";
import {
  githubNow,
  pullRequestPayload,
  reviewPayload,
} from "../../src/simulators/scenario/payloads.js";
import type { Testbed } from "../../src/simulators/scenario/testbed.js";
import { tokenExposure } from "../action/helpers/token-exposure.js";
import { type AppProcess, startAppProcess, startProcessTestbed, waitFor } from "./app-process.js";
import { common, openPr } from "./world.js";

const SECRET = "lin_wh_0123456789abcdef";
const BENCH = "https://pr-1.bench.acme.test";

describe("Linear, the App as a process", () => {
  let bed: Testbed;
  let app: AppProcess;
  let runner: ActionRunner;

  beforeAll(async () => {
    const started = await startProcessTestbed(
      { TRACKER_WEBHOOK_SECRET: SECRET, TRACKBRIDGE_REDELIVERY_INTERVAL_SECONDS: "3600" },
      "linear",
    );
    bed = started.bed;
    app = await startAppProcess(bed.env, started.port);
    runner = await prepareActionRunner();
  }, 90_000);
  afterAll(async () => {
    app?.child.kill("SIGTERM");
    await app?.exited;
    await runner?.cleanup();
    await bed?.close();
  });

  const deliver = async (event: string, payload: unknown) => {
    const result = await bed.github.deliver({ event, payload });
    expect(result.status_code).toBeLessThan(300);
  };
  const statusOf = (key: string) => bed.tracker.getIssue(key).status.display;
  const reaches = (key: string, status: string) => waitFor(() => statusOf(key) === status, 30_000);
  const trackerDeliveries = async () => {
    const store = await openSqliteStore({ path: bed.config.databasePath });
    try {
      const all = await store.listDeliveries({ limit: 1000 });
      return all.filter((d) => d.event === "tracker_issue" && !d.id.startsWith("app:")).length;
    } finally {
      await store.close();
    }
  };
  const postWebhook = (request: { headers: Record<string, string>; body: string }) =>
    fetch(`${app.url}/api/trackers/linear/webhooks`, { method: "POST", ...request });

  it("opened → approved → merged moves the issue; the PR is attached once", async () => {
    bed.tracker.createIssue("PROJ-1");
    let pr = openPr(bed, { number: 1, branch: "feature/PROJ-1-login", title: "Login" });
    await deliver("pull_request", pullRequestPayload("opened", pr, common(bed)));
    await reaches("PROJ-1", "In progress");
    await deliver(
      "pull_request_review",
      reviewPayload("approved", pr, common(bed, "bob"), githubNow()),
    );
    await reaches("PROJ-1", "Ready for test");
    const at = githubNow();
    pr = bed.github.updatePullRequest(bed.owner, bed.repo, 1, {
      state: "closed",
      merged: true,
      mergedAt: at,
      closedAt: at,
    });
    await deliver("pull_request", pullRequestPayload("closed", pr, common(bed)));
    await reaches("PROJ-1", "Closed");
    await waitFor(() => bed.tracker.getIssue("PROJ-1").links.length > 0);
    expect(bed.tracker.getIssue("PROJ-1").links).toEqual([
      expect.objectContaining({ url: pr.html_url, title: expect.stringContaining("Login") }),
    ]);
  }, 120_000);

  it("the Action attaches the bench URL, titled with the field, and moves the issue (status input)", async () => {
    bed.tracker.createIssue("PROJ-2");
    const run = await runner.run(
      {
        tracker: "linear",
        url: bed.tracker.url,
        token: bed.trackerToken,
        field: "Bench link",
        value: BENCH,
        status: "In review",
      },
      { name: "push", payload: {}, env: { GITHUB_REF_NAME: "feature/PROJ-2-bench" } },
    );
    expect(run.errors).toEqual([]);
    expect(run.code).toBe(0);
    expect(statusOf("PROJ-2")).toBe("In review");
    expect(bed.tracker.getIssue("PROJ-2").links).toEqual([
      expect.objectContaining({ url: BENCH, title: "Bench link" }),
    ]);
    expect(tokenExposure(run, bed.trackerToken)).toEqual([]);
  }, 60_000);

  it("refuses a forged or stale webhook with 401 and stores nothing; takes a signed, fresh one", async () => {
    const before = await trackerDeliveries();
    const forged = linearWebhook("not-the-secret", issueStateChanged("PROJ-1", "s-1"));
    const stale = linearWebhook(SECRET, issueStateChanged("PROJ-1", "s-1"), Date.now() - 120_000);
    for (const request of [forged, stale]) {
      const answer = await postWebhook(request);
      expect(answer.status).toBe(401);
      expect(await answer.text()).not.toContain(SECRET);
    }
    expect(await trackerDeliveries()).toBe(before);

    const genuine = await postWebhook(linearWebhook(SECRET, issueStateChanged("PROJ-1", "s-1")));
    expect(genuine.status).toBe(202);
    expect(await trackerDeliveries()).toBe(before + 1);
  }, 60_000);
});
