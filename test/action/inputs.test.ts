import { describe, expect, it } from "vitest";
import { type ActionInputs, parseInputs, renderComment } from "../../src/action/inputs.js";
import { TRACKER_TYPES, typesInWords } from "../../src/trackers/kinds.js";

const YANDEX = {
  tracker: "yandex",
  url: "https://api.tracker.yandex.net",
  token: "y0_secret",
  "org-id": "7654321",
  field: "benchLink",
  value: "https://pr-7.bench.example.test",
};
const JIRA = {
  tracker: "jira",
  url: "https://acme.atlassian.net",
  token: "atl-secret",
  email: "ci@acme.test",
  field: "Bench link",
  value: "https://pr-7.bench.example.test",
};

function ok(raw: Record<string, string>): ActionInputs {
  const result = parseInputs(raw);
  if (!result.ok) throw new Error(`expected valid inputs, got ${result.errors.join("; ")}`);
  return result.inputs;
}

function errors(raw: Record<string, string>): string[] {
  const result = parseInputs(raw);
  if (result.ok) throw new Error("expected invalid inputs");
  return result.errors;
}

describe("parseInputs: valid", () => {
  it("builds a Yandex connection with defaults", () => {
    expect(ok(YANDEX)).toEqual({
      connection: {
        name: "Yandex Tracker at api.tracker.yandex.net",
        type: "yandex",
        url: "https://api.tracker.yandex.net",
        token: "y0_secret",
        orgId: "7654321",
      },
      field: "benchLink",
      value: "https://pr-7.bench.example.test",
      issueKeys: undefined,
      projects: undefined,
      status: undefined,
      comment: undefined,
      failOnMissingKey: false,
      dryRun: false,
      retryTimeoutMs: 60_000,
    });
  });

  it("builds a Jira Cloud connection with the e-mail", () => {
    expect(ok(JIRA).connection).toEqual({
      name: "Jira at acme.atlassian.net",
      type: "jira",
      url: "https://acme.atlassian.net",
      token: "atl-secret",
      email: "ci@acme.test",
    });
  });

  it.each([
    ["issue-key", "proj-1", { issueKeys: ["PROJ-1"] }],
    ["issue-key", "PROJ-1, OPS-22 PROJ-1", { issueKeys: ["PROJ-1", "OPS-22"] }],
    ["projects", "PROJ, OPS", { projects: ["PROJ", "OPS"] }],
    ["status", " Ready for test ", { status: "Ready for test" }],
    ["fail-on-missing-key", "true", { failOnMissingKey: true }],
    ["dry-run", "TRUE", { dryRun: true }],
    ["dry-run", "false", { dryRun: false }],
    ["retry-timeout", "2.5", { retryTimeoutMs: 2_500 }],
    [
      "url",
      "https://api.tracker.yandex.net/",
      { connection: expect.objectContaining({ url: "https://api.tracker.yandex.net" }) },
    ],
    ["cloud-org-id", "bpf3", { connection: expect.objectContaining({ cloudOrgId: "bpf3" }) }],
  ] as const)("%s=%j", (name, value, expected) => {
    const raw: Record<string, string> =
      name === "cloud-org-id"
        ? { ...YANDEX, "org-id": "", [name]: value }
        : { ...YANDEX, [name]: value };
    expect(ok(raw)).toMatchObject(expected);
  });

  it("treats empty strings as absent, as the runner passes them", () => {
    const inputs = ok({ ...YANDEX, "issue-key": "", status: "", comment: "", "dry-run": "" });
    expect(inputs).toMatchObject({
      issueKeys: undefined,
      status: undefined,
      comment: undefined,
      dryRun: false,
    });
  });

  it("lets a dry run go without a token (fork PRs have no secrets)", () => {
    expect(ok({ ...YANDEX, token: "", "dry-run": "true" }).connection.token).toBe("");
  });

  it("accepts Jira Data Center without an e-mail", () => {
    const { email: _email, ...dataCenter } = JIRA;
    expect(ok(dataCenter).connection).not.toHaveProperty("email");
  });
});

