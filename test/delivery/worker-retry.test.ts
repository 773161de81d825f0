import { describe, expect, it } from "vitest";
import { TrackerError } from "../../src/trackers/errors.js";
import {
  backends,
  FakeClock,
  fakeHooks,
  gate,
  intercept,
  link,
  move,
  submission,
  TWO_MOVES,
  until,
  workerBed,
} from "./helpers.js";

describe.each(backends())("$name store", (backend) => {
  const bed = workerBed(backend);
  const start = bed.start;

  async function receive(id: string, at = Date.now()) {
    await bed.store.recordDelivery({
      id,
      event: "pull_request",
      payload: {},
      receivedAt: new Date(at).toISOString(),
    });
  }

  const rateLimited = (retryAfterMs: number) =>
    new TrackerError("rate_limited", "yandex: rate limited on PROJ-1", {
      connection: "yandex",
      status: 429,
      retryAfterMs,
    });

  describe("worker retries", () => {
    it("waits as long as the tracker asked (Retry-After) before trying again", async () => {
      const clock = new FakeClock();
      let calls = 0;
      const fake = fakeHooks({
        plans: { d1: [submission("d1", [move("PROJ-1", "review", "opened")])] },
        execute: async (_c, action) => {
          if (++calls === 1) throw rateLimited(30_000);
          return { action, ok: true, summary: "moved" };
        },
      });
      await receive("d1", clock.now());
      const worker = start(fake.hooks, { clock, policy: { baseMs: 1_000, random: () => 0 } });
      await worker.idle();

      const [job] = await bed.store.listJobs({ states: ["pending"], limit: 5 });
      expect(job).toMatchObject({
        attempts: 1,
        nextAt: clock.now() + 30_000,
        lastError: "yandex: rate limited on PROJ-1",
      });
      expect(fake.reports).toEqual([]);

      clock.advance(29_999);
      await worker.idle();
      expect(fake.executed).toHaveLength(1);

      clock.advance(1);
      await worker.drain();
      expect(fake.executed).toHaveLength(2);
      expect((await bed.store.getJob(job!.id))?.state).toBe("done");
      expect(fake.reports.map((r) => r.jobs.map((j) => [j.state, j.summary]))).toEqual([
        [["done", "moved"]],
      ]);
    });

    it("holds a one-slot connection's slot until the wait a 429 asked is recorded, then holds its next job for the wait", async () => {
      const clock = new FakeClock();
      const fake = fakeHooks({
        plans: TWO_MOVES.plans,
        execute: async (_c, action) => {
          if (fake.executed.length === 1) throw rateLimited(30_000);
          return { action, ok: true, summary: "moved" };
        },
      });
      // The hold's write waits for the test; every job claim meanwhile says what it saw running.
      const holding = gate();
      const recorded = gate();
      let inHold = false;
      const seenDuringHold: number[] = [];
      const store = intercept(
        bed.store,
        {
          claimJobs: (input) => {
            if (inHold) seenDuringHold.push(input.running.get("yandex") ?? 0);
            return bed.store.claimJobs(input);
          },
        },
        {
          holdTracker: async (...args) => {
            inHold = true;
            holding.open();
            await recorded.promise;
            inHold = false;
            return bed.store.memo.holdTracker(...args);
          },
        },
      );
      await receive("d1", clock.now());
      const worker = start(fake.hooks, {
        on: store,
        clock,
        policy: { perConnection: 1, baseMs: 1_000, random: () => 0 },
      });
      await holding.promise;
      // A slot freed before the hold is written wakes a claim at once; give it the chance.
      await until(() => seenDuringHold.length > 0, 20).catch(() => {});
      expect(seenDuringHold.filter((running) => running === 0)).toEqual([]);
      recorded.open();
      await worker.idle();
      expect(fake.executed).toHaveLength(1);

      clock.advance(30_000);
      await worker.drain();
      expect(new Set(fake.executed.slice(1).map((action) => action.key))).toEqual(
        new Set(["PROJ-1", "PROJ-2"]),
      );
      expect(fake.status).toEqual(TWO_MOVES.moved);
    });

    it("takes GitHub's rate-limit headers as a wait only on a refusal for the limit, and never holds the tracker for them", async () => {
      const clock = new FakeClock();
      const resetIn = (ms: number) => String(Math.floor((clock.now() + ms) / 1000));
      // What Octokit throws; GitHub sends its rate-limit headers with every answer.
      const fromGitHub = (status: number, remaining: string, resetMs: number, message: string) =>
        Object.assign(new Error(message), {
          status,
          response: {
            headers: { "x-ratelimit-remaining": remaining, "x-ratelimit-reset": resetIn(resetMs) },
          },
        });
      const faults = [
        fromGitHub(500, "4999", 3_600_000, "Internal Server Error"),
        fromGitHub(403, "0", 600_000, "API rate limit exceeded for installation ID 1"),
      ];
      const fake = fakeHooks({
        plans: TWO_MOVES.plans,
        execute: async (_c, action) => {
          const fault = action.key === "PROJ-1" ? faults.shift() : undefined;
          if (fault) throw fault;
          return { action, ok: true, summary: "moved" };
        },
      });
      await receive("d1", clock.now());
      const worker = start(fake.hooks, { clock, policy: { baseMs: 1_000, random: () => 0 } });
      await worker.idle();

      // The 500 is retried at once (no wait asked); the 403 for the limit waits for its reset.
      // PROJ-2, on the same connection, never waited for either.
      expect(fake.status.get("PROJ-2")).toBe("review");
      const [held] = await bed.store.listJobs({ states: ["pending"], limit: 5 });
      expect(held).toMatchObject({
        key: "PROJ-1",
        attempts: 2,
        nextAt: Number(resetIn(600_000)) * 1000,
      });
      clock.advance(Number(resetIn(600_000)) * 1000 - clock.now());
      await worker.drain();
      expect(fake.status).toEqual(TWO_MOVES.moved);
    });

    it("turns a job into a dead letter after its last attempt", async () => {
      const fake = fakeHooks({
        plans: { d1: [submission("d1", [link("PROJ-1")])] },
        execute: async () => {
          throw new TrackerError("server", "yandex answered 503", {
            connection: "yandex",
            status: 503,
          });
        },
      });
      await receive("d1");
      const worker = start(fake.hooks, { policy: { maxAttempts: 3 } });
      await worker.drain();
      expect(fake.executed).toHaveLength(3);
      const [dead] = await bed.store.listJobs({ states: ["dead"], limit: 5 });
      expect(dead).toMatchObject({
        attempts: 3,
        summary: "gave up after 3 attempts: yandex answered 503",
      });
    });

    it("makes a permanent error a dead letter at once, and runs it again on retry", async () => {
      let issueExists = false;
      const fake = fakeHooks({
        plans: { d1: [submission("d1", [move("PROJ-1", "review", "opened")])] },
        execute: async (_c, action) => {
          if (!issueExists)
            throw new TrackerError("not_found", "yandex: issue PROJ-1 not found", {
              connection: "yandex",
              status: 404,
            });
          return { action, ok: true, summary: "moved Open → Review" };
        },
      });
      await receive("d1");
      const worker = start(fake.hooks);
      await worker.drain();
      expect(fake.executed).toHaveLength(1);
      const [dead] = await bed.store.listJobs({ states: ["dead"], limit: 5 });
      expect(dead).toMatchObject({ attempts: 1, summary: "yandex: issue PROJ-1 not found" });
      expect(fake.reports.map((r) => r.jobs[0]?.state)).toEqual(["dead"]);

      issueExists = true;
      expect(await bed.store.retryJob(dead!.id, Date.now())).toBe(true);
      worker.wake();
      await worker.drain();
      expect(await bed.store.getJob(dead!.id)).toMatchObject({
        state: "done",
        attempts: 1,
        summary: "moved Open → Review",
      });
      expect(fake.reports.map((r) => r.jobs[0]?.state)).toEqual(["dead", "done"]);
    });

    it("records a result the executor calls failed (no transition) as failed, not retried", async () => {
      const fake = fakeHooks({
        plans: { d1: [submission("d1", [move("PROJ-1", "testing", "approved")])] },
        execute: async (_c, action) => ({
          action,
          ok: false,
          summary: "no transition from Open to Testing (available: Start)",
        }),
      });
      await receive("d1");
      await start(fake.hooks).drain();
      expect(fake.executed).toHaveLength(1);
      expect(fake.reports[0]?.jobs).toMatchObject([
        { state: "failed", summary: "no transition from Open to Testing (available: Start)" },
      ]);
    });

    it("retries planning while GitHub is down, and reports again when the report fails once", async () => {
      let plans = 0;
      let reports = 0;
      const fake = fakeHooks({});
      fake.hooks.planDelivery = async (d) => {
        if (++plans === 1) throw new Error("GitHub API answered 502");
        return [submission(d.id, [link("PROJ-1")])];
      };
      const report = fake.hooks.report;
      fake.hooks.report = async (s, jobs) => {
        if (++reports === 1) throw new Error("GitHub API answered 502");
        await report(s, jobs);
      };
      await receive("d1");
      await start(fake.hooks).drain();
      expect(plans).toBe(2);
      expect(reports).toBe(2);
      expect(fake.reports).toHaveLength(1);
      expect((await bed.store.listDeliveries({ limit: 1 }))[0]).toMatchObject({
        state: "planned",
        attempts: 2,
        jobs: { done: 1 },
      });
    });

    it("gives up planning on a permanent error, and plans again on retry", async () => {
      let fixed = false;
      const fake = fakeHooks({});
      fake.hooks.planDelivery = async (d) => {
        if (!fixed)
          throw new TrackerError("forbidden", "the token for connection yandex lacks permission", {
            connection: "yandex",
            status: 403,
          });
        return [submission(d.id, [link("PROJ-1")])];
      };
      await receive("d1");
      const worker = start(fake.hooks);
      await worker.drain();
      expect((await bed.store.listDeliveries({ limit: 1, state: "failed" }))[0]).toMatchObject({
        id: "d1",
        attempts: 1,
        error: "the token for connection yandex lacks permission",
      });
      fixed = true;
      expect(await bed.store.retryDelivery("d1", Date.now())).toBe(true);
      worker.wake();
      await worker.drain();
      expect(fake.executed).toHaveLength(1);
    });

    it("fails a stored payload that is not JSON with the parser's reason, never planning it", async () => {
      let plans = 0;
      const fake = fakeHooks({
        plan: async () => {
          plans++;
          return [];
        },
      });
      // Ingest stores a webhook's JSON unparsed; this one only looked like an object.
      await bed.store.recordDelivery({
        id: "broken",
        event: "pull_request",
        rawPayload: '{"action": "opened",}',
        receivedAt: new Date().toISOString(),
      });
      await receive("fine");
      const worker = start(fake.hooks);
      await worker.drain();
      expect(plans).toBe(1);
      const [failed, ...others] = await bed.store.listDeliveries({ limit: 5, state: "failed" });
      expect(others).toEqual([]);
      expect(failed).toMatchObject({ id: "broken", attempts: 1 });
      expect(failed?.error).toMatch(/^the payload is not valid JSON: .+/);
    });
  });
});
