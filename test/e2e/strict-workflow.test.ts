/**
 * Issue 8's fault run on a strict workflow (Open leads only to In progress or In review;
 * Ready for test only from In review or Needs improvement): a burst of opened and approved
 * events while the tracker answers 503 and then 429 with Retry-After, then SIGKILL and a
 * restart. Every issue ends in the status of its PR's latest event, no job is dead, and no
 * transition was applied twice. Real HTTP, the App as a real process, the real SQLite file.
 */
import { afterEach, expect, it } from "vitest";
import { openSqliteStore } from "../../src/delivery/open-store.js";
import {
  githubNow,
  pullRequestPayload,
  reviewPayload,
} from "../../src/simulators/scenario/payloads.js";
import type { Testbed } from "../../src/simulators/scenario/testbed.js";
import { strictYandexWorkflow } from "../../src/simulators/shared/workflow.js";
import {
  type AppProcess,
  killWhileRetrying,
  outstanding,
  startAppProcess,
  startFaultRun,
  waitFor,
} from "./app-process.js";
import { common, status } from "./world.js";

let bed: Testbed | undefined;
let app: AppProcess | undefined;
afterEach(async () => {
  app?.child.kill("SIGKILL");
  await bed?.close();
  bed = app = undefined;
});

const KEYS = Array.from({ length: 12 }, (_, i) => `PROJ-${31 + i}`);
/** Every PR is opened; these eight are approved too. */
const APPROVED = new Set(KEYS.slice(0, 8));

async function deadOrFailed(testbed: Testbed) {
  const store = await openSqliteStore({ path: testbed.config.databasePath });
  try {
    return await store.listJobs({ states: ["dead", "failed"], limit: 100 });
  } finally {
    await store.close();
  }
}

it("a burst under 503 and 429, then SIGKILL: every issue reaches its PR's latest status, once", async () => {
  const run = await startFaultRun({
    keys: KEYS,
    firstPr: 300,
    rateLimited: 6,
    workflow: strictYandexWorkflow(),
  });
  bed = run.bed;
  app = run.app;
  const { port, prs } = run;
  for (const [i, pr] of prs.entries()) {
    const opened = await bed.github.deliver({
      event: "pull_request",
      payload: pullRequestPayload("opened", pr, common(bed)),
    });
    expect(opened.status_code).toBe(202);
    if (!APPROVED.has(KEYS[i]!)) continue;
    const approved = await bed.github.deliver({
      event: "pull_request_review",
      payload: reviewPayload("approved", pr, common(bed, "bob"), githubNow(1000)),
    });
    expect(approved.status_code).toBe(202);
  }
  // Killed while routes are still retrying the tracker's 503s and 429s.
  await killWhileRetrying(bed, app);

  app = await startAppProcess(bed.env, port);
  const expected = (key: string) => (APPROVED.has(key) ? "Ready for test" : "In progress");
  await waitFor(() => KEYS.every((key) => status(bed!, key) === expected(key)), 90_000);
  await waitFor(async () => (await outstanding(bed!)) === 0, 120_000);

  expect(await deadOrFailed(bed)).toEqual([]);
  expect(bed.tracker.requests.some((r) => r.status === 429)).toBe(true);
  // No transition applied twice: each (issue, transition) executed successfully at most once.
  const applied = bed.tracker.requests
    .filter((r) => r.path.endsWith("/_execute") && r.status === 200)
    .map((r) => r.path);
  expect(applied.length).toBeGreaterThanOrEqual(KEYS.length + APPROVED.size);
  expect(new Set(applied).size).toBe(applied.length);
  // Approved issues were routed: Ready for test was entered from In review, never from Open.
  for (const key of APPROVED) {
    expect(applied).toContain(`/v2/issues/${key}/transitions/sendToTest/_execute`);
  }
}, 180_000);