describe("parseInputs: each error names its input", () => {
  it.each([
    [{ tracker: "jra" }, `input "tracker" must be one of ${TRACKER_TYPES.join(", ")} (got "jra")`],
    [{ tracker: "" }, `input "tracker" is required (${typesInWords("")})`],
    [{ url: "" }, 'input "url" is required'],
    [{ url: "ftp://tracker" }, 'input "url" must be an http(s) URL'],
    [{ url: "not a url" }, 'input "url" must be an http(s) URL'],
    [
      { url: "https://bot:hunter2@tracker.example" },
      'input "url" must not carry a user or password',
    ],
    [
      { url: "https://api.tracker.yandex.net/v2" },
      'input "url" must be the tracker\'s base URL without the API path',
    ],
    [{ token: "" }, 'input "token" is required'],
    [{ "org-id": "" }, 'input "org-id" is required for tracker yandex'],
    [{ "cloud-org-id": "c1" }, 'input "cloud-org-id" cannot be combined with org-id'],
    [{ email: "ci@acme.test" }, 'input "email" is only for tracker jira'],
    [{ field: "" }, 'input "field" is required'],
    [{ field: "   " }, 'input "field" is required'],
    [{ value: "" }, 'input "value" is required'],
    [
      { "issue-key": "PROJ-01" },
      'input "issue-key" must be issue keys such as PROJ-123, separated by commas (got "PROJ-01")',
    ],
    [{ "issue-key": " , " }, 'input "issue-key" must list at least one issue key'],
    [
      { projects: "PROJ, 1X" },
      'input "projects" must be project keys such as PROJ, OPS (got "1X")',
    ],
    [{ "dry-run": "yes" }, 'input "dry-run" must be true or false (got "yes")'],
    [{ "fail-on-missing-key": "1" }, 'input "fail-on-missing-key" must be true or false (got "1")'],
    [{ "retry-timeout": "soon" }, 'input "retry-timeout" must be a number of seconds'],
    [{ "retry-timeout": "-1" }, 'input "retry-timeout" must be a number of seconds, 0 or more'],
    [
      { comment: "Bench {url} for {key}" },
      'input "comment" has unknown placeholder {url}; use {key}, {value}, {sha}, {branch}, {run_url}, {actor}',
    ],
  ])("%j", (override, message) => {
    const found = errors({ ...YANDEX, ...override });
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(message);
  });

  it.each([["org-id"], ["cloud-org-id"]])("rejects %s for jira", (name) => {
    expect(errors({ ...JIRA, [name]: "1" })).toEqual([
      `input "${name}" is only for tracker yandex`,
    ]);
  });

  it("reports every mistake at once, including the cross-input ones", () => {
    const found = errors({ tracker: "yandex", url: "", field: "", value: "" });
    expect(found.map((error) => error.split(" ")[1])).toEqual([
      '"url"',
      '"field"',
      '"value"',
      '"token"',
      '"org-id"',
    ]);
  });

  it("never echoes the token or the URL back", () => {
    const found = errors({
      ...YANDEX,
      url: "https://user:hunter2@",
      token: "y0_secret",
      tracker: "x",
    });
    expect(found.join("\n")).not.toMatch(/hunter2|y0_secret/);
  });
});

describe("renderComment", () => {
  const values = {
    key: "PROJ-1",
    value: "https://b.test",
    sha: "abc123",
    branch: "feature/PROJ-1-x",
    run_url: "https://github.com/acme/web/actions/runs/9",
    actor: "octocat",
  };

  it.each([
    ["Bench for {key}: {value}", "Bench for PROJ-1: https://b.test"],
    [
      "{actor} deployed {branch}@{sha} ({run_url})",
      "octocat deployed feature/PROJ-1-x@abc123 (https://github.com/acme/web/actions/runs/9)",
    ],
    ["{key} {key}", "PROJ-1 PROJ-1"],
    ["no placeholders, {not one", "no placeholders, {not one"],
  ])("%j", (template, expected) => {
    expect(renderComment(template, values)).toBe(expected);
  });
});

describe("parseInputs: what the runner tells", () => {
  const PROJECT = {
    tracker: "github-projects",
    token: "ghp_secret",
    project: "acme/1",
    field: "Bench link",
    value: "https://pr-7.bench.example.test",
  };

  it("puts a GitHub project on the runner's GitHub unless url says otherwise", () => {
    const runner = { serverUrl: "https://ghe.acme.test" };
    const fromRunner = parseInputs(PROJECT, runner);
    expect(fromRunner.ok && fromRunner.inputs.connection.url).toBe("https://ghe.acme.test");
    const given = parseInputs({ ...PROJECT, url: "https://github.com" }, runner);
    expect(given.ok && given.inputs.connection.url).toBe("https://github.com");
    // Another tracker's url is never guessed.
    const { url: _, ...jira } = JIRA;
    expect(parseInputs(jira, runner)).toMatchObject({ ok: false });
  });

  it("reads a bare #12 as the runner's repository's issue, and names each one it cannot", () => {
    const runner = { serverUrl: "https://github.com", repository: "Acme/Web" };
    const keys = parseInputs({ ...PROJECT, "issue-key": "#12, globex/api#3" }, runner);
    expect(keys.ok && keys.inputs.issueKeys).toEqual(["acme/web#12", "globex/api#3"]);
    expect(
      parseInputs({ ...PROJECT, "issue-key": "#12 #13" }, { serverUrl: "https://github.com" }),
    ).toEqual({
      ok: false,
      errors: [
        `input "issue-key" #12 is an issue of the workflow's repository, but GITHUB_REPOSITORY is not set: write it as owner/repo#12`,
        `input "issue-key" #13 is an issue of the workflow's repository, but GITHUB_REPOSITORY is not set: write it as owner/repo#13`,
      ],
    });
  });
});
