/**
 * The seed's first failure: Request Tracker unreachable for minutes. The outbox keeps the
 * moves, the worker backs off while every connection to RT is dropped, and the moves land,
 * once each, when RT answers again. The real worker, store and adapter over real HTTP; only
 * the clock is the test's.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type RequestTrackerSimulator,
  startRequestTrackerSimulator,
} from "../../src/simulators/request-tracker/index.js";
import { applyAction } from "../../src/trackers/apply-action.js";
import { createTracker } from "../../src/trackers/create-tracker.js";
import {
  backends,
  enqueue,
  FakeClock,
  fakeHooks,
  link,
  move,
  submission,
  workerBed,
} from "../delivery/helpers.js";

const TOKEN = "1-14-rt-outage-token";

describe("Request Tracker unreachable for minutes", () => {
  const bed = workerBed(backends()[0]!);
  let sim: RequestTrackerSimulator;

  beforeAll(async () => {
    sim = await startRequestTrackerSimulator({ token: TOKEN });
  });
  afterAll(() => sim.close());

  it("loses nothing: the moves land when RT is back", async () => {
    sim.reset();
    sim.createIssue("SUPPORT-1");
    const tracker = createTracker(
      { name: "rt", type: "request-tracker", url: sim.url, token: TOKEN, keyPrefix: "RT" },
      { timeoutMs: 1_000 },
    );
    const clock = new FakeClock(Date.now());
    const fake = fakeHooks({ execute: (_connection, action) => applyAction(tracker, action) });
    const actions = [move("RT-1", "open", "opened"), link("RT-1", 5)];
    await enqueue(bed.store, "d1", [submission("d1", actions, { connection: "rt" })], clock.now());

    // Every connection to RT is cut: a network failure on each attempt.
    sim.injectFaults({ drop: true, count: 1_000_000 });
    const worker = bed.start(fake.hooks, {
      clock,
      policy: { baseMs: 1_000, capMs: 60_000, maxAttempts: 20, random: () => 0.5 },
    });
    await worker.idle();
    for (let minute = 0; minute < 5; minute++) {
      clock.advance(60_000);
      await worker.idle();
    }
    const waiting = await bed.store.listJobs({ states: ["pending"], limit: 10 });
    expect(waiting).toHaveLength(2);
    // Jobs of one ticket run in order: the link waits behind the move.
    expect(Math.max(...waiting.map((job) => job.attempts))).toBeGreaterThanOrEqual(4);
    expect(waiting.map((job) => job.lastError).join()).toMatch(/could not reach rt|did not answer/);
    expect(await bed.store.listJobs({ states: ["dead"], limit: 10 })).toEqual([]);
    expect(sim.getIssue("SUPPORT-1").status.key).toBe("new");

    // RT is back.
    sim.clearFaults();
    clock.advance(60_000);
    await worker.drain();
    expect(sim.getIssue("SUPPORT-1").status.key).toBe("open");
    expect(sim.messages("SUPPORT-1").map((m) => m.content)).toEqual([
      "Pull request: t https://github.com/acme/web/pull/5",
    ]);
    const done = await bed.store.listJobs({ states: ["done"], limit: 10 });
    expect(done.map((job) => job.summary).sort()).toEqual(["linked", "moved new → open"]);
  });
});
