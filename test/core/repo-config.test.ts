import { describe, expect, it } from "vitest";
import {
  configToKeyOptions,
  parseRepoConfig,
  type RepoConfig,
} from "../../src/core/repo-config.js";
import { KEY_SOURCES } from "../../src/core/types.js";

const DEFAULTS: RepoConfig = {
  keys: { ignore_case: false, from: [...KEY_SOURCES], max: 50, deny: [], redmine_keywords: false },
  statuses: {},
  protect: [],
  reopen: false,
  routes: {},
  require_key: false,
  wait_for_all_prs: false,
  deployments: {},
  release: { version: "{tag}", strip_v: false, prereleases: false },
  notify: [],
};

function parsed(raw: unknown): RepoConfig {
  const result = parseRepoConfig(raw);
  if (!result.ok) throw new Error(`expected a valid config, got:\n${result.error}`);
  return result.config;
}

function errorOf(raw: unknown, file?: string): string {
  const result = parseRepoConfig(raw, file);
  if (result.ok)
    throw new Error(`expected an invalid config, got ${JSON.stringify(result.config)}`);
  return result.error;
}

describe("parseRepoConfig: valid configs", () => {
  const cases: Array<{ name: string; raw: unknown; expected: RepoConfig }> = [
    { name: "empty file (null)", raw: null, expected: DEFAULTS },
    { name: "undefined", raw: undefined, expected: DEFAULTS },
    { name: "empty object", raw: {}, expected: DEFAULTS },
    {
      name: "the design's example",
      raw: {
        connection: "yandex",
        keys: { projects: ["PROJ", "OPS"] },
        statuses: {
          opened: "inProgress",
          approved: "readyForTest",
          changes_requested: "needsImprovement",
          merged: "readyForTest",
          closed: "needsImprovement",
        },
        protect: ["closed"],
        bench: { field: "benchLink" },
      },
      expected: {
        connection: "yandex",
        keys: {
          projects: ["PROJ", "OPS"],
          ignore_case: false,
          from: [...KEY_SOURCES],
          max: 50,
          deny: [],
          redmine_keywords: false,
        },
        statuses: {
          opened: "inProgress",
          approved: "readyForTest",
          changes_requested: "needsImprovement",
          merged: "readyForTest",
          closed: "needsImprovement",
        },
        protect: ["closed"],
        reopen: false,
        routes: {},
        bench: { field: "benchLink" },
        require_key: false,
        wait_for_all_prs: false,
        deployments: {},
        release: { version: "{tag}", strip_v: false, prereleases: false },
        notify: [],
      },
    },
    {
      name: "every key set",
      raw: {
        _extends: ".github",
        connection: "jira-cloud",
        keys: {
          projects: ["proj", "A_1"],
          ignore_case: true,
          from: ["branch", "title"],
          max: 50,
          deny: ["GPT"],
          redmine_keywords: false,
        },
        statuses: {
          opened: "In Progress",
          draft: "11",
          ready: "In Review",
          approved: "Ready for test",
          changes_requested: "needsImprovement",
          merged: "31",
          closed: "Won't do",
        },
        protect: ["closed", "Done"],
        bench: { field: "customfield_10042" },
        require_key: true,
        wait_for_all_prs: true,
        deployments: {},
        release: { version: "{tag}", strip_v: false, prereleases: false },
      },
      expected: {
        _extends: ".github",
        connection: "jira-cloud",
        keys: {
          projects: ["proj", "A_1"],
          ignore_case: true,
          from: ["branch", "title"],
          max: 50,
          deny: ["GPT"],
          redmine_keywords: false,
        },
        statuses: {
          opened: "In Progress",
          draft: "11",
          ready: "In Review",
          approved: "Ready for test",
          changes_requested: "needsImprovement",
          merged: "31",
          closed: "Won't do",
        },
        protect: ["closed", "Done"],
        reopen: false,
        routes: {},
        bench: { field: "customfield_10042" },
        require_key: true,
        wait_for_all_prs: true,
        deployments: {},
        release: { version: "{tag}", strip_v: false, prereleases: false },
        notify: [],
      },
    },
    {
      name: "partial keys section keeps the other defaults",
      raw: { keys: { ignore_case: true } },
      expected: { ...DEFAULTS, keys: { ...DEFAULTS.keys, ignore_case: true } },
    },
  ];

  it.each(cases)("$name", ({ raw, expected }) => {
    expect(parsed(raw)).toEqual(expected);
  });

  it("does not share default arrays between parses", () => {
    const first = parsed({});
    first.protect.push("mutated");
    first.keys.from.pop();
    expect(parsed({})).toEqual(DEFAULTS);
  });
});

