/**
 * Repository configs against the GitHub simulator, through Probot's Octokit with the App's
 * conditional requests: the same outcome as Probot's `context.config` (merged as it merges),
 * and an unchanged file costs no parse or validation.
 */
import merge from "deepmerge";
import { ProbotOctokit } from "probot";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseRepoConfig } from "../../src/core/repo-config.js";
import { conditionalRequests, ResponseCache } from "../../src/github/conditional-requests.js";
import { InstallationTokenRefused } from "../../src/github/installation-token.js";
import { CONFIG_PATH, type LoadedConfig, RepoConfigs } from "../../src/github/load-repo-config.js";
import { octokitFetch } from "../../src/http/octokit-fetch.js";
import { type GitHubSimulator, startGitHubSimulator } from "../../src/simulators/github/index.js";
import { isRetryable } from "../../src/trackers/errors.js";
import { APP_ID, appKeyPair } from "../simulators/github-fixtures.js";

const { privateKey, publicKey } = appKeyPair();
const INSTALLATION = 7;
const names = { connections: ["yandex", "jira"], channels: ["team"] };
let sim: GitHubSimulator;

const silent = { debug() {}, info() {}, warn() {}, error() {} };
/** Probot's Octokit with conditional requests, as the App makes it; each with a cache of its own. */
const octokit = () =>
  new (ProbotOctokit.plugin(conditionalRequests(new ResponseCache())))({
    baseUrl: sim.url,
    auth: { appId: APP_ID, privateKey, installationId: INSTALLATION },
    log: silent,
    throttle: { enabled: false },
    retry: { enabled: false },
    request: { fetch: octokitFetch },
  });

function setConfig(repo: string, text: string, path = CONFIG_PATH) {
  sim.setFile("acme", repo, path, text);
}

const contentReads = () =>
  sim.requests.filter((r) => r.path.includes("/contents/")).map((r) => r.status);

beforeAll(async () => {
  sim = await startGitHubSimulator({ appId: APP_ID, publicKey });
  for (const name of [
    ".github",
    "web",
    "api",
    "shared",
    "bare",
    "loop",
    "broken",
    "bad-extends",
    "numbered",
  ])
    sim.addRepo({ owner: "acme", name, installationId: INSTALLATION });
  setConfig(".github", "connection: yandex\nkeys:\n  projects: [ORG]\nprotect: [closed]\n");
  setConfig("web", "_extends: .github\nkeys:\n  projects: [WEB]\nprotect: [open]\n");
  setConfig("shared", "connection: jira\nprotect: [done]\n", "base/tracker.yml");
  setConfig("api", "_extends: shared:base/tracker.yml\nbench:\n  field: benchLink\n");
  setConfig("loop", "_extends: shared:a.yml\n");
  setConfig("shared", "_extends: shared:b.yml\n", "a.yml");
  setConfig("shared", "_extends: shared:a.yml\n", "b.yml");
  setConfig("broken", "keys: [unclosed\n");
  setConfig("bad-extends", "_extends: not a repo name\n");
});
afterAll(() => sim.close());
beforeEach(() => sim.resetRequests());

/** What Probot's `context.config` gives, validated as the App validates it. */
async function asProbotLoads(repo: string): Promise<LoadedConfig | "unreadable"> {
  try {
    const { config, files } = await octokit().config.get({
      owner: "acme",
      repo,
      path: CONFIG_PATH,
      defaults: (configs: object[]) => merge.all<Record<string, unknown>>([{}, ...configs]),
    });
    if (!files.some((file) => file.config !== null)) return { kind: "missing" };
    const parsed = parseRepoConfig(config, CONFIG_PATH);
    return parsed.ok
      ? { kind: "valid", config: parsed.config, connection: parsed.config.connection ?? "" }
      : { kind: "invalid", error: parsed.error, connection: "yandex" };
  } catch {
    return "unreadable";
  }
}

