/**
 * `trackbridge doctor` on a Linear connection (TRACKER_TYPE=linear): the API key is accepted
 * and a team's workflow reads; a rejected key says what to fix; no run prints the key.
 */
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDoctorCommand } from "../../src/cli/doctor-command.js";
import type { DoctorCheck } from "../../src/doctor/check.js";
import { type GitHubSimulator, startGitHubSimulator } from "../../src/simulators/github/index.js";
import { type LinearSimulator, startLinearSimulator } from "../../src/simulators/linear/index.js";
import { runInProcess } from "./helpers/run-in-process.js";

const APP_ID = 4242;
const KEY = "lin_api_doctor-key-0123456789";
const app = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});

let github: GitHubSimulator;
let linear: LinearSimulator;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  github = await startGitHubSimulator({ appId: APP_ID, publicKey: app.publicKey });
  github.addRepo({ owner: "acme", name: "web", installationId: 7 });
  linear = await startLinearSimulator({ token: KEY });
  linear.createIssue("ENG-1");
  dir = mkdtempSync(path.join(tmpdir(), "trackbridge-doctor-linear-"));
  writeFileSync(path.join(dir, "app.pem"), app.privateKey);
  env = {
    APP_ID: String(APP_ID),
    PRIVATE_KEY_PATH: path.join(dir, "app.pem"),
    WEBHOOK_SECRET: "doctor-webhook-secret-0003",
    GHE_HOST: new URL(github.url).host,
    GHE_PROTOCOL: "http",
    TRACKBRIDGE_DB: path.join(dir, "data", "trackbridge.db"),
    TRACKER_TYPE: "linear",
    TRACKER_URL: linear.url,
    TRACKER_TOKEN: KEY,
  };
});
afterAll(async () => {
  await Promise.all([github.close(), linear.close()]);
  rmSync(dir, { recursive: true, force: true });
});

async function doctor(overrides: Record<string, string> = {}) {
  const runEnv = { ...env, ...overrides };
  const run = (args: string[]) =>
    runInProcess(["doctor", ...args], [(program, io) => addDoctorCommand(program, io, runEnv)]);
  const json = await run(["--json"]);
  const human = await run([]);
  for (const text of [json.stdout, json.stderr, human.stdout, human.stderr]) {
    expect(text).not.toContain(KEY);
    expect(text).not.toContain("lin_api_wrong");
  }
  const checks = (JSON.parse(json.stdout) as { checks: DoctorCheck[] }).checks;
  return { code: json.code, checks, human: human.stdout };
}

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
