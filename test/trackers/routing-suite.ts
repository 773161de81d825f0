/**
 * Routed moves on every tracker, over real HTTP against its simulator with the strict
 * workflow of issue 8: Open leads only to In progress or In review, Ready for test is
 * reached only from In review or Needs improvement.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { PlannedAction, Trigger } from "../../src/core/types.js";
import type { TrackerSimulator } from "../../src/simulators/shared/admin.js";
import type { SimWorkflow } from "../../src/simulators/shared/workflow.js";
import { applyAction } from "../../src/trackers/apply-action.js";
import { createTracker } from "../../src/trackers/create-tracker.js";
import { TrackerError } from "../../src/trackers/errors.js";
import type { Tracker } from "../../src/trackers/port.js";
import { type ContractFixture, isGraphRead } from "./contract-suite.js";

const STATUSES: Partial<Record<Trigger, string>> = {
  opened: "In progress",
  approved: "Ready for test",
  changes_requested: "Needs improvement",
  merged: "Closed",
};

export function move(
  key: string,
  target: string,
  extra: Partial<Extract<PlannedAction, { kind: "move" }>> = {},
): PlannedAction {
  return {
    kind: "move",
    key,
    target,
    trigger: "approved",
    protect: [],
    statuses: STATUSES,
    ...extra,
  };
}

async function rejection(promise: Promise<unknown>): Promise<TrackerError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TrackerError);
  return error as TrackerError;
}

export function runRouting(f: ContractFixture): void {
  describe(`routed moves: ${f.name}`, () => {
    let sim: TrackerSimulator;
    let tracker: Tracker;
    const executes = () =>
      sim.requests.filter((r) => r.method === "POST" && !isGraphRead(r)).length;

    beforeAll(async () => {
      sim = await f.start();
    });
    afterAll(() => sim.close());
    beforeEach(() => {
      sim.reset();
      sim.setWorkflow(f.strictWorkflow());
      tracker = createTracker(f.connection(sim.url));
    });

    if (f.graphApi) {
      it("finds the route through the workflow graph and walks it step by step", async () => {
        sim.createIssue("PROJ-1");
        const result = await applyAction(tracker, move("PROJ-1", "Ready for test"));
        expect(result.summary).toBe("moved Open → In review → Ready for test");
        expect(sim.getIssue("PROJ-1").status.key).toBe("readyForTest");
        expect(executes()).toBe(2);
      });

      it("a k-step move costs about k+1 calls once the graph is cached", async () => {
        sim.createIssue("PROJ-1");
        sim.createIssue("PROJ-2");
        await applyAction(tracker, move("PROJ-1", "Ready for test"));
        sim.resetRequests();
        await applyAction(tracker, move("PROJ-2", "Ready for test"));
        expect(sim.requests.filter(isGraphRead)).toEqual([]);
        // Yandex's _execute answers with the next transitions: 1 read + 2 steps. Jira: a re-read between steps.
        expect(sim.requests).toHaveLength(f.name === "yandex" ? 3 : 4);
      });

      it("passes through the config's waypoints when the config names a route", async () => {
        sim.createIssue("PROJ-1");
        const result = await applyAction(
          tracker,
          move("PROJ-1", "Ready for test", { via: ["In progress"] }),
        );
        expect(result.summary).toBe("moved Open → In progress → In review → Ready for test");
      });

      it("says there is no route, naming the config that would fix it", async () => {
        const workflow: SimWorkflow = f.strictWorkflow();
        // Ready for test can no longer be entered from anywhere.
        workflow.transitions = workflow.transitions.filter((t) => t.to !== "readyForTest");
        sim.setWorkflow(workflow);
        sim.createIssue("PROJ-1");
        const error = await rejection(applyAction(tracker, move("PROJ-1", "Ready for test")));
        expect(error.kind).toBe("no_transition");
        expect(error.retryable).toBe(false);
        expect(error.message).toBe(
          "no route to Ready for test from Open in the workflow of PROJ (Task) (available: Start progress → In progress, Send to review → In review): add `routes: { Ready for test: [<status>, …] }` to .github/trackbridge.yml, listing the statuses to pass through",
        );
      });

      it("falls back to learned edges and config routes when the graph is refused", async () => {
        sim.setWorkflowApi(false);
        sim.createIssue("PROJ-1");
        sim.createIssue("PROJ-2");
        const refused = await rejection(applyAction(tracker, move("PROJ-1", "Ready for test")));
        expect(refused.message).toMatch(
          /^no route to Ready for test from Open in the workflow of PROJ \(Task\) \(available: Start progress → In progress, Send to review → In review; the workflow graph could not be read \(.+\), so only transitions seen before are known\): add `routes: /,
        );
        const result = await applyAction(
          tracker,
          move("PROJ-1", "Ready for test", { via: ["In review"] }),
        );
        expect(result.summary).toBe("moved Open → In review → Ready for test");
        // What that walk showed is known now: the next issue needs no config route.
        const learned = await applyAction(tracker, move("PROJ-2", "Ready for test"));
        expect(learned.summary).toBe("moved Open → In review → Ready for test");
      });
    } else {
      it("has no graph API: learns edges, follows a config route, names the fix", async () => {
        sim.createIssue("PROJ-1");
        sim.createIssue("PROJ-2");
        const error = await rejection(applyAction(tracker, move("PROJ-1", "Ready for test")));
        expect(error.message).toContain(
          "the workflow graph could not be read (Jira Data Center has no REST API for a workflow's transitions), so only transitions seen before are known): add `routes: { Ready for test: [<status>, …] }` to .github/trackbridge.yml",
        );
        expect(sim.requests.filter(isGraphRead)).toEqual([]);
        const result = await applyAction(
          tracker,
          move("PROJ-1", "Ready for test", { via: ["In progress", "In review"] }),
        );
        expect(result.summary).toBe("moved Open → In progress → In review → Ready for test");
        const learned = await applyAction(tracker, move("PROJ-2", "Ready for test"));
        expect(learned.summary).toBe("moved Open → In review → Ready for test");
      });
    }

    it("resumes a route that failed midway from where the issue really is", async () => {
      sim.createIssue("PROJ-1");
      const action = move("PROJ-1", "Ready for test", { via: ["In progress", "In review"] });
      // The step into Ready for test fails: Yandex names the transition in the path, Jira in the body.
      const second =
        f.name === "yandex" ? { pathIncludes: "sendToTest" } : { bodyIncludes: '"id":"51"' };
      sim.injectFaults({ status: 503, count: 1, method: "POST", ...second });
      const error = await rejection(applyAction(tracker, action));
      expect(error.retryable).toBe(true);
      expect(sim.getIssue("PROJ-1").status.key).toBe("inReview");
      sim.resetRequests();
      // The retry of the same job starts from In review: one step, nothing applied twice.
      const retried = await applyAction(tracker, action);
      expect(retried.summary).toBe("moved In review → Ready for test");
      expect(executes()).toBe(1);
      expect(sim.getIssue("PROJ-1").status.key).toBe("readyForTest");
    });

    it("names a transition that needs a screen field", async () => {
      sim.createIssue("PROJ-1", { status: "testing" });
      const error = await rejection(
        applyAction(tracker, move("PROJ-1", "Closed", { trigger: "merged" })),
      );
      expect(error.kind).toBe("invalid");
      expect(error.message).toMatch(
        f.name === "yandex"
          ? /^transition "Resolve" needs input on its screen: .*resolution/
          : /^transition "Resolve" needs field Resolution/,
      );
      expect(sim.getIssue("PROJ-1").status.key).toBe("testing");
    });

    it("leaves QA's Testing alone: further along than Ready for test", async () => {
      sim.createIssue("PROJ-1", { status: "testing" });
      if (f.graphApi) {
        const result = await applyAction(tracker, move("PROJ-1", "Ready for test"));
        expect(result.summary).toBe("left in Testing (further along than Ready for test)");
      } else {
        // Without a graph, Testing and Ready for test are both "in progress": no order between
        // them is known, and no route either, so nothing moves and the check run says why.
        const error = await rejection(applyAction(tracker, move("PROJ-1", "Ready for test")));
        expect(error.message).toMatch(/^no route to Ready for test from Testing/);
      }
      expect(sim.getIssue("PROJ-1").status.key).toBe("testing");
    });

    it("moves changes requested after approved", async () => {
      sim.createIssue("PROJ-1", { status: "readyForTest" });
      const result = await applyAction(
        tracker,
        move("PROJ-1", "Needs improvement", { trigger: "changes_requested" }),
      );
      expect(result.summary).toBe("moved Ready for test → Needs improvement");
    });
  });
}