describe("parseRepoConfig: invalid shapes name the file, the path and what was expected", () => {
  const cases: Array<{ name: string; raw: unknown; path: string | null; expected: string }> = [
    {
      name: "a string document",
      raw: "statuses",
      path: null,
      expected: "expected object, received string",
    },
    {
      name: "a list document",
      raw: [1, 2],
      path: null,
      expected: "expected object, received array",
    },
    {
      name: "connection is a number",
      raw: { connection: 1 },
      path: "connection",
      expected: "expected string",
    },
    {
      name: "connection is empty",
      raw: { connection: "" },
      path: "connection",
      expected: ">=1 characters",
    },
    {
      name: "keys is a list",
      raw: { keys: ["PROJ"] },
      path: "keys",
      expected: "expected object, received array",
    },
    {
      name: "projects is a string",
      raw: { keys: { projects: "PROJ" } },
      path: "keys.projects",
      expected: "expected array",
    },
    {
      name: "project key starts with a digit",
      raw: { keys: { projects: ["PROJ", "1X"] } },
      path: "keys.projects[1]",
      expected: "expected a project key",
    },
    {
      name: "project key has a dash",
      raw: { keys: { projects: ["PR-OJ"] } },
      path: "keys.projects[0]",
      expected: "expected a project key",
    },
    {
      name: "project key is one letter",
      raw: { keys: { projects: ["P"] } },
      path: "keys.projects[0]",
      expected: "expected a project key",
    },
    {
      name: "ignore_case is a string",
      raw: { keys: { ignore_case: "yes" } },
      path: "keys.ignore_case",
      expected: "expected boolean",
    },
    {
      name: "from has an unknown source",
      raw: { keys: { from: ["branch", "labels"] } },
      path: "keys.from[1]",
      expected: '"branch"|"title"|"body"|"comments"|"commits"',
    },
    {
      name: "from is empty",
      raw: { keys: { from: [] } },
      path: "keys.from",
      expected: "expected at least one source",
    },
    {
      name: "deny holds a number",
      raw: { keys: { deny: [42] } },
      path: "keys.deny[0]",
      expected: "expected string, received number",
    },
    {
      name: "statuses is a string",
      raw: { statuses: "readyForTest" },
      path: "statuses",
      expected: "expected object, received string",
    },
    {
      name: "a status is a number",
      raw: { statuses: { approved: 42 } },
      path: "statuses.approved",
      expected: "expected string, received number",
    },
    {
      name: "a status is left empty in YAML",
      raw: { statuses: { merged: null } },
      path: "statuses.merged",
      expected: "expected string, received null",
    },
    {
      name: "a status is an empty string",
      raw: { statuses: { opened: "" } },
      path: "statuses.opened",
      expected: ">=1 characters",
    },
    {
      name: "an unknown trigger",
      raw: { statuses: { reviewed: "x" } },
      path: "statuses",
      expected: 'Unrecognized key "reviewed"',
    },
    {
      name: "protect is a string",
      raw: { protect: "closed" },
      path: "protect",
      expected: "expected array, received string",
    },
    {
      name: "bench without field",
      raw: { bench: {} },
      path: "bench.field",
      expected: "expected string, received undefined",
    },
    {
      name: "bench is a string",
      raw: { bench: "benchLink" },
      path: "bench",
      expected: "expected object, received string",
    },
    {
      name: "require_key is a string",
      raw: { require_key: "true" },
      path: "require_key",
      expected: "expected boolean, received string",
    },
    {
      name: "wait_for_all_prs is a number",
      raw: { wait_for_all_prs: 1 },
      path: "wait_for_all_prs",
      expected: "expected boolean, received number",
    },
    {
      name: "a typo at the top level",
      raw: { statuse: {} },
      path: null,
      expected: 'Unrecognized key "statuse" (expected one of: _extends, connection, keys, statuses',
    },
    {
      name: "a typo in keys",
      raw: { keys: { project: ["PROJ"] } },
      path: "keys",
      expected:
        'Unrecognized key "project" (expected one of: projects, ignore_case, from, max, deny, redmine_keywords)',
    },
    {
      name: "a typo in bench",
      raw: { bench: { field: "x", feild: "y" } },
      path: "bench",
      expected: 'Unrecognized key "feild"',
    },
  ];

  it.each(cases)("$name", ({ raw, path, expected }) => {
    const error = errorOf(raw);
    expect(error.startsWith(".github/trackbridge.yml is invalid:\n✖ ")).toBe(true);
    expect(error).toContain(expected);
    if (path === null) expect(error).not.toContain("→ at");
    else expect(error).toContain(`→ at ${path}`);
  });

  it("formats exactly like zod's prettifyError, prefixed with the file name", () => {
    expect(errorOf({ statuses: { approved: 42 } })).toBe(
      ".github/trackbridge.yml is invalid:\n✖ Invalid input: expected string, received number\n  → at statuses.approved",
    );
  });

  it("names the file it was given", () => {
    expect(errorOf({ require_key: "no" }, ".github/other.yml")).toMatch(
      /^\.github\/other\.yml is invalid:\n/,
    );
  });

  it("reports every bad field at once", () => {
    const error = errorOf({
      connection: 3,
      keys: { projects: ["9"] },
      statuses: { approved: 1, merged: false },
    });
    for (const path of ["connection", "keys.projects[0]", "statuses.approved", "statuses.merged"]) {
      expect(error).toContain(`→ at ${path}`);
    }
  });
});

