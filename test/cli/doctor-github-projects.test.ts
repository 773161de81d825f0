/**
 * `trackbridge doctor` on a GitHub Projects connection, against the GitHub simulator (REST for
 * the App, GraphQL for the project): the App's installation on the project's organization,
 * the project, and its Status field, each reported where it fails. No secret is printed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GitHubSimulator } from "../../src/simulators/github/index.js";
import { type GitHubAppSetup, startGitHubApp } from "../helpers/github-app.js";
import { runDoctor } from "./helpers/doctor.js";

const APP_ID = 4343;
const WEBHOOK_SECRET = "doctor-ghp-webhook-secret-0001";

let app: GitHubAppSetup;
let github: GitHubSimulator;
let env: Record<string, string>;

beforeAll(async () => {
  app = await startGitHubApp({
    appId: APP_ID,
    webhookSecret: WEBHOOK_SECRET,
    prefix: "trackbridge-doctor-ghp-",
  });
  github = app.github;
  env = {
    ...app.env,
    TRACKER_TYPE: "github-projects",
    TRACKER_PROJECT: "https://github.com/orgs/acme/projects/1",
  };
});

afterAll(() => app.close());

async function doctor(overrides: Record<string, string> = {}) {
  const result = await runDoctor({ ...env, ...overrides }, [WEBHOOK_SECRET, ...app.pemLines()]);
  // No installation token either: GitHub's ghs_ tokens are minted for this run.
  expect(result.json + result.human).not.toMatch(/ghs_\w+/);
  const checks = result.checks.filter((c) => c.name.startsWith("tracker github-projects"));
  const check = (item: string) => result.check(`tracker github-projects: ${item}`);
  return { code: result.code, checks, check };
}

describe("trackbridge doctor: GitHub Projects", () => {
  it("all well: the App's installation on the org reads the project and its Status field", async () => {
    const result = await doctor();
    expect(result.checks.map((c) => [c.name.split(": ")[1], c.status])).toEqual([
      ["reachable", "ok"],
      ["token", "ok"],
      ["workflows", "ok"],
      ["rate limit", "ok"],
      ["capabilities", "ok"],
    ]);
    expect(result.check("capabilities").detail).toMatch(/^GitHub Projects: native: /);
    expect(result.code).toBe(0);
    expect(result.check("reachable").detail).toBe(`${github.url} answers`);
    expect(result.check("token").detail).toMatch(/the App's installation on acme \(project "/);
    expect(result.check("workflows").detail).toMatch(
      /read the workflow of project acme #1 \(Status\): \d+ statuses/,
    );
  });

  it("an organization the App is not installed on", async () => {
    const result = await doctor({ TRACKER_PROJECT: "globex/1" });
    expect(result.code).toBe(1);
    expect(result.check("token").status).toBe("fail");
    expect(result.check("token").detail).toMatch(/not installed on globex/);
    expect(result.check("token").fix).toMatch(/Projects: Read and write/);
    expect(result.check("workflows").status).toBe("skip");
  });

  it("a project that does not exist", async () => {
    const result = await doctor({ TRACKER_PROJECT: "acme/9" });
    expect(result.code).toBe(1);
    expect(result.check("token").status).toBe("ok");
    expect(result.check("project").status).toBe("fail");
    expect(result.check("project").detail).toMatch(
      /could not read project acme #9: Could not resolve/,
    );
    expect(result.check("project").fix).toMatch(/TRACKER_PROJECT/);
  });

  it("a status field the project does not have", async () => {
    const result = await doctor({ TRACKER_STATUS_FIELD: "Phase" });
    expect(result.code).toBe(1);
    expect(result.check("workflows").status).toBe("fail");
    expect(result.check("workflows").detail).toMatch(/has no field "Phase"; its fields: .*Status/);
  });
});