describe("RepoConfigs", () => {
  it.each([
    { repo: "web", why: "_extends: .github, arrays joined, the repository's file on top" },
    { repo: "api", why: "_extends names another repository and path" },
    { repo: "shared", why: "no file: the organization's .github repository" },
    { repo: "bare", why: "no file, the organization's used" },
  ])("$repo: as Probot loads it ($why)", async ({ repo }) => {
    const loaded = await new RepoConfigs(names).load(octokit(), { owner: "acme", repo });
    expect(loaded).toEqual(await asProbotLoads(repo));
  });

  it("web: joins the arrays as Probot does", async () => {
    const loaded = await new RepoConfigs(names).load(octokit(), { owner: "acme", repo: "web" });
    expect(loaded).toMatchObject({ kind: "valid", connection: "yandex" });
    const { config } = loaded as Extract<LoadedConfig, { kind: "valid" }>;
    expect(config.keys.projects).toEqual(["ORG", "WEB"]);
    expect(config.protect).toEqual(["closed", "open"]);
  });

  it.each([
    { repo: "loop", error: /Recursion detected: "_extends: shared:a\.yml" in acme\/shared:b\.yml/ },
    { repo: "broken", error: /acme\/broken:\.github\/trackbridge\.yml \(invalid YAML\)/ },
    { repo: "bad-extends", error: /Invalid value "not a repo name" for _extends/ },
  ])("$repo: an unreadable config is an error naming the file", async ({ repo, error }) => {
    const loaded = await new RepoConfigs(names).load(octokit(), { owner: "acme", repo });
    expect(loaded).toMatchObject({ kind: "invalid", connection: "yandex" });
    expect((loaded as { error: string }).error).toMatch(
      /^\.github\/trackbridge\.yml could not be read: /,
    );
    expect((loaded as { error: string }).error).toMatch(error);
    expect(await asProbotLoads(repo)).toBe("unreadable");
  });

  it.each([
    { status: 404, why: "the installation is gone, or the App's id is wrong" },
    { status: 403, why: "the installation is suspended" },
    { status: 401, why: "GitHub refused the App's JWT (its key, or the clock)" },
  ])(
    "a refused installation token ($status: $why) is an error to retry, never a missing config",
    async ({ status }) => {
      sim.injectFaults({ status, count: 1, pathIncludes: "/access_tokens" });
      try {
        const loading = new RepoConfigs(names).load(octokit(), { owner: "acme", repo: "web" });
        const error = await loading.then(
          (loaded) => loaded,
          (thrown: unknown) => thrown,
        );
        expect(error).toBeInstanceOf(InstallationTokenRefused);
        expect(String(error)).toMatch(
          new RegExp(
            `GitHub refused an installation token for installation ${INSTALLATION} \\(${status}`,
          ),
        );
        expect(isRetryable(error)).toBe(true);
      } finally {
        sim.clearFaults();
      }
      // Once GitHub answers again, the config is read as before.
      const loaded = await new RepoConfigs(names).load(octokit(), { owner: "acme", repo: "web" });
      expect(loaded).toMatchObject({ kind: "valid" });
    },
  );

  it("no file anywhere: missing", async () => {
    sim.addRepo({ owner: "nobody", name: "x", installationId: INSTALLATION });
    const loaded = await new RepoConfigs(names).load(octokit(), { owner: "nobody", repo: "x" });
    expect(loaded).toEqual({ kind: "missing" });
  });

  it("a 304 is served the outcome already validated; a changed file is read and validated anew", async () => {
    const configs = new RepoConfigs(names);
    const client = octokit();
    const first = await configs.load(client, { owner: "acme", repo: "web" });
    const again = await configs.load(client, { owner: "acme", repo: "web" });
    expect(contentReads()).toEqual([200, 200, 304, 304]);
    // The very same object: neither parsed nor validated again.
    expect(again).toBe(first);

    setConfig(".github", "connection: jira\nkeys:\n  projects: [ORG]\nprotect: [closed]\n");
    sim.resetRequests();
    const changed = await configs.load(client, { owner: "acme", repo: "web" });
    expect(contentReads()).toEqual([304, 200]);
    expect(changed).not.toBe(first);
    expect(changed).toMatchObject({ kind: "valid", connection: "jira" });
    setConfig(".github", "connection: yandex\nkeys:\n  projects: [ORG]\nprotect: [closed]\n");
  });

  it("a project that is another connection's key prefix is an error for the check run", async () => {
    const numbered = { ...names, numbered: [{ name: "redmine", type: "redmine", prefix: "RM" }] };
    const configs = new RepoConfigs({
      ...numbered,
      connections: [...names.connections, "redmine"],
    });
    setConfig("numbered", "connection: jira\nkeys:\n  projects: [PROJ, RM]\n");
    expect(await configs.load(octokit(), { owner: "acme", repo: "numbered" })).toMatchObject({
      kind: "invalid",
      connection: "jira",
      error: /keys\.projects: "RM" is the key prefix of connection "redmine"/,
    });
    setConfig("numbered", "connection: redmine\nkeys:\n  redmine_keywords: true\n");
    const loaded = await new RepoConfigs({
      ...numbered,
      connections: [...names.connections, "redmine"],
    }).load(octokit(), { owner: "acme", repo: "numbered" });
    expect(loaded).toMatchObject({
      kind: "valid",
      config: { connectionKeys: { connection: "redmine", prefix: "RM", keywords: true } },
    });
  });

  it("an invalid config stays invalid on a 304, and a fix is seen", async () => {
    const configs = new RepoConfigs(names);
    const client = octokit();
    setConfig("bare", "connection: nowhere\n");
    const first = await configs.load(client, { owner: "acme", repo: "bare" });
    expect(first).toMatchObject({ kind: "invalid", error: /connection "nowhere"/ });
    expect(await configs.load(client, { owner: "acme", repo: "bare" })).toBe(first);
    setConfig("bare", "connection: jira\n");
    expect(await configs.load(client, { owner: "acme", repo: "bare" })).toMatchObject({
      kind: "valid",
      connection: "jira",
    });
  });
});
