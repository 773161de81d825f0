/**
 * The bundled Action when the tracker pushes back: rate limits and outages (retried within
 * the retry-timeout), and rejected or under-privileged credentials (not retried, explained).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  type ActionRun,
  type ActionRunner,
  prepareActionRunner,
} from "../../src/simulators/runner/run-action.js";
import { startYandexSimulator, type YandexSimulator } from "../../src/simulators/yandex/index.js";
import { example } from "./helpers/payloads.js";
import { tokenExposure } from "./helpers/token-exposure.js";

const TOKEN = "y0_yandex-oauth-token-77c1";
const BENCH = "https://pr-9.bench.example.test";
const PUSH = {
  name: "push",
  payload: example("push"),
  env: { GITHUB_REF_NAME: "feature/PROJ-1-x" },
};

let sim: YandexSimulator;
let runner: ActionRunner;
const runs: Array<{ run: ActionRun; token: string }> = [];

beforeAll(async () => {
  sim = await startYandexSimulator({ token: TOKEN, orgId: "42" });
  runner = await prepareActionRunner();
});
afterAll(async () => {
  await sim.close();
  await runner.cleanup();
});
afterEach(() => {
  sim.reset();
  for (const { run, token } of runs.splice(0)) expect(tokenExposure(run, token)).toEqual([]);
});

async function action(overrides: Record<string, string> = {}): Promise<ActionRun> {
  const with_ = {
    tracker: "yandex",
    url: sim.url,
    token: TOKEN,
    "org-id": "42",
    field: "benchLink",
    value: BENCH,
    ...overrides,
  };
  const run = await runner.run(with_, PUSH);
  runs.push({ run, token: with_.token });
  return run;
}

const patches = () => sim.requests.filter((request) => request.method === "PATCH");

describe("retries", () => {
  it("waits as a 429's Retry-After asks, then succeeds", async () => {
    sim.createIssue("PROJ-1");
    sim.injectFaults({ status: 429, count: 1, retryAfterSeconds: 1, method: "PATCH" });
    const run = await action();

    expect(run.code).toBe(0);
    expect(sim.getIssue("PROJ-1").fields.benchLink).toBe(BENCH);
    expect(patches().map((request) => request.status)).toEqual([429, 200]);
    expect(run.stdout).toContain("is rate-limiting requests (429)");
    expect(run.stdout).toContain("retrying in 1 s as the tracker asked");
  });

  it("retries a 503 with backoff, then succeeds", async () => {
    sim.createIssue("PROJ-1");
    sim.injectFaults({ status: 503, count: 1, method: "PATCH" });
    const run = await action();

    expect(run.code).toBe(0);
    expect(patches().map((request) => request.status)).toEqual([503, 200]);
    expect(run.stdout).toContain("retrying with backoff");
  });

  it("gives up when the retry-timeout runs out, saying what happened", async () => {
    sim.createIssue("PROJ-1");
    sim.injectFaults({ status: 503, count: 1000, method: "PATCH" });
    const run = await action({ "retry-timeout": "1.5" });

    expect(run.code).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(
      /^Yandex Tracker at 127\.0\.0\.1:\d+ failed to set benchLink on PROJ-1 \(503\): Service unavailable \(gave up after \d+ attempts in [\d.]+ s; retry-timeout is 1\.5 s\)$/,
    );
    expect(patches().length).toBeGreaterThan(1);
    expect(sim.getIssue("PROJ-1").fields.benchLink).toBeUndefined();
  });

  it("gives up at once when Retry-After is longer than the time left", async () => {
    sim.createIssue("PROJ-1");
    sim.injectFaults({ status: 429, count: 1, retryAfterSeconds: 120, method: "PATCH" });
    const run = await action({ "retry-timeout": "5" });

    expect(run.code).toBe(1);
    expect(run.errors[0]).toContain("the tracker asked to wait 120 s, more than the");
    expect(run.errors[0]).toContain("left of the 5 s retry-timeout");
    expect(patches()).toHaveLength(1);
  });
});

describe("credentials and permissions", () => {
  it("names the token input on 401 and does not retry", async () => {
    sim.createIssue("PROJ-1");
    const wrong = "y0_wrong-token-0000";
    const run = await action({ token: wrong });

    expect(run.code).toBe(1);
    expect(run.errors).toEqual([
      expect.stringMatching(
        /^Yandex Tracker at 127\.0\.0\.1:\d+ rejected the token \(401 Unauthorized\)\. Check the "token" input/,
      ),
    ]);
    expect(patches()).toHaveLength(1);
  });

  it("names the missing permission on 403", async () => {
    sim.createIssue("PROJ-1", { forbidden: "write" });
    const run = await action();

    expect(run.code).toBe(1);
    expect(run.errors).toEqual([
      expect.stringMatching(
        /lacks permission to set benchLink on PROJ-1 \(403\): You are not allowed to edit this issue\. The token's user needs write access to the issue's queue\.$/,
      ),
    ]);
  });

  it("points at org-id when the organization is wrong", async () => {
    sim.createIssue("PROJ-1");
    const run = await action({ "org-id": "41" });

    expect(run.code).toBe(1);
    expect(run.errors[0]).toContain("Organization is not available, not ready or not found");
    expect(run.errors[0]).toContain('Check the "org-id" / "cloud-org-id" input');
  });
});
