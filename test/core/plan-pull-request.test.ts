import { describe, expect, it } from "vitest";
import { planPullRequest } from "../../src/core/plan-pull-request.js";
import { parseRepoConfig, type RepoConfig } from "../../src/core/repo-config.js";
import { type PlannedAction, type PrEvent, TRIGGERS, type Trigger } from "../../src/core/types.js";

function config(raw: unknown): RepoConfig {
  const result = parseRepoConfig(raw);
  if (!result.ok) throw new Error(result.error);
  return result.config;
}

function event(overrides: {
  trigger?: Trigger | null;
  currentState?: Trigger;
  branch?: string;
  title?: string;
  body?: string;
  comments?: string[];
  commits?: string[];
}): PrEvent {
  return {
    repo: { owner: "acme", name: "web" },
    pr: {
      number: 7,
      url: "https://github.com/acme/web/pull/7",
      branch: overrides.branch ?? "main-work",
      title: overrides.title ?? "Improve login",
      body: overrides.body ?? "",
      merged: false,
      draft: false,
      state: "open",
      headSha: "0123456789abcdef0123456789abcdef01234567",
    },
    trigger: overrides.trigger === undefined ? "opened" : overrides.trigger,
    currentState: overrides.currentState ?? "opened",
    actor: { login: "octocat", isBot: false },
    at: "2025-01-01T00:00:00Z",
    comments: overrides.comments ?? [],
    commits: overrides.commits ?? [],
  };
}

const EVERY_STATUS = Object.fromEntries(TRIGGERS.map((trigger) => [trigger, `status-${trigger}`]));

const link = (key: string, title = "Improve login"): PlannedAction => ({
  kind: "link",
  key,
  pr: { number: 7, url: "https://github.com/acme/web/pull/7", title, repo: "acme/web" },
});
const move = (
  key: string,
  target: string,
  trigger: Trigger,
  protect: string[] = [],
): PlannedAction =>
  // The never-backwards inputs (statuses, reopen, via) have their own tests below.
  expect.objectContaining({ kind: "move", key, target, trigger, protect });

describe("planPullRequest: each trigger moves to the status the config names for it", () => {
  it.each(TRIGGERS.map((trigger) => ({ trigger })))("$trigger", ({ trigger }) => {
    const plan = planPullRequest(
      event({ trigger, branch: "feature/PROJ-1-login" }),
      config({ statuses: EVERY_STATUS }),
    );
    expect(plan.actions).toEqual([move("PROJ-1", `status-${trigger}`, trigger), link("PROJ-1")]);
    expect(plan.skipped).toEqual([]);
  });
});

