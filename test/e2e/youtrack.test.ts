/**
 * YouTrack end to end: the App as a real process (npm start's command) with TRACKER_TYPE=
 * youtrack, the GitHub and YouTrack simulators on loopback. One PR's life moves its issue's
 * State through a project workflow that refuses undefined transitions (routed by the
 * config's `routes:`), the bundled Action writes the bench URL into the issue's text field,
 * a forged YouTrack webhook is refused with 401 and stores nothing, and the config
 * `trackbridge init` writes for a YouTrack project works as written.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSqliteStore } from "../../src/delivery/open-store.js";
import { prepareActionRunner } from "../../src/simulators/runner/run-action.js";
import {
  githubNow,
  pullRequestPayload,
  reviewPayload,
} from "../../src/simulators/scenario/payloads.js";
import type { Testbed } from "../../src/simulators/scenario/testbed.js";
import { defaultJiraWorkflow, strictJiraWorkflow } from "../../src/simulators/shared/workflow.js";
import type { YouTrackSimulator } from "../../src/simulators/youtrack/index.js";
import { tokenExposure } from "../action/helpers/token-exposure.js";
import { runInit } from "../cli/helpers/init.js";
import { type AppProcess, startAppProcess, startProcessTestbed, waitFor } from "./app-process.js";
import { common, openPr, status } from "./world.js";

const HOOK_SECRET = "youtrack-webhook-token-0123456789";
const BENCH = "https://pr-7.bench.example.test";

let bed: Testbed;
let app: AppProcess;

beforeAll(async () => {
  const run = await startProcessTestbed({ TRACKER_WEBHOOK_SECRET: HOOK_SECRET }, "youtrack");
  bed = run.bed;
  // Strict: Open → In progress | In review; Ready for test only from In review or Needs
  // improvement; and Ready for test → Closed, so a merge can finish the issue.
  const workflow = strictJiraWorkflow();
  workflow.transitions.push({ id: "91", display: "Close", from: ["readyForTest"], to: "closed" });
  bed.tracker.setWorkflow(workflow);
  app = await startAppProcess(bed.env, run.port);
}, 120_000);

afterAll(async () => {
  app?.child.kill("SIGKILL");
  await app?.exited;
  await bed?.close();
});

/** The State values the App set on KEY, in order, as YouTrack accepted them. */
function statesSet(key: string): string[] {
  return bed.tracker.requests
    .filter((r) => r.method === "POST" && r.path === `/api/issues/${key}` && r.status === 200)
    .map((r) => (r.body as { customFields: Array<{ value: { name: string } }> }).customFields)
    .map((fields) => fields[0]!.value.name);
}

async function storedSignals(): Promise<number> {
  const store = await openSqliteStore({ path: bed.config.databasePath });
  try {
    const deliveries = await store.listDeliveries({ limit: 1000 });
    return deliveries.filter((d) => d.event === "tracker_issue" && !d.id.startsWith("app:")).length;
  } finally {
    await store.close();
  }
}

