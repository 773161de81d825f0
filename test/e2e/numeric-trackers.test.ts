/**
 * Redmine and Request Tracker end to end (issue 21): the real App as a process
 * (`npm start`'s command) against the GitHub simulator and each tracker's simulator over
 * real HTTP. One pull request's life moves its ticket, named RM-7 / RT-7 in the branch, while
 * a bare #8 in the text moves nothing; the bundled Action then writes the bench URL into the
 * ticket's custom field; on Redmine a forged webhook is refused with 401 and stores nothing,
 * a signed one is taken.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { openSqliteStore } from "../../src/delivery/open-store.js";
import type { RedmineSimulator } from "../../src/simulators/redmine/index.js";
import { type ActionRunner, prepareActionRunner } from "../../src/simulators/runner/run-action.js";
import {
  githubNow,
  pullRequestPayload,
  reviewPayload,
} from "../../src/simulators/scenario/payloads.js";
import type { Testbed } from "../../src/simulators/scenario/testbed.js";
import { pullRequestPayload as actionPullRequest } from "../action/helpers/payloads.js";
import { tokenExposure } from "../action/helpers/token-exposure.js";
import {
  type AppProcess,
  outstanding,
  startAppProcess,
  startProcessTestbed,
  waitFor,
} from "./app-process.js";
import { common, openPr } from "./world.js";

const SECRET = "redmine-webhook-secret-e2e-0123";

let bed: Testbed | undefined;
let app: AppProcess | undefined;
let runner: ActionRunner;
beforeAll(async () => {
  runner = await prepareActionRunner();
});
afterAll(() => runner.cleanup());
afterEach(async () => {
  app?.child.kill("SIGKILL");
  await app?.exited;
  await bed?.close();
  bed = app = undefined;
});

async function deliver(testbed: Testbed, event: string, payload: unknown): Promise<void> {
  const answer = await testbed.github.deliver({ event, payload });
  expect(answer.status_code).toBe(202);
}

async function storedDeliveries(testbed: Testbed): Promise<number> {
  const store = await openSqliteStore({ path: testbed.config.databasePath });
  try {
    return (await store.listDeliveries({ limit: 1000 })).length;
  } finally {
    await store.close();
  }
}

const LIFE = {
  redmine: {
    project: "WEB",
    prefix: "RM",
    opened: "In progress",
    approved: "Ready for test",
    merged: "Closed",
    // The simulator keeps "Bench link" as custom field 5.
    benchField: "5",
  },
  "request-tracker": {
    project: "SUPPORT",
    prefix: "RT",
    opened: "open",
    approved: "stalled",
    merged: "resolved",
    benchField: "3",
  },
} as const;

describe.each(["redmine", "request-tracker"] as const)("%s end to end", (tracker) => {
  it("one pull request's life: opened → approved → merged moves its ticket; a bare #N moves nothing", async () => {
    const life = LIFE[tracker];
    const started = await startProcessTestbed(
      { LOG_LEVEL: "warn", TRACKER_WEBHOOK_SECRET: SECRET },
      tracker,
    );
    bed = started.bed;
    bed.tracker.createIssue(`${life.project}-7`);
    bed.tracker.createIssue(`${life.project}-8`);
    app = await startAppProcess(bed.env, started.port);
    const state = (n: number) => bed!.tracker.getIssue(`${life.project}-${n}`).status.display;

    const pr = openPr(bed, {
      number: 8,
      branch: `feature/${life.prefix.toLowerCase()}-7-login`,
      title: "Login form (#8)",
      body: "Follows up #8. Stores names as UTF-8.",
    });
    await deliver(bed, "pull_request", pullRequestPayload("opened", pr, common(bed)));
    await waitFor(() => state(7) === life.opened);
    await deliver(
      bed,
      "pull_request_review",
      reviewPayload("approved", pr, common(bed, "bob"), githubNow(1000)),
    );
    await waitFor(() => state(7) === life.approved);
    const at = githubNow(2000);
    const merged = bed.github.updatePullRequest(bed.owner, bed.repo, 8, {
      state: "closed",
      merged: true,
      mergedAt: at,
      closedAt: at,
    });
    await deliver(bed, "pull_request", pullRequestPayload("closed", merged, common(bed)));
    await waitFor(() => state(7) === life.merged);
    await waitFor(async () => (await outstanding(bed!)) === 0);

    // #8 is the pull request itself (GitHub's own number), never ticket 8.
    expect(state(8)).toBe(tracker === "redmine" ? "Open" : "new");
    const links = bed.tracker
      .getIssue(`${life.project}-7`)
      .comments.filter((c) => c.text.includes("/acme/web/pull/8"));
    expect(links).toHaveLength(1);
    const run = bed.github
      .checkRuns(bed.owner, bed.repo)
      .filter((r) => r.name === "trackbridge")
      .at(-1);
    expect(run?.output.summary).toContain(`${life.prefix}-7`);
    expect(run?.output.summary).not.toContain(`${life.prefix}-8`);

    // The bench pipeline's step: the bundled Action finds RM-7 / RT-7 in the branch.
    const bench = "https://pr-8.bench.example.test";
    const branch = `feature/${life.prefix.toLowerCase()}-7-login`;
    const action = await runner.run(
      {
        tracker,
        url: bed.tracker.url,
        token: bed.trackerToken,
        "key-prefix": life.prefix,
        field: "Bench link",
        value: bench,
      },
      {
        name: "pull_request",
        payload: actionPullRequest(branch, "Login form (#8)"),
        env: { GITHUB_HEAD_REF: branch, GITHUB_REF_NAME: "8/merge" },
      },
    );
    expect(action.code, action.stderr + action.stdout).toBe(0);
    expect(action.outputs).toEqual({ "issue-keys": `${life.prefix}-7`, updated: "1" });
    expect(bed.tracker.getIssue(`${life.project}-7`).fields[life.benchField]).toBe(bench);
    // The token shows up only in the ::add-mask:: command.
    expect(tokenExposure(action, bed.trackerToken)).toEqual([]);
  }, 120_000);
});

describe("Redmine webhooks through the App", () => {
  it("a forged webhook is refused with 401 and stores nothing; a signed one is taken", async () => {
    const started = await startProcessTestbed(
      { LOG_LEVEL: "warn", TRACKER_WEBHOOK_SECRET: SECRET },
      "redmine",
    );
    bed = started.bed;
    const sim = bed.tracker as RedmineSimulator;
    sim.createIssue("WEB-5");
    app = await startAppProcess(bed.env, started.port);
    const name = bed.config.connections[0]!.name;
    const post = (hook: { body: string; headers: Record<string, string> }) =>
      fetch(`${app!.url}/api/trackers/${name}/webhooks`, {
        method: "POST",
        headers: hook.headers,
        body: hook.body,
      });

    const before = await storedDeliveries(bed);
    const forged = await post(sim.webhook("WEB-5", { secret: "guessed-secret" }));
    expect(forged.status).toBe(401);
    expect(await forged.text()).not.toContain(SECRET);
    const unsigned = await post(sim.webhook("WEB-5"));
    expect(unsigned.status).toBe(401);
    expect(await storedDeliveries(bed)).toBe(before);

    const signed = await post(sim.webhook("WEB-5", { secret: SECRET }));
    expect(signed.status).toBe(202);
    expect(await storedDeliveries(bed)).toBe(before + 1);
  }, 120_000);
});
