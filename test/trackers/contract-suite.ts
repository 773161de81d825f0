/**
 * The one contract every `Tracker` adapter meets, run against each adapter and its simulator
 * over real HTTP on loopback. A fixture says how the tracker names statuses and fields.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { PlannedAction } from "../../src/core/types.js";
import type { TrackerSimulator } from "../../src/simulators/shared/admin.js";
import type { SimWorkflow } from "../../src/simulators/shared/workflow.js";
import { applyAction } from "../../src/trackers/apply-action.js";
import type { TrackerConnection } from "../../src/trackers/connection.js";
import { createTracker } from "../../src/trackers/create-tracker.js";
import { TrackerError, type TrackerErrorKind } from "../../src/trackers/errors.js";
import type { Tracker } from "../../src/trackers/port.js";

export interface ContractFixture {
  /** Connection name, used in every message. */
  name: string;
  start(): Promise<TrackerSimulator>;
  connection(url: string): TrackerConnection;
  /** Strings that must never appear in an error message. */
  secrets: string[];
  /** How the config names "Ready for test" on this tracker, and other accepted forms. */
  readyForTest: { target: string; alternatives: string[] };
  /** A field that can be set, and one the tracker refuses with its own message. */
  field: { id: string; stored: string };
  refusedField: { id: string; trackerMessage: string };
  /** The strict workflow of issue 8 with this tracker's transition ids. */
  strictWorkflow: () => SimWorkflow;
  /** Whether the tracker serves a workflow graph API (Jira Data Center does not). */
  graphApi: boolean;
}

/** Requests that read the workflow graph (cached per scope), not counted in a move's cost. */
export function isGraphRead(request: { path: string }): boolean {
  return /\/workflows|\/statuses$/.test(request.path);
}

const move = (key: string, target: string, protect: string[] = []): PlannedAction => ({
  kind: "move",
  key,
  target,
  trigger: "merged",
  protect,
});

