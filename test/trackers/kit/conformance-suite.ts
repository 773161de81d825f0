/**
 * The conformance kit: one suite every adapter mode runs against its simulator over real
 * HTTP. It reads what the adapter may do from its kind's capability table and holds it to
 * it: what is declared native or emulated works, what is declared unavailable is refused
 * with a typed, permanent "not available on <label>" error (or the optional call is absent).
 * Retries are the worker's (a retryable `TrackerError`, waited out by the retry policy): the
 * kit runs them through the same `isRetryable` and `backoffMs`.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { PlannedAction } from "../../../src/core/types.js";
import { backoffMs, retryPolicy } from "../../../src/delivery/retry-policy.js";
import {
  DEFAULT_STATUSES,
  type KitFixture,
  type KitSimulator,
} from "../../../src/simulators/scenario/kit-fixture.js";
import { applyAction } from "../../../src/trackers/apply-action.js";
import {
  CAPABILITY_CALLS,
  CapabilityUnavailableError,
} from "../../../src/trackers/capability-guard.js";
import { createTracker } from "../../../src/trackers/create-tracker.js";
import { isRetryable, TrackerError, type TrackerErrorKind } from "../../../src/trackers/errors.js";
import { CAPABILITIES, type CapabilityName } from "../../../src/trackers/kind.js";
import { kindOf } from "../../../src/trackers/kinds.js";
import type { Tracker } from "../../../src/trackers/port.js";

const move = (key: string, target: string, via?: string[]): PlannedAction => ({
  kind: "move",
  key,
  target,
  trigger: "approved",
  protect: [],
  ...(via ? { via } : {}),
});

/** The worker's loop without its sleeps: retry while the failure is retryable. */
async function asTheWorkerRetries<T>(call: () => Promise<T>, attempts = 3) {
  const failures: unknown[] = [];
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      return { value: await call(), failures };
    } catch (error) {
      failures.push(error);
      if (!isRetryable(error)) return { error, failures };
    }
  }
  return { error: failures.at(-1), failures };
}

