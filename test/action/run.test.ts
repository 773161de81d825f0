/**
 * `run()` in-process, for what the bundled end-to-end tests cannot provoke: a thrown value
 * that is not an Error, an unreadable payload, several failures at once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "../../src/action/run.js";
import { readRunnerEnv } from "../../src/action/runner-env.js";
import { startYandexSimulator, type YandexSimulator } from "../../src/simulators/yandex/index.js";
import { createTracker } from "../../src/trackers/create-tracker.js";
import { TRACKER_TYPES } from "../../src/trackers/kinds.js";
import { inProcessDeps } from "./helpers/run-deps.js";

const deps = inProcessDeps;

let sim: YandexSimulator;
beforeAll(async () => {
  sim = await startYandexSimulator({ token: "t0k-run-test", orgId: "1" });
});
afterAll(() => sim.close());

const inputs = () => ({
  tracker: "yandex",
  url: sim.url,
  token: "t0k-run-test",
  "org-id": "1",
  field: "benchLink",
  value: "https://b.test",
});

describe("run", () => {
  it("fails the step with String(value) when something throws a non-Error", async () => {
    const { runDeps, recorded } = deps(inputs(), {
      createTracker: () => {
        throw "the tracker exploded";
      },
    });
    await expect(run(runDeps)).resolves.toBeUndefined();
    expect(recorded.failed).toEqual(["the tracker exploded"]);
  });

  it("fails the step with a thrown non-Error from inside a tracker call", async () => {
    const { runDeps, recorded } = deps(inputs(), {
      createTracker: (connection) => ({
        ...createTracker(connection),
        setField: () => Promise.reject({ toString: () => "odd rejection" }),
      }),
    });
    await run(runDeps);
    expect(recorded.failed).toEqual(["PROJ-1: odd rejection"]);
  });

  it("masks the token before anything else happens, even with invalid inputs", async () => {
    const { runDeps, recorded } = deps({ ...inputs(), tracker: "nope" });
    await run(runDeps);
    expect(recorded.secrets).toEqual(["t0k-run-test"]);
    expect(recorded.failed).toEqual([
      `input "tracker" must be one of ${TRACKER_TYPES.join(", ")} (got "nope")`,
    ]);
  });

  it("fails naming the payload file when it cannot be read", async () => {
    const { runDeps, recorded } = deps(inputs(), {
      env: readRunnerEnv({ GITHUB_EVENT_NAME: "push", GITHUB_EVENT_PATH: "/nowhere/event.json" }),
      readFile: () => Promise.reject(new Error("ENOENT: no such file")),
    });
    await run(runDeps);
    expect(recorded.failed).toEqual([
      "could not read the event payload /nowhere/event.json: ENOENT: no such file",
    ]);
  });

  it("reports each failed issue and fails once, naming them", async () => {
    sim.reset();
    sim.createIssue("PROJ-1");
    const { runDeps, recorded } = deps({ ...inputs(), "issue-key": "PROJ-1,PROJ-404,OPS-404" });
    await run(runDeps);

    expect(recorded.errors).toEqual([
      expect.stringMatching(/^issue PROJ-404 not found/),
      expect.stringMatching(/^issue OPS-404 not found/),
    ]);
    expect(recorded.failed).toEqual([
      "2 of 3 issues were not fully updated: PROJ-404, OPS-404 (see the errors above)",
    ]);
    expect(recorded.outputs).toEqual({ "issue-keys": "PROJ-1,PROJ-404,OPS-404", updated: "1" });
    expect(recorded.summaries).toHaveLength(1);
  });
});