export function runContract(f: ContractFixture): void {
  describe(`Tracker contract: ${f.name}`, () => {
    let sim: TrackerSimulator;
    let tracker: Tracker;
    const messages: string[] = [];

    const failure = async (promise: Promise<unknown>, kind: TrackerErrorKind) => {
      const error = await promise.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(TrackerError);
      const trackerError = error as TrackerError;
      messages.push(trackerError.message, String(trackerError));
      expect(trackerError.kind).toBe(kind);
      expect(trackerError.connection).toBe(f.name);
      return trackerError;
    };

    beforeAll(async () => {
      sim = await f.start();
    });
    afterAll(() => sim.close());
    beforeEach(() => {
      sim.reset();
      tracker = createTracker(f.connection(sim.url));
    });

    it("reads an issue's key, status and no aliases", async () => {
      sim.createIssue("PROJ-1", { status: "inProgress" });
      const issue = await tracker.getIssue("PROJ-1");
      expect(issue.key).toBe("PROJ-1");
      expect(issue.aliases).toEqual([]);
      expect(issue.status.display).toBe("In progress");
      expect(issue.transitions).toBeUndefined();
    });

    it("reads the issue with its transitions in one request", async () => {
      sim.createIssue("PROJ-1");
      const issue = await tracker.getIssue("PROJ-1", { transitions: true });
      expect(sim.requests).toHaveLength(1);
      expect(sim.requests[0]!.query).toContain("expand=transitions");
      const targets = issue.transitions!.map((t) => t.to.display).sort();
      expect(targets).toEqual([
        "Closed",
        "In progress",
        "In review",
        "Needs improvement",
        "Ready for test",
      ]);
      expect(issue.transitions!.find((t) => t.to.display === "In progress")!.display).toBe(
        "Start progress",
      );
    });

    it("moves an issue in two calls", async () => {
      sim.createIssue("PROJ-2");
      const result = await applyAction(tracker, move("PROJ-2", f.readyForTest.target));
      expect(result).toMatchObject({ ok: true, summary: "moved Open → Ready for test" });
      expect(sim.getIssue("PROJ-2").status.key).toBe("readyForTest");
      const calls = sim.requests.filter((r) => !isGraphRead(r));
      expect(calls.map((r) => r.method)).toEqual(["GET", "POST"]);
    });

    it("answers a move to where the issue already is with one call", async () => {
      sim.createIssue("PROJ-3", { status: "readyForTest" });
      const result = await applyAction(tracker, move("PROJ-3", f.readyForTest.target));
      expect(result.summary).toBe("already in Ready for test");
      expect(sim.requests).toHaveLength(1);
    });

    it("accepts the target in every form the config may use", async () => {
      for (const [i, target] of f.readyForTest.alternatives.entries()) {
        const key = `ALT-${i + 1}`;
        sim.createIssue(key);
        const result = await applyAction(tracker, move(key, target));
        expect(result.summary, target).toBe("moved Open → Ready for test");
        expect(sim.getIssue(key).status.key, target).toBe("readyForTest");
      }
    });

    it("leaves an issue in a protected status where it is", async () => {
      sim.createIssue("PROJ-4", { status: "closed" });
      const result = await applyAction(tracker, move("PROJ-4", f.readyForTest.target, ["Closed"]));
      expect(result.summary).toBe("protected: Closed");
      expect(sim.getIssue("PROJ-4").status.key).toBe("closed");
      expect(sim.requests).toHaveLength(1);
    });

    it("leaves an issue in a done-category status where it is", async () => {
      sim.createIssue("PROJ-5", { status: "closed" });
      const result = await applyAction(tracker, move("PROJ-5", f.readyForTest.target));
      expect(result.summary).toBe("left in Closed (done; the config's reopen: true would move it)");
      expect(sim.getIssue("PROJ-5").status.key).toBe("closed");
    });

    it("reports an unknown issue as not found", async () => {
      const error = await failure(tracker.getIssue("PROJ-404"), "not_found");
      expect(error.message).toBe(`issue PROJ-404 not found in ${f.name}`);
      expect(error.status).toBe(404);
    });

    it("reports a rejected token without the token", async () => {
      sim.createIssue("PROJ-1");
      const bad = createTracker({ ...f.connection(sim.url), token: "wrong-token-value" });
      const error = await failure(bad.getIssue("PROJ-1"), "auth");
      expect(error.message).toBe(
        `the token for connection "${f.name}" was rejected (401): check TRACKER_TOKEN`,
      );
      expect(error.message).not.toContain("wrong-token-value");
    });

    it("names the operation the token lacks permission for", async () => {
      sim.createIssue("PROJ-9", { forbidden: true });
      const read = await failure(tracker.getIssue("PROJ-9"), "forbidden");
      expect(read.message).toMatch(
        new RegExp(
          `^the token for connection "${f.name}" lacks permission to read PROJ-9 \\(403\\): .+`,
        ),
      );
      sim.updateIssue("PROJ-9", { forbidden: "write" });
      const write = await failure(
        applyAction(tracker, move("PROJ-9", f.readyForTest.target)),
        "forbidden",
      );
      expect(write.message).toMatch(
        new RegExp(
          `^the token for connection "${f.name}" lacks permission to transition PROJ-9 \\(403\\): .+`,
        ),
      );
    });

    it("follows a moved issue to its new key", async () => {
      sim.createIssue("PROJ-6");
      const newKey = sim.moveIssue("PROJ-6", "NEW");
      const issue = await tracker.getIssue("PROJ-6");
      expect(issue.key).toBe(newKey);
      expect(issue.aliases).toContain("PROJ-6");
      const result = await applyAction(tracker, move("PROJ-6", f.readyForTest.target));
      expect(result.summary).toBe(`moved Open → Ready for test (now ${newKey})`);
      expect(sim.getIssue(newKey).status.key).toBe("readyForTest");
      expect(sim.requests.at(-1)!.path).toContain(newKey);
    });

    it("sets a field", async () => {
      sim.createIssue("PROJ-7");
      const url = "https://pr-12.bench.example.test/";
      const result = await applyAction(tracker, {
        kind: "set_field",
        key: "PROJ-7",
        field: f.field.id,
        value: url,
      });
      expect(result.summary).toBe(`set ${f.field.id} = ${url}`);
      expect(sim.getIssue("PROJ-7").fields[f.field.stored]).toBe(url);
    });

    it("stamps a fix version, creating it in the project/queue when missing, once", async () => {
      sim.createIssue("PROJ-1");
      sim.createIssue("PROJ-2");
      const stamp = (key: string) =>
        applyAction(tracker, { kind: "fix_version", key, version: "1.4.0" });
      expect((await stamp("PROJ-1")).summary).toBe("fix version 1.4.0 (version created)");
      expect(sim.versions("PROJ")).toEqual(["1.4.0"]);
      expect((await stamp("PROJ-2")).summary).toBe("fix version 1.4.0");
      expect((await stamp("PROJ-2")).summary).toBe("fix version 1.4.0 already set");
      expect(sim.versions("PROJ")).toEqual(["1.4.0"]);
      expect(sim.getIssue("PROJ-1").fixVersions).toEqual(["1.4.0"]);
      expect(sim.getIssue("PROJ-2").fixVersions).toEqual(["1.4.0"]);
    });

    it("adds a version someone created by hand without creating another", async () => {
      sim.createIssue("PROJ-3");
      sim.createVersion("PROJ", "2.0");
      expect(
        (await applyAction(tracker, { kind: "fix_version", key: "PROJ-3", version: "2.0" }))
          .summary,
      ).toBe("fix version 2.0");
      expect(sim.versions("PROJ")).toEqual(["2.0"]);
      expect(sim.getIssue("PROJ-3").fixVersions).toEqual(["2.0"]);
    });

    it("passes on the tracker's own words for a field it refuses", async () => {
      sim.createIssue("PROJ-8");
      const error = await failure(tracker.setField("PROJ-8", f.refusedField.id, "x"), "invalid");
      expect(error.message).toContain(f.refusedField.trackerMessage);
      expect(error.message).toContain("PROJ-8");
      expect(error.status).toBe(400);
    });

    it("posts a comment with its marker once", async () => {
      sim.createIssue("PROJ-10");
      const action: PlannedAction = {
        kind: "comment",
        key: "PROJ-10",
        text: "Deployed to https://bench.example.test\nby the pipeline",
        marker: "<!-- trackbridge:deploy:abc123 -->",
      };
      expect((await applyAction(tracker, action)).summary).toBe("commented");
      expect((await applyAction(tracker, action)).summary).toBe("comment already posted");
      const comments = sim.getIssue("PROJ-10").comments;
      expect(comments).toHaveLength(1);
      expect(comments[0]!.text).toBe(`${action.text}\n\n${action.marker}`);
      const listed = await tracker.listComments("PROJ-10");
      expect(listed.map((c) => c.text)).toEqual([`${action.text}\n\n${action.marker}`]);
    });

    it("reads every comment across pages", async () => {
      sim.createIssue("PROJ-11");
      for (let i = 1; i <= 120; i++) await tracker.addComment("PROJ-11", `note ${i}`);
      const listed = await tracker.listComments("PROJ-11");
      expect(listed).toHaveLength(120);
      expect(listed.at(-1)!.text).toBe("note 120");
    });

    it("links a pull request once", async () => {
      sim.createIssue("PROJ-12");
      const link: PlannedAction = {
        kind: "link",
        key: "PROJ-12",
        pr: {
          number: 7,
          url: "https://github.com/acme/web/pull/7",
          title: "Fix login",
          repo: "acme/web",
        },
      };
      expect((await applyAction(tracker, link)).summary).toBe("linked");
      expect((await applyAction(tracker, link)).summary).toBe("already linked");
      const state = sim.getIssue("PROJ-12");
      const carriers = [...state.links.map((l) => l.url), ...state.comments.map((c) => c.text)];
      expect(
        carriers.filter((text) => text.includes("https://github.com/acme/web/pull/7")),
      ).toHaveLength(1);
    });

    it("names a queue/project the token sees, whose workflow then reads (null when it sees none)", async () => {
      expect(await tracker.someWorkflowScope()).toBeNull();
      sim.createIssue("PROJ-1");
      const scope = await tracker.someWorkflowScope();
      if (!f.graphApi) {
        // Data Center: no workflow API to try, so no scope is asked for.
        expect(scope).toBeNull();
        return;
      }
      const issue = await tracker.getIssue("PROJ-1");
      expect(scope).toEqual(issue.scope);
      const graph = await tracker.workflow(issue);
      expect(graph.source).toBe("tracker");
      expect(graph.statuses.length).toBeGreaterThan(0);
    });

    it("reads a queue's/project's statuses with categories, and its workflow where served", async () => {
      sim.setWorkflow(f.strictWorkflow(), "PROJ");
      const { statuses, graph } = await tracker.projectWorkflow("PROJ");
      expect(statuses.map((s) => `${s.display}:${s.category}`)).toEqual([
        "Open:todo",
        "In progress:in_progress",
        "In review:in_progress",
        "Needs improvement:in_progress",
        "Ready for test:in_progress",
        "Testing:in_progress",
        "Closed:done",
      ]);
      if (f.graphApi) {
        expect(graph.source).toBe("tracker");
        expect(statuses.find((s) => s.key === graph.initial)?.display).toBe("Open");
        const fromOpen = graph.edges.filter((e) => e.from === graph.initial);
        expect(fromOpen.map((e) => e.transition.to.display).sort()).toEqual([
          "In progress",
          "In review",
        ]);
      } else {
        expect(graph.unreadable).toMatch(/Data Center/);
      }
      const missing = await failure(tracker.projectWorkflow("NOPE"), "not_found");
      expect(missing.message).toContain("NOPE");
    });

    it("reports 429 as rate-limited with the wait the tracker asked for", async () => {
      sim.createIssue("PROJ-1");
      sim.injectFaults({ status: 429, count: 1, retryAfterSeconds: 7 });
      const error = await failure(tracker.getIssue("PROJ-1"), "rate_limited");
      expect(error.retryAfterMs).toBe(7000);
      expect(error.retryable).toBe(true);
      expect((await tracker.getIssue("PROJ-1")).key).toBe("PROJ-1");
    });

    it("reports 503 as a retryable server error", async () => {
      sim.createIssue("PROJ-1");
      sim.injectFaults({ status: 503, count: 1 });
      const error = await failure(tracker.getIssue("PROJ-1"), "server");
      expect(error.retryable).toBe(true);
      expect(error.message).toContain("503");
    });

    it("reports a dropped connection and a timeout as network errors", async () => {
      sim.createIssue("PROJ-1");
      sim.injectFaults({ drop: true, count: 1 });
      await failure(tracker.getIssue("PROJ-1"), "network");
      sim.setLatency(1000);
      const impatient = createTracker(f.connection(sim.url), { timeoutMs: 50 });
      const error = await failure(impatient.getIssue("PROJ-1"), "network");
      expect(error.message).toContain("did not answer within 0.05 s");
    });

    it("reports a refused connection as a network error", async () => {
      const other = await f.start();
      const url = other.url;
      await other.close();
      const error = await failure(createTracker(f.connection(url)).getIssue("PROJ-1"), "network");
      expect(error.message).toContain(`could not reach ${f.name} (${url})`);
      expect(error.message).toContain("ECONNREFUSED");
    });

    it("never puts the token in an error message", () => {
      expect(messages.length).toBeGreaterThan(10);
      for (const message of messages) {
        for (const secret of f.secrets) expect(message).not.toContain(secret);
      }
    });
  });
}