export function runConformance(f: KitFixture): void {
  const trackerOf = (url: string, token?: string) => {
    const connection = { ...f.connection(url), ...(token ? { token } : {}) };
    return createTracker(connection, f.options?.(connection, url));
  };
  describe(`conformance kit: ${f.name}`, () => {
    let sim: KitSimulator;
    let tracker: Tracker;
    const messages: string[] = [];
    const kind = () => kindOf(f.connection("http://127.0.0.1:1").type);
    const mode = () => kind().modeOf(f.connection("http://127.0.0.1:1"));
    const st = f.statuses ?? DEFAULT_STATUSES;
    const can = (name: CapabilityName) => mode().capabilities[name].support !== "unavailable";

    const failure = async (promise: Promise<unknown>, errorKind: TrackerErrorKind) => {
      const error = await promise.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(TrackerError);
      const trackerError = error as TrackerError;
      messages.push(trackerError.message, String(trackerError), String(trackerError.cause ?? ""));
      expect(trackerError.kind).toBe(errorKind);
      expect(trackerError.connection).toBe(f.name);
      return trackerError;
    };
    const created = (n: number, status?: string) => {
      const { sim: simKey, key } = f.issue(n);
      sim.createIssue(simKey, status ? { status } : {});
      return { simKey, key };
    };

    beforeAll(async () => {
      sim = await f.start();
    });
    afterAll(() => sim.close());
    beforeEach(() => {
      sim.reset();
      tracker = trackerOf(sim.url);
    });

    it("reads an issue: its key, status and status category (on the issue or its workflow)", async () => {
      const { key } = created(1, st.inProgress.sim);
      const issue = await tracker.getIssue(key);
      expect(issue.key).toBe(key);
      expect(issue.status.display).toBe(st.inProgress.display);
      const category =
        issue.status.category ??
        (await tracker.workflow(issue)).statuses.find((s) => s.key === issue.status.key)?.category;
      expect(category).toBe("in_progress");
    });

    it("moves one step, and a move to where the issue is changes nothing", async () => {
      const { key } = created(2);
      const moved = await applyAction(tracker, move(key, st.oneStep));
      expect(moved.summary).toBe(`moved ${st.start} → ${st.oneStep}`);
      expect((await tracker.getIssue(key)).status.display).toBe(st.oneStep);
      sim.resetRequests();
      const again = await applyAction(tracker, move(key, st.oneStep));
      expect(again.summary).toBe(`already in ${st.oneStep}`);
      expect(sim.requests.filter((r) => r.method !== "GET" && !/graphql/.test(r.path))).toEqual([]);
    });

    it("moves through a routed path (the config's waypoint)", async () => {
      const { key } = created(3);
      const { target, via } = st.routed;
      const result = await applyAction(tracker, move(key, target, [via]));
      expect(result.summary).toBe(`moved ${st.start} → ${via} → ${target}`);
      expect((await tracker.getIssue(key)).status.display).toBe(target);
    });

    it("writes a field (the bench URL)", async () => {
      const { simKey, key } = created(4);
      const url = "https://pr-4.bench.example.test/";
      await applyAction(tracker, { kind: "set_field", key, field: f.field.id, value: url });
      const stored = f.readField
        ? f.readField(sim, simKey, f.field.id)
        : sim.getIssue(simKey).fields[f.field.stored];
      expect(stored).toBe(url);
    });

    it("writes a comment once (by its marker)", async () => {
      const { simKey, key } = created(5);
      const action: PlannedAction = {
        kind: "comment",
        key,
        text: "Deployed to https://bench.example.test",
        marker: "<!-- trackbridge:kit:1 -->",
      };
      expect((await applyAction(tracker, action)).summary).toBe("commented");
      expect((await applyAction(tracker, action)).summary).toBe("comment already posted");
      expect(sim.getIssue(simKey).comments).toHaveLength(1);
    });

    it("links the PR once", async () => {
      const { simKey, key } = created(6);
      const url = "https://github.com/acme/web/pull/7";
      const link: PlannedAction = {
        kind: "link",
        key,
        pr: { number: 7, url, title: "Fix login", repo: "acme/web" },
      };
      if (f.linkedByThePr) {
        expect(mode().capabilities.pr_link.support).toBe("emulated");
        sim.resetRequests();
        expect((await applyAction(tracker, link)).summary).toBe("already linked");
        expect(sim.requests, "a link the PR carries writes nothing").toEqual([]);
        return;
      }
      await applyAction(tracker, link);
      expect((await applyAction(tracker, link)).summary).toBe("already linked");
      const state = sim.getIssue(simKey);
      const carriers = [...state.links.map((l) => l.url), ...state.comments.map((c) => c.text)];
      expect(carriers.filter((text) => text.includes(url))).toHaveLength(1);
    });

    it("stamps a fix version where the tracker has versions; else refuses, saying so", async () => {
      const { simKey, key } = created(7);
      const stamp = applyAction(tracker, { kind: "fix_version", key, version: "1.4.0" });
      if (can("fix_versions")) {
        await stamp;
        expect(sim.getIssue(simKey).fixVersions).toEqual(["1.4.0"]);
      } else {
        const error = await failure(tracker.addFixVersion(key, "1.4.0"), "invalid");
        expect(error).toBeInstanceOf(CapabilityUnavailableError);
        expect(error.message).toContain(`not available on ${mode().label}`);
        expect(isRetryable(error)).toBe(false);
        // The executor says so in the action's summary instead of failing the release's job.
        expect((await stamp).summary).toBe(`fix version 1.4.0 not stamped: ${error.message}`);
      }
    });

    it("an unknown key is a clear not_found", async () => {
      const { key } = f.issue(404);
      const error = await failure(tracker.getIssue(key), "not_found");
      expect(error.message).toContain(key);
      expect(isRetryable(error)).toBe(false);
    });

    it("a bad token is a 401 (auth) that names the connection, not the token", async () => {
      const { key } = created(8);
      const bad = trackerOf(sim.url, "wrong-token-value");
      const error = await failure(bad.getIssue(key), "auth");
      // Linear answers a bad key 400 with AUTHENTICATION_ERROR: the kind is the contract.
      expect([400, 401]).toContain(error.status);
      expect(isRetryable(error)).toBe(false);
      expect(error.message).toContain(f.name);
      expect(error.message).not.toContain("wrong-token-value");
    });

    it("a 429 with Retry-After is retryable, and the retry policy waits what it asked", async () => {
      const { key } = created(9);
      sim.injectFaults({ status: 429, count: 1, retryAfterSeconds: 7 });
      const error = await failure(tracker.getIssue(key), "rate_limited");
      expect(error.retryAfterMs).toBe(7000);
      expect(isRetryable(error)).toBe(true);
      expect(backoffMs(retryPolicy({ random: () => 0 }), 1, error.retryAfterMs)).toBe(7000);
    });

    it("a 5xx is retried and then succeeds; a 4xx is not retried", async () => {
      const { key } = created(10);
      sim.injectFaults({ status: 503, count: 1 });
      const served = await asTheWorkerRetries(() => tracker.getIssue(key));
      expect(served.failures).toHaveLength(1);
      expect(served.value?.key).toBe(key);
      sim.injectFaults({ status: 400, count: 1 });
      const refused = await asTheWorkerRetries(() => tracker.getIssue(key));
      expect(refused.failures).toHaveLength(1);
      expect(refused.error).toBeInstanceOf(TrackerError);
      messages.push(String(refused.error));
    });

    it("does what its capability table declares, and refuses what it declares unavailable", async () => {
      const { key } = created(11);
      const table = mode().capabilities;
      expect(Object.keys(table).sort()).toEqual([...CAPABILITIES].sort());
      for (const [name, calls] of Object.entries(CAPABILITY_CALLS)) {
        const declared = table[name as CapabilityName];
        for (const call of calls ?? []) {
          const present = typeof tracker[call] === "function";
          if (declared.support !== "unavailable") {
            expect(present, `${name}: ${String(call)}`).toBe(true);
          } else if (present) {
            const refused = (tracker[call] as (...args: unknown[]) => Promise<unknown>)(
              key,
              "x",
              "y",
            );
            const error = await failure(refused, "invalid");
            expect(error.message).toBe(
              `${(error as CapabilityUnavailableError).message.split(" is not")[0]} is not available on ${mode().label}: ${declared.reason}`,
            );
          }
        }
      }
      expect(Boolean(kind().webhook), "webhooks").toBe(table.webhooks.support !== "unavailable");
      const graph = await tracker.workflow(await tracker.getIssue(key));
      // A graph the tracker cannot serve comes back `unreadable`: then it must say unavailable.
      expect(Boolean(graph.unreadable), `workflow_graph: ${graph.unreadable}`).toBe(
        table.workflow_graph.support === "unavailable",
      );
      if (table.poll.support !== "unavailable") {
        expect(Array.isArray(await tracker.updatedSince([f.issue(11).sim.split("-")[0]!], 0))).toBe(
          true,
        );
      }
    });

    it("puts no secret in any error message", () => {
      expect(messages.length).toBeGreaterThan(6);
      for (const message of messages) {
        for (const secret of f.secrets) expect(message).not.toContain(secret);
      }
    });
  });
}
