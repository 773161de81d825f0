/**
 * `trackbridge doctor` on a Linear connection (TRACKER_TYPE=linear): the API key is accepted
 * and a team's workflow reads; a rejected key says what to fix; no run prints the key.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LinearSimulator, startLinearSimulator } from "../../src/simulators/linear/index.js";
import { type GitHubAppSetup, startGitHubApp } from "../helpers/github-app.js";
import { runDoctor } from "./helpers/doctor.js";

const APP_ID = 4242;
const KEY = "lin_api_doctor-key-0123456789";

let app: GitHubAppSetup;
let linear: LinearSimulator;
let env: Record<string, string>;

beforeAll(async () => {
  app = await startGitHubApp({
    appId: APP_ID,
    webhookSecret: "doctor-webhook-secret-0003",
    prefix: "trackbridge-doctor-linear-",
  });
  linear = await startLinearSimulator({ token: KEY });
  linear.createIssue("ENG-1");
  env = {
    ...app.env,
    TRACKER_TYPE: "linear",
    TRACKER_URL: linear.url,
    TRACKER_TOKEN: KEY,
  };
});
afterAll(() => Promise.all([app.close(), linear.close()]));

const doctor = (overrides: Record<string, string> = {}) =>
  runDoctor({ ...env, ...overrides }, [KEY, "lin_api_wrong"]);

describe("trackbridge doctor on Linear", () => {
  it("accepts the key and reads a team's workflow", async () => {
    const result = await doctor();
    const linearChecks = result.checks.filter((c) => c.name.startsWith("tracker linear"));
    expect(linearChecks.length).toBeGreaterThan(0);
    expect(linearChecks.filter((c) => c.status === "fail")).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.human).toContain(
      "✓ tracker linear: token: accepted: trackbridge bot (bot@example.test)",
    );
    expect(result.human).toContain(
      "✓ tracker linear: workflows: read the workflow of ENG: 8 statuses",
    );
  });

  it("says how to fix a rejected key", async () => {
    const result = await doctor({ TRACKER_TOKEN: "lin_api_wrong-key-0000000000" });
    expect(result.code).not.toBe(0);
    const failedCheck = result.checks.find(
      (c) => c.status === "fail" && c.name.startsWith("tracker linear"),
    );
    expect(failedCheck?.fix ?? "").toContain("Linear API key");
  });
});