describe("planPullRequest", () => {
  const cases: Array<{
    name: string;
    event: PrEvent;
    config: unknown;
    actions: PlannedAction[];
    skipped?: Array<{ key: string; reason: string }>;
  }> = [
    {
      name: "no keys: an empty plan",
      event: event({ branch: "fix-typo", title: "Fix typo" }),
      config: { statuses: EVERY_STATUS },
      actions: [],
    },
    {
      name: "trigger null moves to the status of the PR's current state",
      event: event({ trigger: null, currentState: "approved", body: "Fixes PROJ-2" }),
      config: { statuses: { approved: "readyForTest", opened: "inProgress" } },
      actions: [move("PROJ-2", "readyForTest", "approved"), link("PROJ-2")],
    },
    {
      name: "reference keys are only linked",
      event: event({ branch: "PROJ-1-login", body: "Part of OPS-5, refs OPS-6" }),
      config: { statuses: EVERY_STATUS },
      actions: [
        move("PROJ-1", "status-opened", "opened"),
        link("PROJ-1"),
        link("OPS-5"),
        link("OPS-6"),
      ],
    },
    {
      name: "no status configured for the trigger: linked and skipped with a reason",
      event: event({ trigger: "approved", branch: "PROJ-1-login", body: "refs OPS-2" }),
      config: { statuses: { merged: "done" } },
      actions: [link("PROJ-1"), link("OPS-2")],
      skipped: [{ key: "PROJ-1", reason: 'no status configured for "approved"' }],
    },
    {
      name: "no statuses at all",
      event: event({ trigger: "merged", title: "PROJ-3: speed up" }),
      config: {},
      actions: [link("PROJ-3", "PROJ-3: speed up")],
      skipped: [{ key: "PROJ-3", reason: 'no status configured for "merged"' }],
    },
    {
      name: "protect is carried on every move",
      event: event({ trigger: "closed", branch: "PROJ-1-x", title: "PROJ-2 too" }),
      config: { statuses: { closed: "needsImprovement" }, protect: ["closed", "Done"] },
      actions: [
        move("PROJ-1", "needsImprovement", "closed", ["closed", "Done"]),
        link("PROJ-1", "PROJ-2 too"),
        move("PROJ-2", "needsImprovement", "closed", ["closed", "Done"]),
        link("PROJ-2", "PROJ-2 too"),
      ],
    },
    {
      name: "keys in order branch, title, body, comments, commits",
      event: event({
        branch: "AA-1-x",
        title: "BB-2",
        body: "CC-3",
        comments: ["DD-4"],
        commits: ["EE-5 commit"],
      }),
      config: { statuses: { opened: "s" } },
      actions: ["AA-1", "BB-2", "CC-3", "DD-4", "EE-5"].flatMap((key) => [
        move(key, "s", "opened"),
        link(key, "BB-2"),
      ]),
    },
    {
      name: "a key repeated in several sources is planned once",
      event: event({ branch: "PROJ-1-x", title: "PROJ-1: x", body: "PROJ-1", commits: ["PROJ-1"] }),
      config: { statuses: { opened: "s" } },
      actions: [move("PROJ-1", "s", "opened"), link("PROJ-1", "PROJ-1: x")],
    },
    {
      name: "a key that is moving anywhere is moving",
      event: event({ body: "refs PROJ-1", commits: ["PROJ-1 finish"] }),
      config: { statuses: { opened: "s" } },
      actions: [move("PROJ-1", "s", "opened"), link("PROJ-1")],
    },
    {
      name: "the allow-list keeps only listed projects",
      event: event({ branch: "PROJ-1-utf", title: "OPS-2 and UTF-8 and ABC-3" }),
      config: { keys: { projects: ["PROJ", "ops"] }, statuses: { opened: "s" } },
      actions: [
        move("PROJ-1", "s", "opened"),
        link("PROJ-1", "OPS-2 and UTF-8 and ABC-3"),
        move("OPS-2", "s", "opened"),
        link("OPS-2", "OPS-2 and UTF-8 and ABC-3"),
      ],
    },
    {
      name: "without an allow-list the deny-list drops UTF-8 and SHA-256",
      event: event({ title: "Use UTF-8 and SHA-256 for ABC-3" }),
      config: { statuses: { opened: "s" } },
      actions: [move("ABC-3", "s", "opened"), link("ABC-3", "Use UTF-8 and SHA-256 for ABC-3")],
    },
    {
      name: "keys.deny extends the deny-list",
      event: event({ title: "GPT-4 for ABC-3" }),
      config: { keys: { deny: ["GPT"] }, statuses: { opened: "s" } },
      actions: [move("ABC-3", "s", "opened"), link("ABC-3", "GPT-4 for ABC-3")],
    },
    {
      name: "keys.from limits the sources read",
      event: event({ branch: "PROJ-1-x", title: "PROJ-2", body: "PROJ-3", commits: ["PROJ-4"] }),
      config: { keys: { from: ["title", "commits"] }, statuses: { opened: "s" } },
      actions: [
        move("PROJ-2", "s", "opened"),
        link("PROJ-2", "PROJ-2"),
        move("PROJ-4", "s", "opened"),
        link("PROJ-4", "PROJ-2"),
      ],
    },
    {
      name: "keys.ignore_case accepts lower-case keys in text",
      event: event({ title: "fix proj-9" }),
      config: { keys: { ignore_case: true, projects: ["PROJ"] }, statuses: { opened: "s" } },
      actions: [move("PROJ-9", "s", "opened"), link("PROJ-9", "fix proj-9")],
    },
    {
      name: "without ignore_case lower-case keys in text are not keys",
      event: event({ title: "fix proj-9" }),
      config: { keys: { projects: ["PROJ"] }, statuses: { opened: "s" } },
      actions: [],
    },
  ];

  it.each(cases)("$name", ({ event: given, config: raw, actions, skipped = [] }) => {
    const plan = planPullRequest(given, config(raw));
    expect(plan.actions).toEqual(actions);
    expect(plan.skipped).toEqual(skipped);
    expect(plan.notes).toEqual([]);
  });

  it("returns the extractor's keys with their roles and sources", () => {
    const plan = planPullRequest(
      event({ branch: "PROJ-1-x", body: "see OPS-2" }),
      config({ statuses: { opened: "s" } }),
    );
    expect(plan.keys).toEqual([
      { key: "PROJ-1", role: "moving", source: "branch" },
      { key: "OPS-2", role: "reference", source: "body" },
    ]);
  });

  it("passes the extractor's cap notes on", () => {
    const plan = planPullRequest(
      event({ body: `${"x ".repeat(40_000)} PROJ-1` }),
      config({ statuses: { opened: "s" } }),
    );
    expect(plan.notes).toHaveLength(1);
    expect(plan.notes[0]).toMatch(/^body: read the first \d+ of 80007 characters$/);
    expect(plan.actions).toEqual([]);
  });

  it("does not share the config's protect array with the plan", () => {
    const repoConfig = config({ statuses: { opened: "s" }, protect: ["closed"] });
    const plan = planPullRequest(event({ branch: "PROJ-1-x" }), repoConfig);
    const first = plan.actions[0];
    if (first?.kind !== "move") throw new Error("expected a move first");
    first.protect.push("mutated");
    expect(repoConfig.protect).toEqual(["closed"]);
  });
});

