import { describe, expect, it } from "vitest";
import {
  type DeployTarget,
  describeDeployTarget,
  describeMissingKey,
  discoverKeys,
  type RunnerRefs,
} from "../../src/action/discover-keys.js";
import { example } from "./helpers/payloads.js";

const refs = (overrides: Partial<RunnerRefs>): RunnerRefs => ({
  eventName: "push",
  headRef: undefined,
  refName: undefined,
  sha: "0000000000000000000000000000000000000001",
  ...overrides,
});

function pullRequest(branch: string, title: string) {
  const payload = example("pull_request", "opened");
  const pr = payload.pull_request as { head: { ref: string; sha: string }; title: string };
  pr.head.ref = branch;
  pr.title = title;
  return { payload, headSha: pr.head.sha };
}

describe("describeDeployTarget", () => {
  it("reads the PR's head branch from GITHUB_HEAD_REF and the title from the payload", () => {
    const { payload, headSha } = pullRequest("feature/PROJ-123-login", "Login page");
    const target = describeDeployTarget(
      refs({ eventName: "pull_request", headRef: "feature/PROJ-123-login", refName: "7/merge" }),
      payload,
    );
    expect(target).toEqual({
      branch: "feature/PROJ-123-login",
      branchFrom: "GITHUB_HEAD_REF",
      title: "Login page",
      sha: headSha,
    });
  });

  it("falls back to pull_request.head.ref when GITHUB_HEAD_REF is empty", () => {
    const { payload } = pullRequest("PROJ-5-x", "t");
    expect(describeDeployTarget(refs({ eventName: "pull_request_target" }), payload)).toMatchObject(
      {
        branch: "PROJ-5-x",
        branchFrom: "pull_request.head.ref",
      },
    );
  });

  it.each([
    ["refs/heads/feature/PROJ-9-x", "feature/PROJ-9-x"],
    ["PROJ-9-x", "PROJ-9-x"],
    ["9e1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c", undefined],
  ])("takes the deployment's ref %j as the branch", (ref, branch) => {
    const payload = example("deployment");
    (payload.deployment as { ref: string }).ref = ref;
    const target = describeDeployTarget(
      refs({ eventName: "deployment", refName: "main" }),
      payload,
    );
    expect(target).toMatchObject({
      branch,
      branchFrom: "deployment.ref",
      sha: (payload.deployment as { sha: string }).sha,
    });
  });

  it("reads deployment_status events the same way", () => {
    const payload = example("deployment_status");
    (payload.deployment as { ref: string }).ref = "OPS-4-hotfix";
    expect(describeDeployTarget(refs({ eventName: "deployment_status" }), payload).branch).toBe(
      "OPS-4-hotfix",
    );
  });

  it("takes workflow_run.head_branch on workflow_run events", () => {
    const payload = example("workflow_run", "completed");
    const run = payload.workflow_run as { head_branch: string; head_sha: string };
    run.head_branch = "bugfix/OPS-77";
    expect(
      describeDeployTarget(refs({ eventName: "workflow_run", refName: "main" }), payload),
    ).toEqual({
      branch: "bugfix/OPS-77",
      branchFrom: "workflow_run.head_branch",
      title: undefined,
      sha: run.head_sha,
    });
  });

  it("uses GITHUB_REF_NAME on push and other events", () => {
    expect(
      describeDeployTarget(refs({ eventName: "push", refName: "PROJ-8-fix" }), example("push")),
    ).toEqual({
      branch: "PROJ-8-fix",
      branchFrom: "GITHUB_REF_NAME",
      title: undefined,
      sha: "0000000000000000000000000000000000000001",
    });
    expect(
      describeDeployTarget(refs({ eventName: "workflow_dispatch", refName: "PROJ-8" }), {}).branch,
    ).toBe("PROJ-8");
  });

  it("falls back to GITHUB_REF_NAME when a deployment payload is missing", () => {
    expect(
      describeDeployTarget(refs({ eventName: "deployment", refName: "PROJ-1-y" }), undefined),
    ).toMatchObject({ branch: "PROJ-1-y", branchFrom: "GITHUB_REF_NAME" });
  });
});

describe("discoverKeys", () => {
  const target = (branch: string | undefined, title?: string): DeployTarget => ({
    branch,
    branchFrom: "GITHUB_HEAD_REF",
    title,
    sha: undefined,
  });

  // The last column: keys read from the branch and not the title, which a GitHub project's
  // Action confirms on the project before writing.
  it.each([
    ["feature/PROJ-123-login", undefined, undefined, ["PROJ-123"], [], ["PROJ-123"]],
    ["feature/proj-123-login", undefined, undefined, ["PROJ-123"], [], ["PROJ-123"]],
    ["feature/login", "PROJ-5: login page", undefined, ["PROJ-5"], [], []],
    ["PROJ-1-x", "Login, refs OPS-2", undefined, ["PROJ-1"], ["OPS-2"], ["PROJ-1"]],
    ["PROJ-1-x", "PROJ-1 login", undefined, ["PROJ-1"], [], []],
    ["deps/utf-8-sha-256", undefined, undefined, [], [], []],
    ["OPS-1-and-PROJ-2", undefined, ["PROJ"], ["PROJ-2"], [], ["PROJ-2"]],
    ["main", undefined, undefined, [], [], []],
    [undefined, undefined, undefined, [], [], []],
  ])(
    "branch %j title %j projects %j",
    (branch, title, projects, keys, referenced, fromBranchOnly) => {
      expect(discoverKeys(target(branch, title), { projects })).toEqual({
        keys,
        referenced,
        fromBranchOnly,
        notes: [],
      });
    },
  );

  it.each([
    ["12-login-form", undefined, ["acme/web#12"], ["acme/web#12"]],
    ["feature/12-login-form", "Closes #12", ["acme/web#12"], []],
    ["2024-release", undefined, ["acme/web#2024"], ["acme/web#2024"]],
    ["2024-release", "Release notes for #7", ["acme/web#2024", "acme/web#7"], ["acme/web#2024"]],
  ])("a GitHub project: branch %j title %j", (branch, title, keys, fromBranchOnly) => {
    const style = { kind: "github" as const, repo: "acme/web", branches: true };
    expect(discoverKeys(target(branch, title), { style })).toMatchObject({
      keys,
      fromBranchOnly,
    });
  });
});

describe("describeMissingKey", () => {
  it("says what was read and how to fix it", () => {
    const message = describeMissingKey(
      { branch: "main", branchFrom: "GITHUB_REF_NAME", title: "Login", sha: undefined },
      ["PROJ"],
    );
    expect(message).toBe(
      'No issue key of project PROJ found in branch "main" (GITHUB_REF_NAME) or PR title "Login". Name the branch after the issue (e.g. feature/PROJ-123-login) or pass the key with the issue-key input.',
    );
  });

  it("says when there was nothing to read", () => {
    expect(
      describeMissingKey(
        { branch: undefined, branchFrom: "deployment.ref", title: undefined, sha: undefined },
        undefined,
      ),
    ).toContain("No issue key found: deployment.ref names no branch.");
  });
});
