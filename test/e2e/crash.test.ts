/**
 * The fault run: a burst of PR events while the tracker answers 503 and then 429 with
 * Retry-After; the App is killed with SIGKILL mid-stream and started again. Every
 * transition lands, each link comment exists once, nothing is left pending. And SIGTERM
 * stops cleanly, leaving nothing half-done.
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  githubNow,
  pullRequestPayload,
  reviewPayload,
} from "../../src/simulators/scenario/payloads.js";
import type { Testbed } from "../../src/simulators/scenario/testbed.js";
import {
  type AppProcess,
  killWhileRetrying,
  outstanding,
  startAppProcess,
  startFaultRun,
  startProcessTestbed,
  waitFor,
} from "./app-process.js";
import { common, openPr, status } from "./world.js";

let bed: Testbed | undefined;
let app: AppProcess | undefined;
afterEach(async () => {
  app?.child.kill("SIGKILL");
  await bed?.close();
  bed = app = undefined;
});

const KEYS = [21, 22, 23, 24, 25, 26, 27, 28].map((n) => `PROJ-${n}`);

function linkComments(testbed: Testbed, key: string, number: number): number {
  return testbed.tracker
    .getIssue(key)
    .comments.filter((c) => c.text.includes(`/acme/web/pull/${number}`)).length;
}

// Each test waits for two process starts and for retries to drain (waitFor allows up to 90 s),
// far longer than the 30 s default when the machine is loaded.
describe("crashes and restarts", { timeout: 180_000 }, () => {
  it("SIGKILL mid-stream under 503s and 429s loses nothing and duplicates nothing", async () => {
    const run = await startFaultRun({ keys: KEYS, firstPr: 100, rateLimited: 4 });
    bed = run.bed;
    app = run.app;
    const { port, prs } = run;
    for (const pr of prs) {
      const answer = await bed.github.deliver({
        event: "pull_request",
        payload: pullRequestPayload("opened", pr, common(bed)),
      });
      expect(answer.status_code).toBe(202);
    }
    await killWhileRetrying(bed, app);

    // GitHub tries to deliver the approvals while the App is down: those deliveries fail.
    for (const pr of prs) {
      const answer = await bed.github.deliver({
        event: "pull_request_review",
        payload: reviewPayload("approved", pr, common(bed, "bob"), githubNow(1000)),
      });
      expect(answer.status_code).toBe(0);
    }

    // Restarted: leases of the killed run expire, the missed deliveries are asked for again.
    app = await startAppProcess(bed.env, port);
    await waitFor(() => KEYS.every((key) => status(bed!, key) === "Ready for test"), 90_000);
    // What is left then is retrying with the real backoff (1 s doubling, full jitter): a job
    // that met five of the faults waits up to 1 + 2 + 4 + 8 + 16 = 31 s in all, as
    // strict-workflow's drain does. Only a stuck job outlasts 90 s.
    await waitFor(async () => (await outstanding(bed!)) === 0, 90_000);

    expect(bed.github.deliveryAttempts.length).toBe(KEYS.length);
    expect(bed.tracker.requests.some((r) => r.status === 429)).toBe(true);
    for (const [i, key] of KEYS.entries()) expect(linkComments(bed, key, 100 + i)).toBe(1);
  }, 240_000);

  it("SIGTERM lets in-flight work finish and leaves nothing half-done", async () => {
    const started = await startProcessTestbed({ TRACKBRIDGE_REDELIVERY_INTERVAL_SECONDS: "0" });
    bed = started.bed;
    const { port } = started;
    const prs = KEYS.map((key, i) => {
      bed!.tracker.createIssue(key);
      return openPr(bed!, { number: 200 + i, branch: key, title: key });
    });
    bed.tracker.setLatency(150);
    app = await startAppProcess(bed.env, port);
    for (const pr of prs)
      await bed.github.deliver({
        event: "pull_request",
        payload: pullRequestPayload("opened", pr, common(bed)),
      });
    await waitFor(() => bed!.tracker.requests.some((r) => r.method === "POST"));
    app.child.kill("SIGTERM");
    expect(await app.exited).toBe(0);

    // Whatever was not done is pending, not lost: the next start finishes it.
    bed.tracker.setLatency(0);
    app = await startAppProcess(bed.env, port);
    await waitFor(() => KEYS.every((key) => status(bed!, key) === "In progress"));
    await waitFor(async () => (await outstanding(bed!)) === 0);
    for (const [i, key] of KEYS.entries()) expect(linkComments(bed, key, 200 + i)).toBe(1);
  }, 180_000);
});