describe("planPullRequest: keys.max and the rules a move carries", () => {
  it("moves and links only the first keys.max issues and says how many were left out", () => {
    const body = Array.from({ length: 60 }, (_, i) => `PROJ-${i + 1}`).join(" ");
    const plan = planPullRequest(event({ body }), config({ statuses: { opened: "s" } }));
    const moved = plan.actions.filter((a) => a.kind === "move").map((a) => a.key);
    expect(moved).toHaveLength(50);
    expect(moved[0]).toBe("PROJ-1");
    expect(moved.at(-1)).toBe("PROJ-50");
    expect(plan.actions.filter((a) => a.kind === "link")).toHaveLength(50);
    expect(plan.keys.map((k) => k.key)).not.toContain("PROJ-51");
    expect(plan.notes).toContain(
      "10 issue keys left out: this pull request names 60 issues and keys.max is 50, so only the first 50 are moved and linked",
    );
  });
  it("keys.max is configurable", () => {
    const plan = planPullRequest(
      event({ body: "PROJ-1 PROJ-2 PROJ-3" }),
      config({ keys: { max: 2 }, statuses: { opened: "s" } }),
    );
    expect(plan.actions.map((a) => a.key)).toEqual(["PROJ-1", "PROJ-1", "PROJ-2", "PROJ-2"]);
    expect(plan.notes[0]).toMatch(/^1 issue key left out/);
  });
  it("a move carries the config's lifecycle, reopen and its route", () => {
    const plan = planPullRequest(
      event({ trigger: "approved", branch: "PROJ-1" }),
      config({
        statuses: { opened: "inProgress", approved: "readyForTest" },
        reopen: true,
        routes: { readyForTest: ["inProgress", "inReview"] },
      }),
    );
    expect(plan.actions[0]).toEqual({
      kind: "move",
      key: "PROJ-1",
      target: "readyForTest",
      trigger: "approved",
      protect: [],
      statuses: { opened: "inProgress", approved: "readyForTest" },
      reopen: true,
      via: ["inProgress", "inReview"],
    });
  });
});
