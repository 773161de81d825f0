/**
 * `trackbridge init --queue acme/1` on a GitHub Projects connection, against the GitHub
 * simulator (the App's REST for its installation token, GraphQL for the project): the config
 * it writes is read back as the App reads it and names only the project's Status options.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { parseRepoConfig } from "../../src/core/repo-config.js";
import type { GitHubSimulator } from "../../src/simulators/github/index.js";
import { type GitHubAppSetup, startGitHubApp } from "../helpers/github-app.js";
import { runInit } from "./helpers/init.js";

const APP_ID = 4444;

let app: GitHubAppSetup;
let github: GitHubSimulator;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  app = await startGitHubApp({
    appId: APP_ID,
    webhookSecret: "init-ghp-webhook-secret",
    prefix: "trackbridge-init-ghp-",
  });
  ({ github, dir } = app);
  env = {
    ...app.env,
    TRACKER_TYPE: "github-projects",
    TRACKER_PROJECT: "acme/1",
  };
});

afterAll(() => app.close());

describe("trackbridge init: GitHub Projects", () => {
  it("reads the project's Status options and writes a config the App reads", async () => {
    const run = await runInit(env, dir, [
      "--queue",
      "https://github.com/orgs/acme/projects/1",
      "--print",
    ]);
    expect(run.stderr, run.stderr).not.toMatch(/error/i);
    expect(run.code, run.stderr).toBe(0);
    const parsed = parseRepoConfig(parseYaml(run.stdout));
    if (!parsed.ok) throw new Error(parsed.error);
    // Named by option id (the status key the App matches first) or by name.
    const status = github.projects.project().fields.find((f) => f.name === "Status");
    const options = (status?.options ?? []).flatMap((o) => [o.id, o.name]);
    const named = Object.values(parsed.config.statuses ?? {})
      .flat()
      .map(String);
    expect(named.length).toBeGreaterThan(2);
    for (const status of named) expect(options).toContain(status);
    const done = status?.options?.find((o) => o.name === "Done")?.id;
    expect([done, "Done"]).toContain(String(parsed.config.statuses.merged));
    expect(run.stdout).toContain("acme/1");
  });

  it("a project that is not there, and a --queue that is no project, say what to fix", async () => {
    const missing = await runInit(env, dir, ["--queue", "acme/9", "--print"]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/no queue or project acme\/9 .*check --queue/);
    const key = await runInit(env, dir, ["--queue", "PROJ", "--print"]);
    expect(key.code).not.toBe(0);
    expect(key.stderr).toMatch(/--queue must be an organization project as acme\/3/);
  });
});
