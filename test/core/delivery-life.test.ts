/** The planners of the delivery life: work started, deployments per environment, releases, sync. */
import { describe, expect, it } from "vitest";
import { matchEnvironment } from "../../src/core/match-environment.js";
import { neverBackwards } from "../../src/core/never-backwards.js";
import { planDeployment } from "../../src/core/plan-deployment.js";
import { moveRules } from "../../src/core/plan-pull-request.js";
import { planRelease, versionName } from "../../src/core/plan-release.js";
import { planSync, syncTrigger } from "../../src/core/plan-sync.js";
import { planWorkStarted } from "../../src/core/plan-work-started.js";
import { parseRepoConfig, type RepoConfig } from "../../src/core/repo-config.js";
import type { MoveTrigger, PrEvent } from "../../src/core/types.js";

function config(raw: unknown): RepoConfig {
  const result = parseRepoConfig(raw);
  if (!result.ok) throw new Error(result.error);
  return result.config;
}

const LIFE = config({
  keys: { projects: ["PROJ"] },
  statuses: {
    started: "inProgress",
    opened: "inReview",
    draft: "inProgress",
    approved: "readyForTest",
    changes_requested: "needsImprovement",
    merged: "merged",
    closed: "open",
    released: "released",
  },
  protect: ["closed"],
  bench: { field: "benchLink" },
  deployments: {
    staging: { status: "testing", field: "stagingLink" },
    "review/*": { field: "reviewLink" },
    production: { status: "deployed" },
  },
  release: { version: "web {tag}", strip_v: true },
});

const repo = { owner: "acme", name: "web" };

/** Whether the one never-backwards rule leaves an issue standing in `current` for this move. */
function leftIn(cfg: RepoConfig, trigger: MoveTrigger, target: string, current: string): boolean {
  const { statuses = {}, reopen = false } = moveRules(cfg, target);
  const status = { key: current, display: current };
  return !neverBackwards({ current: status, target, trigger, statuses, reopen }).move;
}

const EVERY_STATUS = [
  "open",
  "inProgress",
  "inReview",
  "readyForTest",
  "needsImprovement",
  "merged",
  "testing",
  "deployed",
  "released",
];

describe("never backwards over the delivery life (deployment environments are the deployed stage)", () => {
  it.each([
    [
      "started",
      "inProgress",
      ["inReview", "readyForTest", "needsImprovement", "merged", "testing", "deployed", "released"],
    ],
    [
      "opened",
      "inReview",
      ["readyForTest", "needsImprovement", "merged", "testing", "deployed", "released"],
    ],
    ["approved", "readyForTest", ["merged", "testing", "deployed", "released"]],
    ["deployed", "testing", ["released"]],
    ["released", "released", []],
  ] as const)("%s (to %s) leaves the issue in %j", (trigger, target, ahead) => {
    const left = EVERY_STATUS.filter((status) => leftIn(LIFE, trigger, target, status));
    expect(left.sort()).toEqual([...ahead].sort());
  });

  it("a status the config names only for closing without a merge is no step forward", () => {
    expect(leftIn(LIFE, "started", "inProgress", "open")).toBe(false);
  });
});

describe("planWorkStarted", () => {
  it("moves the branch's keys to statuses.started, never back from a later status", () => {
    const plan = planWorkStarted({ repo, branch: "feature/PROJ-7-login", sha: "a", at: "t" }, LIFE);
    expect(plan.actions).toEqual([
      {
        kind: "move",
        key: "PROJ-7",
        target: "inProgress",
        trigger: "started",
        protect: ["closed"],
        ...moveRules(LIFE, "inProgress"),
      },
    ]);
  });

  it("without statuses.started the key is skipped with the reason", () => {
    const plan = planWorkStarted({ repo, branch: "PROJ-7", sha: "a", at: "t" }, config({}));
    expect(plan.actions).toEqual([]);
    expect(plan.skipped).toEqual([{ key: "PROJ-7", reason: "`statuses.started` is not set" }]);
  });

  it("a branch without keys plans nothing", () => {
    expect(planWorkStarted({ repo, branch: "main", sha: "a", at: "t" }, LIFE).actions).toEqual([]);
  });
});

describe("deployments per environment", () => {
  it.each([
    ["staging", "staging"],
    ["review/pr-7", "review/*"],
    ["production", "production"],
    ["review", undefined],
    ["qa", undefined],
  ])("%s matches %s", (environment, rule) => {
    expect(matchEnvironment(LIFE.deployments, environment)?.name).toBe(rule);
  });

  const deployment = (environment: string, extra: object = {}) => ({
    repo,
    ref: "main",
    sha: "s",
    environment,
    url: "https://x.example",
    headCommitMessage: "PROJ-1: login",
    at: "t",
    ...extra,
  });

  it("staging: the environment's field and status, for the ref, head and compared commits", () => {
    const plan = planDeployment(deployment("staging", { commits: ["PROJ-2 search"] }), LIFE);
    expect(
      plan.actions.map((a) => [
        a.kind,
        a.key,
        "field" in a ? a.field : "target" in a ? a.target : "",
      ]),
    ).toEqual([
      ["move", "PROJ-1", "testing"],
      ["set_field", "PROJ-1", "stagingLink"],
      ["move", "PROJ-2", "testing"],
      ["set_field", "PROJ-2", "stagingLink"],
    ]);
  });

  it("a glob environment writes its own field and moves nothing", () => {
    const plan = planDeployment(deployment("review/pr-7"), LIFE);
    expect(plan.actions).toEqual([
      { kind: "set_field", key: "PROJ-1", field: "reviewLink", value: "https://x.example" },
    ]);
  });

  it("production: status only, with bench.field still the default field", () => {
    const plan = planDeployment(deployment("production"), LIFE);
    expect(plan.actions.map((a) => a.kind)).toEqual(["move", "set_field"]);
    expect(plan.actions[1]).toMatchObject({ field: "benchLink" });
  });

  it("an environment with no rule uses bench.field", () => {
    expect(planDeployment(deployment("qa"), LIFE).actions).toEqual([
      { kind: "set_field", key: "PROJ-1", field: "benchLink", value: "https://x.example" },
    ]);
  });

  it("a capped compare is mentioned", () => {
    const plan = planDeployment(
      deployment("staging", { commitsCapped: { read: 250, total: 900 } }),
      LIFE,
    );
    expect(plan.notes).toContain(
      "900 commits were deployed to staging; keys were read from the first 250",
    );
  });
});

