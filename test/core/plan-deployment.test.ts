import { describe, expect, it } from "vitest";
import { planDeployment } from "../../src/core/plan-deployment.js";
import { parseRepoConfig, type RepoConfig } from "../../src/core/repo-config.js";
import type { DeploymentEvent, PlannedAction } from "../../src/core/types.js";

function config(raw: unknown): RepoConfig {
  const result = parseRepoConfig(raw);
  if (!result.ok) throw new Error(result.error);
  return result.config;
}

function deployment(overrides: Partial<DeploymentEvent>): DeploymentEvent {
  return {
    repo: { owner: "acme", name: "web" },
    ref: "main",
    sha: "0123456789abcdef0123456789abcdef01234567",
    environment: "bench-7",
    url: "https://pr-7.bench.example",
    headCommitMessage: "Merge branch",
    at: "2025-01-01T00:00:00Z",
    ...overrides,
  };
}

const setBench = (key: string, value = "https://pr-7.bench.example"): PlannedAction => ({
  kind: "set_field",
  key,
  field: "benchLink",
  value,
});

const BENCH = { bench: { field: "benchLink" } };

describe("planDeployment", () => {
  const cases: Array<{
    name: string;
    event: DeploymentEvent;
    config: unknown;
    actions: PlannedAction[];
    skipped?: Array<{ key: string; reason: string }>;
    notes?: string[];
  }> = [
    {
      name: "key in the ref (a branch name, any case)",
      event: deployment({ ref: "feature/proj-12-login" }),
      config: BENCH,
      actions: [setBench("PROJ-12")],
    },
    {
      name: "a full ref is read as its branch name",
      event: deployment({ ref: "refs/heads/PROJ-12-login" }),
      config: BENCH,
      actions: [setBench("PROJ-12")],
    },
    {
      name: "key in the head commit message",
      event: deployment({ ref: "main", headCommitMessage: "PROJ-3: faster search (#40)" }),
      config: BENCH,
      actions: [setBench("PROJ-3")],
    },
    {
      name: "ref and commit message together, de-duplicated, ref first",
      event: deployment({ ref: "PROJ-1-x", headCommitMessage: "OPS-2 and PROJ-1" }),
      config: BENCH,
      actions: [setBench("PROJ-1"), setBench("OPS-2")],
    },
    {
      name: "referenced keys get no bench URL",
      event: deployment({ ref: "PROJ-1-x", headCommitMessage: "Login, part of OPS-9" }),
      config: BENCH,
      actions: [setBench("PROJ-1")],
      skipped: [{ key: "OPS-9", reason: "only referenced; the bench URL goes to the moving keys" }],
    },
    {
      name: "the allow-list applies",
      event: deployment({ ref: "PROJ-1-x", headCommitMessage: "ABC-2" }),
      config: { ...BENCH, keys: { projects: ["PROJ"] } },
      actions: [setBench("PROJ-1")],
    },
    {
      name: "no keys: nothing to do",
      event: deployment({ ref: "main", headCommitMessage: "Bump UTF-8 handling" }),
      config: BENCH,
      actions: [],
    },
    {
      name: "bench.field not set: no actions, every key skipped, a note",
      event: deployment({ ref: "PROJ-1-x", headCommitMessage: "OPS-2" }),
      config: {},
      actions: [],
      skipped: [
        { key: "PROJ-1", reason: "`bench.field` is not set" },
        { key: "OPS-2", reason: "`bench.field` is not set" },
      ],
      notes: ["`bench.field` is not set in the repository config, so no bench URL is written"],
    },
    {
      name: "bench.field not set and no keys: still the note",
      event: deployment({ ref: "main" }),
      config: {},
      actions: [],
      notes: ["`bench.field` is not set in the repository config, so no bench URL is written"],
    },
    {
      name: "no environment URL",
      event: deployment({ ref: "PROJ-1-x", url: "" }),
      config: BENCH,
      actions: [],
      skipped: [{ key: "PROJ-1", reason: "the deployment has no environment URL" }],
      notes: ["the deployment has no environment URL"],
    },
  ];

  it.each(cases)("$name", ({ event, config: raw, actions, skipped = [], notes = [] }) => {
    const plan = planDeployment(event, config(raw));
    expect(plan.actions).toEqual(actions);
    expect(plan.skipped).toEqual(skipped);
    expect(plan.notes).toEqual(notes);
  });

  it("returns the keys it found", () => {
    const plan = planDeployment(
      deployment({ ref: "PROJ-1-x", headCommitMessage: "refs OPS-2" }),
      config(BENCH),
    );
    expect(plan.keys).toEqual([
      { key: "PROJ-1", role: "moving", source: "branch" },
      { key: "OPS-2", role: "reference", source: "commits" },
    ]);
  });
});