describe("parseRepoConfig: a repository can never name a tracker URL or token", () => {
  const SERVER_ONLY =
    "a repository config can never name a tracker URL or token — those are set on the server";
  const cases: Array<{ name: string; raw: unknown; path: string | null; key: string }> = [
    { name: "url at the top", raw: { url: "https://tracker.example" }, path: null, key: "url" },
    { name: "token at the top", raw: { connection: "x", token: "y" }, path: null, key: "token" },
    {
      name: "base_url at the top",
      raw: { base_url: "https://jira.example" },
      path: null,
      key: "base_url",
    },
    { name: "password at the top", raw: { password: "hunter2" }, path: null, key: "password" },
    { name: "api_key at the top", raw: { api_key: "k" }, path: null, key: "api_key" },
    { name: "token in keys", raw: { keys: { token: "k" } }, path: "keys", key: "token" },
    {
      name: "url in statuses",
      raw: { statuses: { url: "https://x" } },
      path: "statuses",
      key: "url",
    },
    {
      name: "api_key in bench",
      raw: { bench: { field: "f", api_key: "k" } },
      path: "bench",
      key: "api_key",
    },
    { name: "camelCase baseUrl", raw: { baseUrl: "https://x" }, path: null, key: "baseUrl" },
    { name: "upper-case TOKEN", raw: { TOKEN: "x" }, path: null, key: "TOKEN" },
    { name: "tracker_url", raw: { tracker_url: "https://x" }, path: null, key: "tracker_url" },
    { name: "oauth_token", raw: { oauth_token: "x" }, path: null, key: "oauth_token" },
  ];

  it.each(cases)("$name", ({ raw, path, key }) => {
    const error = errorOf(raw);
    expect(error).toContain(`Key "${key}" not allowed: ${SERVER_ONLY}`);
    if (path === null) expect(error).not.toContain("→ at");
    else expect(error).toContain(`→ at ${path}`);
  });

  it("never echoes the secret value", () => {
    const error = errorOf({ token: "s3cr3t-value", keys: { password: "hunter2" } });
    expect(error).not.toContain("s3cr3t-value");
    expect(error).not.toContain("hunter2");
  });

  it("reports secret and ordinary unknown keys side by side", () => {
    const error = errorOf({ url: "https://x", colour: "red" });
    expect(error).toContain(`Key "url" not allowed: ${SERVER_ONLY}`);
    expect(error).toContain('Unrecognized key "colour"');
  });
});

describe("configToKeyOptions", () => {
  it.each([
    {
      name: "defaults",
      raw: {},
      expected: { ignoreCase: false, deny: [], from: [...KEY_SOURCES] },
    },
    {
      name: "every option",
      raw: { keys: { projects: ["PROJ"], ignore_case: true, from: ["branch"], deny: ["GPT"] } },
      expected: { projects: ["PROJ"], ignoreCase: true, deny: ["GPT"], from: ["branch"] },
    },
  ])("$name", ({ raw, expected }) => {
    expect(configToKeyOptions(parsed(raw))).toEqual(expected);
  });
});
