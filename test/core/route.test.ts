import { describe, expect, it } from "vitest";
import {
  describeRoute,
  distancesFromStart,
  findRoute,
  findRouteVia,
  MAX_ROUTE_STEPS,
  mergeEdges,
  noRouteMessage,
  statusOf,
  type WorkflowGraph,
} from "../../src/core/route.js";
import { S, strictGraph } from "./workflows.js";

const displays = (result: ReturnType<typeof findRoute>) =>
  result.ok ? result.steps.map((step) => step.to.display) : result.reason;

describe("findRoute: shortest path through the workflow", () => {
  it.each([
    ["open", "readyForTest", ["In review", "Ready for test"]],
    ["open", "Ready for test", ["In review", "Ready for test"]],
    ["inProgress", "readyForTest", ["In review", "Ready for test"]],
    ["open", "inProgress", ["In progress"]],
    ["closed", "readyForTest", ["Open", "In review", "Ready for test"]],
    // Only through Closed → Reopen: a route never passes through a done status.
    ["testing", "readyForTest", "no_path"],
    ["readyForTest", "closed", ["Testing", "Closed"]],
    ["open", "nowhere", "no_path"],
  ] as const)("from %s to %s", (from, target, expected) => {
    expect(displays(findRoute(strictGraph(), from, target))).toEqual(expected);
  });

  it("accepts a transition id as the target, as the config may give it", () => {
    expect(displays(findRoute(strictGraph(), "open", "inReview-readyForTest"))).toEqual([
      "In review",
      "Ready for test",
    ]);
  });

  it("never loops on a cyclic workflow and stops at the step bound", () => {
    const ring: WorkflowGraph = { statuses: [], edges: [], source: "tracker" };
    const keys = Array.from({ length: 12 }, (_, i) => `s${i}`);
    ring.edges = keys.map((key, i) => {
      const to = keys[(i + 1) % keys.length]!;
      return {
        from: key,
        transition: { id: `t${i}`, display: `to ${to}`, to: { key: to, display: to } },
      };
    });
    expect(displays(findRoute(ring, "s0", "s5"))).toHaveLength(5);
    expect(findRoute(ring, "s0", "s11")).toEqual({ ok: false, reason: "too_long" });
    expect(findRoute(ring, "s0", "missing")).toEqual({ ok: false, reason: "no_path" });
    expect(MAX_ROUTE_STEPS).toBe(8);
  });
});

describe("findRouteVia: a config route (routes: readyForTest: [inProgress, inReview])", () => {
  const learned = (): WorkflowGraph => ({ ...strictGraph(), source: "learned" });
  it("passes through the waypoints in order", () => {
    const route = findRouteVia(learned(), S.open, "readyForTest", ["inProgress", "inReview"]);
    expect(displays(route)).toEqual(["In progress", "In review", "Ready for test"]);
  });
  it("starts after the waypoint the issue already stands on", () => {
    const route = findRouteVia(learned(), S.inReview, "readyForTest", ["inProgress", "inReview"]);
    expect(displays(route)).toEqual(["Ready for test"]);
  });
  it("trusts the config past the first leg when later legs are not known yet", () => {
    const graph = mergeEdges({ statuses: [], edges: [], source: "learned" }, "open", [
      { id: "21", display: "Start progress", to: S.inProgress },
    ]);
    const route = findRouteVia(graph, S.open, "readyForTest", ["inProgress", "inReview"]);
    expect(displays(route)).toEqual(["In progress"]);
  });
  it("fails when the first leg is unknown", () => {
    const graph: WorkflowGraph = { statuses: [], edges: [], source: "learned" };
    expect(findRouteVia(graph, S.open, "readyForTest", ["inProgress"])).toEqual({
      ok: false,
      reason: "no_path",
    });
  });
});

describe("graph helpers", () => {
  it("mergeEdges adds what a transitions list showed, once", () => {
    const empty: WorkflowGraph = { statuses: [], edges: [], source: "learned" };
    const seen = [{ id: "21", display: "Start progress", to: S.inProgress }];
    const once = mergeEdges(empty, "open", seen);
    expect(once.edges).toHaveLength(1);
    expect(mergeEdges(once, "open", seen)).toBe(once);
  });
  it("distancesFromStart measures how far into the workflow each status lies", () => {
    const distances = distancesFromStart(strictGraph())!;
    expect(distances.get("readyForTest")).toBe(2);
    expect(distances.get("testing")).toBe(3);
    expect(distancesFromStart({ ...strictGraph(), source: "learned" })).toBeUndefined();
  });
  it("statusOf finds the target by key or name", () => {
    expect(statusOf(strictGraph(), "ready for test")?.key).toBe("readyForTest");
  });
  it("describeRoute writes the route as the check run shows it", () => {
    const route = findRouteVia(strictGraph(), S.open, "readyForTest", ["inProgress"]);
    expect(route.ok && describeRoute(S.open, route.steps)).toBe(
      "Open → In progress → In review → Ready for test",
    );
  });
  it("noRouteMessage names the config that fixes it", () => {
    const graph: WorkflowGraph = {
      ...mergeEdges({ statuses: [], edges: [], source: "learned" }, "open", [
        { id: "21", display: "Start progress", to: S.inProgress },
      ]),
      unreadable: "Jira Data Center has no workflow API",
    };
    expect(
      noRouteMessage({
        target: "readyForTest",
        from: S.open,
        graph,
        reason: "no_path",
        scope: "PROJ (Task)",
      }),
    ).toBe(
      "no route to readyForTest from Open in the workflow of PROJ (Task) (available: Start progress → In progress; the workflow graph could not be read (Jira Data Center has no workflow API), so only transitions seen before are known): add `routes: { readyForTest: [<status>, …] }` to .github/trackbridge.yml, listing the statuses to pass through",
    );
  });
});