describe("YouTrack: the App as a process", () => {
  it("one PR's life, opened → approved → merged, moves the State through the workflow", async () => {
    bed.tracker.createIssue("PROJ-42");
    const pr = openPr(bed, { number: 7, branch: "feature/PROJ-42-login", title: "Login form" });
    const deliver = async (event: string, payload: unknown) =>
      expect((await bed.github.deliver({ event, payload })).status_code).toBe(202);

    await deliver("pull_request", pullRequestPayload("opened", pr, common(bed)));
    await waitFor(() => status(bed, "PROJ-42") === "In progress");
    await deliver(
      "pull_request_review",
      reviewPayload("approved", pr, common(bed, "bob"), githubNow(1000)),
    );
    await waitFor(() => status(bed, "PROJ-42") === "Ready for test");
    const merged = bed.github.updatePullRequest(bed.owner, bed.repo, 7, {
      state: "closed",
      merged: true,
      mergedAt: githubNow(2000),
      closedAt: githubNow(2000),
    });
    await deliver("pull_request", pullRequestPayload("closed", merged, common(bed)));
    await waitFor(() => status(bed, "PROJ-42") === "Closed");

    // Each State once, Ready for test entered from In review (the config's routes:).
    expect(statesSet("PROJ-42")).toEqual(["In progress", "In review", "Ready for test", "Closed"]);
    const links = bed.tracker
      .getIssue("PROJ-42")
      .comments.filter((c) => c.text.includes("/acme/web/pull/7"));
    expect(links).toHaveLength(1);
    await waitFor(() =>
      bed.github
        .checkRuns(bed.owner, bed.repo)
        .some(
          (r) =>
            r.name === "trackbridge" &&
            r.head_sha === pr.head.sha &&
            (r.output.summary ?? "").includes("moved Ready for test → Closed"),
        ),
    );
  }, 120_000);

  it("the Action writes the bench URL into the issue's YouTrack field", async () => {
    bed.tracker.createIssue("PROJ-43");
    const runner = await prepareActionRunner({
      repository: `${bed.owner}/${bed.repo}`,
      apiUrl: bed.github.url,
    });
    try {
      const run = await runner.run(
        {
          tracker: "youtrack",
          url: bed.tracker.url,
          token: bed.trackerToken,
          field: "Bench link",
          value: BENCH,
          status: "In progress",
          projects: "PROJ",
        },
        {
          name: "push",
          payload: { ref: "refs/heads/feature/PROJ-43-cart", commits: [] },
          env: {
            GITHUB_REF: "refs/heads/feature/PROJ-43-cart",
            GITHUB_REF_NAME: "feature/PROJ-43-cart",
          },
        },
      );
      expect(run.errors).toEqual([]);
      expect(run.code).toBe(0);
      expect(bed.tracker.getIssue("PROJ-43").fields["Bench link"]).toBe(BENCH);
      expect(bed.tracker.getIssue("PROJ-43").status.display).toBe("In progress");
      expect(tokenExposure(run, bed.trackerToken)).toEqual([]);
    } finally {
      await runner.cleanup();
    }
  }, 120_000);

  it("a forged webhook gets 401 and nothing is stored; the Webhook Triggers app's is taken", async () => {
    const endpoint = `${app.url}/api/trackers/youtrack/webhooks`;
    const body = JSON.stringify((bed.tracker as YouTrackSimulator).webhookPayload("PROJ-42"));
    const post = (headers: Record<string, string>) =>
      fetch(endpoint, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body,
      });
    const before = await storedSignals();

    const unsigned = await post({});
    expect(unsigned.status).toBe(401);
    const forged = await post({ "x-youtrack-token": "guessed-token-0123456789" });
    expect(forged.status).toBe(401);
    expect(await forged.text()).not.toContain(HOOK_SECRET);
    expect(await storedSignals()).toBe(before);

    const genuine = await post({ "x-youtrack-token": HOOK_SECRET });
    expect(genuine.status).toBe(202);
    expect(await storedSignals()).toBe(before + 1);
  }, 60_000);

  it("trackbridge init --connection youtrack --queue SHOP writes a config the App then works by", async () => {
    bed.tracker.setWorkflow(defaultJiraWorkflow(), "SHOP");
    bed.tracker.createIssue("SHOP-1");
    const cwd = mkdtempSync(path.join(tmpdir(), "init-youtrack-"));
    const init = await runInit(bed.env, cwd, [
      "--connection",
      "youtrack",
      "--queue",
      "SHOP",
      "--print",
    ]);
    rmSync(cwd, { recursive: true });
    expect(init.code).toBe(0);
    expect(init.stdout).toContain("connection: youtrack");
    bed.github.setFile(bed.owner, bed.repo, ".github/trackbridge.yml", init.stdout);

    const pr = openPr(bed, { number: 8, branch: "feature/SHOP-1-cart", title: "Cart" });
    const deliver = async (event: string, payload: unknown) =>
      expect((await bed.github.deliver({ event, payload })).status_code).toBe(202);
    await deliver("pull_request", pullRequestPayload("opened", pr, common(bed)));
    await waitFor(() => status(bed, "SHOP-1") === "In review");
    await deliver(
      "pull_request_review",
      reviewPayload("approved", pr, common(bed, "bob"), githubNow(1000)),
    );
    await waitFor(() => status(bed, "SHOP-1") === "Ready for test");
  }, 120_000);
});