describe("releases", () => {
  it.each([
    [{ version: "{tag}", strip_v: false, prereleases: false }, "v1.2.0", "v1.2.0"],
    [{ version: "{tag}", strip_v: true, prereleases: false }, "v1.2.0", "1.2.0"],
    [{ version: "web {tag}", strip_v: true, prereleases: false }, "v2", "web 2"],
    [{ version: "{tag}", strip_v: true, prereleases: false }, "version-1", "version-1"],
  ])("%j + %s → %s", (release, tag, name) => {
    expect(versionName(release, tag)).toBe(name);
  });

  const release = (extra: object = {}) => ({
    repo,
    tag: "v1.2.0",
    sha: "s",
    prerelease: false,
    at: "t",
    commits: ["PROJ-1: login", "PROJ-2 search, refs PROJ-3"],
    ...extra,
  });

  it("stamps the version on every moving key and moves it to statuses.released", () => {
    const plan = planRelease(release(), LIFE);
    expect(plan.actions).toEqual([
      { kind: "fix_version", key: "PROJ-1", version: "web 1.2.0" },
      {
        kind: "move",
        key: "PROJ-1",
        target: "released",
        trigger: "released",
        protect: ["closed"],
        ...moveRules(LIFE, "released"),
      },
      { kind: "fix_version", key: "PROJ-2", version: "web 1.2.0" },
      {
        kind: "move",
        key: "PROJ-2",
        target: "released",
        trigger: "released",
        protect: ["closed"],
        ...moveRules(LIFE, "released"),
      },
    ]);
    expect(plan.skipped).toEqual([
      { key: "PROJ-3", reason: "only referenced in the release's commits" },
    ]);
  });

  it("prereleases only when the config says so", () => {
    expect(planRelease(release({ prerelease: true }), LIFE).actions).toEqual([]);
    expect(planRelease(release({ prerelease: true }), LIFE).notes[0]).toMatch(/prerelease/);
    const opted = config({ release: { prereleases: true } });
    expect(planRelease(release({ prerelease: true }), opted).actions).toEqual([
      { kind: "fix_version", key: "PROJ-1", version: "v1.2.0" },
      { kind: "fix_version", key: "PROJ-2", version: "v1.2.0" },
    ]);
  });
});

describe("sync", () => {
  const review = (login: string, state: string, submittedAt: string) => ({
    login,
    state,
    submittedAt,
  });
  const open = { draft: false, merged: false, state: "open" as const };

  it.each([
    ["merged", { ...open, merged: true, state: "closed" as const }, [], "merged"],
    ["closed unmerged", { ...open, state: "closed" as const }, [], null],
    ["draft", { ...open, draft: true }, [], "draft"],
    ["no reviews", open, [], "opened"],
    ["approved", open, [review("bob", "APPROVED", "2")], "approved"],
    [
      "comments do not count",
      open,
      [review("bob", "APPROVED", "1"), review("bob", "COMMENTED", "2")],
      "approved",
    ],
    [
      "a later approval replaces that reviewer's changes request",
      open,
      [review("bob", "CHANGES_REQUESTED", "1"), review("bob", "APPROVED", "2")],
      "approved",
    ],
    [
      "one reviewer's changes request outweighs another's approval",
      open,
      [review("bob", "APPROVED", "1"), review("eve", "CHANGES_REQUESTED", "2")],
      "changes_requested",
    ],
    [
      "a dismissed review no longer counts",
      open,
      [review("eve", "CHANGES_REQUESTED", "1"), review("eve", "DISMISSED", "2")],
      "opened",
    ],
  ] as const)("%s", (_name, pr, reviews, trigger) => {
    expect(syncTrigger(pr, reviews)).toBe(trigger);
  });

  it("plans the PR's state with every move guarded against going backwards", () => {
    const event: PrEvent & { trigger: "approved" } = {
      repo,
      pr: {
        number: 4,
        url: "u",
        branch: "PROJ-4",
        title: "t",
        body: "",
        merged: false,
        draft: false,
        state: "open",
        headSha: "h",
      },
      trigger: "approved",
      currentState: "opened",
      actor: { login: "trackbridge", isBot: true },
      at: "t",
      comments: [],
      commits: [],
    };
    const plan = planSync(event, LIFE);
    expect(plan.actions[0]).toMatchObject({
      kind: "move",
      key: "PROJ-4",
      target: "readyForTest",
      trigger: "approved",
      protect: ["closed"],
      // Derived from the PR as it stands: never follows the PR back past a later stage.
      derived: true,
      statuses: { ...LIFE.statuses, deployed: ["testing", "deployed"] },
    });
    expect(plan.actions[1]).toMatchObject({ kind: "link", key: "PROJ-4" });
  });
});
