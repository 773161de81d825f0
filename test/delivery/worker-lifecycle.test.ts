import { describe, expect, it } from "vitest";
import {
  backends,
  enqueue,
  fakeHooks,
  gate,
  link,
  submission,
  until,
  workerBed,
} from "./helpers.js";

describe.each(backends())("$name store", (backend) => {
  const bed = workerBed(backend);
  const start = bed.start;

  const threeIssues = () => submission("d1", [link("PROJ-1"), link("PROJ-2"), link("PROJ-3")]);

  describe("worker lifecycle", () => {
    it("runs at most perConnection jobs of one connection at once", async () => {
      const keys = Array.from({ length: 8 }, (_, i) => `PROJ-${i + 1}`);
      await enqueue(bed.store, "d1", [
        submission(
          "d1",
          keys.map((key) => link(key)),
        ),
      ]);
      await enqueue(bed.store, "d2", [
        submission("d2", [link("OPS-1"), link("OPS-2")], { connection: "jira" }),
      ]);
      let now = 0;
      let peak = 0;
      const fake = fakeHooks({
        execute: async (connection, action) => {
          if (connection === "yandex") peak = Math.max(peak, ++now);
          // Long enough for the worker to claim the next jobs meanwhile, even on PostgreSQL
          // under load: the claim, the shared rate-limit check and the bookkeeping take a few ms.
          await new Promise((resolve) => setTimeout(resolve, 60));
          if (connection === "yandex") now--;
          return { action, ok: true, summary: "ok" };
        },
      });
      await start(fake.hooks, { policy: { perConnection: 3 } }).drain();
      expect(fake.executed).toHaveLength(10);
      expect(peak).toBe(3);
    });

    it("a connection's own limit (its config's concurrency) holds it, and the others keep the default", async () => {
      const keys = (prefix: string) => Array.from({ length: 6 }, (_, i) => `${prefix}-${i + 1}`);
      await enqueue(bed.store, "d1", [
        submission(
          "d1",
          keys("PROJ").map((key) => link(key)),
        ),
      ]);
      await enqueue(bed.store, "d2", [
        submission(
          "d2",
          keys("OPS").map((key) => link(key)),
          { connection: "jira" },
        ),
      ]);
      const now = new Map<string, number>();
      const peak = new Map<string, number>();
      const fake = fakeHooks({
        execute: async (connection, action) => {
          const count = (now.get(connection) ?? 0) + 1;
          now.set(connection, count);
          peak.set(connection, Math.max(peak.get(connection) ?? 0, count));
          await new Promise((resolve) => setTimeout(resolve, 60));
          now.set(connection, (now.get(connection) ?? 1) - 1);
          return { action, ok: true, summary: "ok" };
        },
      });
      const limits = new Map([["jira", 2]]);
      await start(fake.hooks, { policy: { perConnection: 4 }, connectionLimits: limits }).drain();
      expect(fake.executed).toHaveLength(12);
      expect(peak.get("jira")).toBe(2);
      expect(peak.get("yandex")).toBe(4);
    });

    it("stop() lets the running job finish within the timeout and leaves the rest pending", async () => {
      await enqueue(bed.store, "d1", [threeIssues()]);
      const slow = gate();
      const fake = fakeHooks({
        execute: async (_c, action) => {
          await slow.promise;
          return { action, ok: true, summary: "linked" };
        },
      });
      const worker = start(fake.hooks, { policy: { perConnection: 1 } });
      await until(() => fake.executed.length === 1);
      const stopped = worker.stop({ timeoutMs: 5_000 });
      slow.open();
      await stopped;

      const jobs = await bed.store.listJobs({ states: ["pending", "running", "done"], limit: 10 });
      expect(jobs.map((j) => [j.key, j.state])).toEqual([
        ["PROJ-1", "done"],
        ["PROJ-2", "pending"],
        ["PROJ-3", "pending"],
      ]);
      expect(fake.executed).toHaveLength(1);
    });

    it("stop() gives a job that outlives the timeout back as pending, and its late answer is dropped", async () => {
      await enqueue(bed.store, "d1", [threeIssues()]);
      const stuck = gate();
      const fake = fakeHooks({
        execute: async (_c, action) => {
          await stuck.promise;
          return { action, ok: true, summary: "linked" };
        },
      });
      const worker = start(fake.hooks, { policy: { perConnection: 1 } });
      await until(() => fake.executed.length === 1);
      await worker.stop({ timeoutMs: 10 });
      stuck.open();
      await new Promise((resolve) => setTimeout(resolve, 20));

      const jobs = await bed.store.listJobs({ states: ["pending", "running", "done"], limit: 10 });
      expect(jobs.map((j) => [j.key, j.state, j.attempts])).toEqual([
        ["PROJ-1", "pending", 0],
        ["PROJ-2", "pending", 0],
        ["PROJ-3", "pending", 0],
      ]);
    });

    it("re-runs a job a killed process left running, once its lease has expired", async () => {
      await enqueue(bed.store, "d1", [submission("d1", [link("PROJ-1")])]);
      const never = gate();
      const crashed = fakeHooks({
        execute: async () =>
          never.promise.then(() => {
            throw new Error("unreachable");
          }),
      });
      const first = start(crashed.hooks);
      await until(() => crashed.executed.length === 1);
      // The "crash": the database goes away under the running job.
      await bed.store.close();
      await first.stop({ timeoutMs: 0 });

      const reopened = await bed.db.open();
      expect(
        (await reopened.listJobs({ states: ["running"], limit: 5 })).map((j) => j.key),
      ).toEqual(["PROJ-1"]);
      const leaseMs = 60_000;
      const later = { now: () => Date.now() + leaseMs + 1 };
      const recovered = fakeHooks({});
      await start(recovered.hooks, { on: reopened, clock: later, policy: { leaseMs } }).drain();
      expect(recovered.executed.map((a) => a.key)).toEqual(["PROJ-1"]);
      const [job] = await reopened.listJobs({ states: ["done"], limit: 5 });
      expect(job).toMatchObject({ key: "PROJ-1", attempts: 2 });
      never.open();
    });

    it("drain() rejects when the worker is stopped while waiting", async () => {
      await enqueue(bed.store, "d1", [submission("d1", [link("PROJ-1")])]);
      const stuck = gate();
      const fake = fakeHooks({
        execute: async (_c, action) =>
          stuck.promise.then(() => ({ action, ok: true, summary: "ok" })),
      });
      const worker = start(fake.hooks);
      const drained = worker.drain();
      await until(() => fake.executed.length === 1);
      await worker.stop({ timeoutMs: 0 });
      await expect(drained).rejects.toThrow("worker stopped");
      stuck.open();
    });
  });
});
