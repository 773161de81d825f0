import { describe, expect, it } from "vitest";
import type { PlannedAction } from "../../src/core/types.js";
import type { Worker } from "../../src/delivery/outbox-worker.js";
import type { PlanSubmission } from "../../src/delivery/types.js";
import { backends, fakeHooks, gate, link, move, submission, until, workerBed } from "./helpers.js";

describe.each(backends())("$name store", (backend) => {
  const bed = workerBed(backend);
  const start = bed.start;

  const at = (seconds: number) =>
    new Date(Date.parse("2024-05-01T10:00:00Z") + seconds * 1000).toISOString();

  /** Plans are looked up by delivery id at planning time, so a test can add them as it goes. */
  function planned(
    plans: Record<string, PlanSubmission[]>,
    execute?: Parameters<typeof fakeHooks>[0]["execute"],
  ) {
    return fakeHooks({ plans, execute });
  }

  async function receive(worker: Worker, id: string) {
    await bed.store.recordDelivery({
      id,
      event: "pull_request",
      payload: {},
      receivedAt: new Date().toISOString(),
    });
    worker.wake();
  }

  const isMove = (target: string) => (action: PlannedAction) =>
    action.kind === "move" && action.target === target;

  describe("worker ordering", () => {
    it("ends in the merge's status when a merge follows an approve whose move is still running", async () => {
      const slow = gate();
      const fake = planned(
        {
          approve: [
            submission("approve", [move("PROJ-1", "ready", "approved")], { eventAt: at(0) }),
          ],
          merge: [
            submission("merge", [move("PROJ-1", "done", "merged")], {
              eventAt: at(1),
              prState: "closed",
            }),
          ],
        },
        async (_c, action) => {
          if (isMove("ready")(action)) await slow.promise;
          return {
            action,
            ok: true,
            summary: `moved to ${action.kind === "move" ? action.target : "?"}`,
          };
        },
      );
      const worker = start(fake.hooks);
      await receive(worker, "approve");
      await until(() => fake.executed.some(isMove("ready")));
      await receive(worker, "merge");
      await until(async () =>
        (await bed.store.listDeliveries({ limit: 5 })).every((d) => d.state === "planned"),
      );
      expect(fake.executed.some(isMove("done"))).toBe(false);

      slow.open();
      await worker.drain();
      expect(
        fake.executed.filter((a) => a.kind === "move").map((a) => a.kind === "move" && a.target),
      ).toEqual(["ready", "done"]);
      expect(fake.status.get("PROJ-1")).toBe("done");
    });

    it("supersedes an approve's move still waiting when the merge arrives", async () => {
      const busy = gate();
      const fake = planned(
        {
          other: [submission("other", [link("PROJ-9")], { eventAt: at(0) })],
          approve: [
            submission("approve", [move("PROJ-1", "ready", "approved")], { eventAt: at(1) }),
          ],
          merge: [
            submission("merge", [move("PROJ-1", "done", "merged")], {
              eventAt: at(1),
              prState: "closed",
            }),
          ],
        },
        async (_c, action) => {
          if (action.key === "PROJ-9") await busy.promise;
          return { action, ok: true, summary: "ok" };
        },
      );
      // One slot: PROJ-9's slow link keeps the approve's move waiting.
      const worker = start(fake.hooks, { policy: { perConnection: 1 } });
      await receive(worker, "other");
      await until(() => fake.executed.length === 1);
      await receive(worker, "approve");
      await receive(worker, "merge");
      await until(async () =>
        (await bed.store.listDeliveries({ limit: 5 })).every((d) => d.state === "planned"),
      );
      busy.open();
      await worker.drain();

      expect(fake.executed.some(isMove("ready"))).toBe(false);
      expect(fake.status.get("PROJ-1")).toBe("done");
      const approveReport = fake.reports.find((r) => r.submission.deliveryId === "approve");
      expect(approveReport?.jobs).toMatchObject([
        { state: "superseded", summary: "superseded by a newer event (delivery merge)" },
      ]);
    });

    it("skips an event older than the one already applied to the PR and issue", async () => {
      const fake = planned({
        merge: [
          submission("merge", [move("PROJ-1", "done", "merged")], {
            eventAt: at(10),
            prState: "closed",
          }),
        ],
        approve: [
          submission("approve", [move("PROJ-1", "ready", "approved"), link("PROJ-1")], {
            eventAt: at(5),
          }),
        ],
      });
      const worker = start(fake.hooks);
      await receive(worker, "merge");
      await worker.drain();
      await receive(worker, "approve");
      await worker.drain();

      expect(fake.executed.some(isMove("ready"))).toBe(false);
      expect(fake.status.get("PROJ-1")).toBe("done");
      const jobs = fake.reports.find((r) => r.submission.deliveryId === "approve")?.jobs;
      expect(jobs?.map((j) => [j.action.kind, j.state, j.summary])).toEqual([
        [
          "move",
          "skipped",
          `skipped: older than the event already applied (${at(5).slice(0, 19)}Z ≤ ${at(10).slice(0, 19)}Z)`,
        ],
        ["link", "done", "link PROJ-1"],
      ]);
    });

    it("orders events of the same second by receipt: a millisecond stamp does not make a later event look older", async () => {
      const changesAt = new Date(Date.parse(at(10)) + 700).toISOString();
      const fake = planned({
        changes: [
          submission("changes", [move("PROJ-1", "rework", "changes_requested")], {
            eventAt: changesAt,
          }),
        ],
        approve: [
          submission("approve", [move("PROJ-1", "ready", "approved")], { eventAt: at(10) }),
        ],
      });
      const worker = start(fake.hooks);
      await receive(worker, "changes");
      await worker.drain();
      await receive(worker, "approve");
      await worker.drain();
      expect(fake.status.get("PROJ-1")).toBe("ready");
    });

    it("within one second, a merge outranks an approval whatever order they arrive in", async () => {
      const fake = planned({
        merge: [
          submission("merge", [move("PROJ-1", "done", "merged")], {
            eventAt: at(10),
            prState: "closed",
          }),
        ],
        approve: [
          submission("approve", [move("PROJ-1", "ready", "approved")], { eventAt: at(10) }),
        ],
      });
      const worker = start(fake.hooks);
      await receive(worker, "merge");
      await worker.drain();
      await receive(worker, "approve");
      await worker.drain();
      expect(fake.status.get("PROJ-1")).toBe("done");
      expect(fake.executed.some(isMove("ready"))).toBe(false);
    });

    it("with waitForAllPrs, moves on merge only when no other open PR references the issue", async () => {
      const opened = (id: string, pr: number, seconds: number) =>
        submission(id, [move("PROJ-1", "progress", "opened")], {
          prNumber: pr,
          eventAt: at(seconds),
          waitForAllPrs: true,
        });
      const merged = (id: string, pr: number, seconds: number) =>
        submission(id, [move("PROJ-1", "done", "merged")], {
          prNumber: pr,
          eventAt: at(seconds),
          prState: "closed",
          waitForAllPrs: true,
        });
      const fake = planned({
        open12: [opened("open12", 12, 1)],
        open15: [opened("open15", 15, 2)],
        open20: [opened("open20", 20, 3)],
        merge20: [merged("merge20", 20, 10)],
        merge12: [merged("merge12", 12, 11)],
        merge15: [merged("merge15", 15, 12)],
      });
      const worker = start(fake.hooks);
      const summaryOf = (id: string) =>
        fake.reports.find((r) => r.submission.deliveryId === id)?.jobs[0];
      for (const id of ["open12", "open15", "open20", "merge20", "merge12"]) {
        await receive(worker, id);
        await worker.drain();
      }
      expect(summaryOf("merge20")).toMatchObject({
        state: "skipped",
        summary: "waiting for #12, #15",
      });
      expect(summaryOf("merge12")).toMatchObject({ state: "skipped", summary: "waiting for #15" });
      expect(fake.status.get("PROJ-1")).toBe("progress");

      await receive(worker, "merge15");
      await worker.drain();
      expect(summaryOf("merge15")).toMatchObject({ state: "done" });
      expect(fake.status.get("PROJ-1")).toBe("done");
    });
  });
});
