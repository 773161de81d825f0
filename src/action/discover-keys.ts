/**
 * Which branch (and PR title) the running workflow deploys, read from the event payload and
 * the runner's variables, and the issue keys found in them by the core extractor — the same
 * rules the App uses. Pure: the caller reads the payload file and the environment.
 */

import { z } from "zod";
import { extractKeys, type KeyOptions } from "../core/extract-keys.js";
import { branchName } from "../core/plan-deployment.js";

/** The runner variables that name the ref being built (read in `runner-env.ts`). */
export interface RunnerRefs {
  /** GITHUB_EVENT_NAME */
  eventName: string;
  /** GITHUB_HEAD_REF: the PR's source branch, set on pull-request events only. */
  headRef: string | undefined;
  /** GITHUB_REF_NAME: the branch or tag that triggered the run. */
  refName: string | undefined;
  /** GITHUB_SHA */
  sha: string | undefined;
}

/** What is being deployed, as far as keys and the comment template are concerned. */
export interface DeployTarget {
  branch: string | undefined;
  /** Where `branch` came from, so a "no key found" message can say what was read. */
  branchFrom: string;
  /** The PR title, on pull-request events. */
  title: string | undefined;
  sha: string | undefined;
}

const PULL_REQUEST_EVENTS = new Set([
  "pull_request",
  "pull_request_target",
  "pull_request_review",
  "pull_request_review_comment",
]);
const DEPLOYMENT_EVENTS = new Set(["deployment", "deployment_status"]);

// Only the fields read here; anything else in the payload is ignored.
const PullRequestPayload = z.object({
  pull_request: z.object({
    title: z.string(),
    head: z.object({ ref: z.string(), sha: z.string() }),
  }),
});
const DeploymentPayload = z.object({
  deployment: z.object({ ref: z.string(), sha: z.string() }),
});
const WorkflowRunPayload = z.object({
  workflow_run: z.object({ head_branch: z.string().nullable(), head_sha: z.string() }),
});

const COMMIT_SHA = /^[0-9a-f]{40}$/i;

/**
 * Picks the deployed branch: the PR's head branch on pull-request events, the deployment's
 * ref on deployment events, `workflow_run.head_branch` on workflow_run events, otherwise
 * GITHUB_REF_NAME (GITHUB_REF_NAME on a PR event would be "7/merge", hence the cases).
 *
 * @example
 * describeDeployTarget({ eventName: "deployment", ... }, { deployment: { ref: "PROJ-1-x", sha } })
 * // { branch: "PROJ-1-x", branchFrom: "deployment.ref", title: undefined, sha }
 */
export function describeDeployTarget(refs: RunnerRefs, payload: unknown): DeployTarget {
  if (PULL_REQUEST_EVENTS.has(refs.eventName)) {
    const parsed = PullRequestPayload.safeParse(payload);
    const pr = parsed.success ? parsed.data.pull_request : undefined;
    const branch = nonEmpty(refs.headRef) ?? pr?.head.ref;
    return {
      branch,
      branchFrom: nonEmpty(refs.headRef) ? "GITHUB_HEAD_REF" : "pull_request.head.ref",
      title: pr?.title,
      sha: pr?.head.sha ?? refs.sha,
    };
  }
  if (DEPLOYMENT_EVENTS.has(refs.eventName)) {
    const parsed = DeploymentPayload.safeParse(payload);
    if (parsed.success) {
      const { ref, sha } = parsed.data.deployment;
      // A deployment of a bare commit names no branch, so there is nothing to read a key from.
      const branch = COMMIT_SHA.test(ref) ? undefined : branchName(ref);
      return { branch, branchFrom: "deployment.ref", title: undefined, sha };
    }
  }
  if (refs.eventName === "workflow_run") {
    const parsed = WorkflowRunPayload.safeParse(payload);
    if (parsed.success) {
      const run = parsed.data.workflow_run;
      return {
        branch: run.head_branch ?? undefined,
        branchFrom: "workflow_run.head_branch",
        title: undefined,
        sha: run.head_sha,
      };
    }
  }
  return {
    branch: nonEmpty(refs.refName),
    branchFrom: "GITHUB_REF_NAME",
    title: undefined,
    sha: refs.sha,
  };
}

export interface DiscoveredKeys {
  /** Keys the work is for: the ones that get the field, the move and the comment. */
  keys: string[];
  /** Keys only referenced ("refs PROJ-2"): reported, not updated. */
  referenced: string[];
  /**
   * Keys of `keys` read from the branch name and not from the PR title. For a GitHub project
   * that is a bare number (`2024-release` reads as #2024), so the caller confirms the issue
   * is on the project before writing to it.
   */
  fromBranchOnly: string[];
  notes: string[];
}

/**
 * Finds issue keys in the deployed branch and the PR title.
 *
 * @example
 * discoverKeys({ branch: "feature/PROJ-123-login", ... }, { projects: ["PROJ"] })
 * // { keys: ["PROJ-123"], referenced: [], fromBranchOnly: ["PROJ-123"], notes: [] }
 */
export function discoverKeys(
  target: DeployTarget,
  options: Pick<KeyOptions, "numeric" | "style"> & { projects?: string[] | undefined },
): DiscoveredKeys {
  const keyOptions: KeyOptions = {
    ...(options.projects !== undefined ? { projects: options.projects } : {}),
    ...(options.numeric ? { numeric: options.numeric } : {}),
    ...(options.style ? { style: options.style } : {}),
  };
  const { keys: found, notes } = extractKeys(
    {
      ...(target.branch !== undefined ? { branch: target.branch } : {}),
      ...(target.title !== undefined ? { title: target.title } : {}),
    },
    keyOptions,
  );
  const moving = unique(found.filter((key) => key.role === "moving").map((key) => key.key));
  const referenced = unique(found.map((key) => key.key)).filter((key) => !moving.includes(key));
  // A key in both is recorded with its first source, the branch: the title is read alone.
  const inTitle = new Set(
    target.title === undefined
      ? []
      : extractKeys({ title: target.title }, { ...keyOptions, from: ["title"] }).keys.map(
          (key) => key.key,
        ),
  );
  const fromBranchOnly = moving.filter(
    (key) => !inTitle.has(key) && found.some((f) => f.key === key && f.source === "branch"),
  );
  return { keys: moving, referenced, fromBranchOnly, notes: [...notes] };
}

/** Says what was read, so the person can fix the branch name or pass `issue-key`. */
export function describeMissingKey(
  target: DeployTarget,
  projects: string[] | undefined,
  github = false,
): string {
  const read: string[] = [];
  if (target.branch !== undefined) read.push(`branch "${target.branch}" (${target.branchFrom})`);
  if (target.title !== undefined) read.push(`PR title "${target.title}"`);
  const allowed = projects !== undefined ? ` of project ${projects.join(", ")}` : "";
  const where =
    read.length > 0 ? ` in ${read.join(" or ")}` : `: ${target.branchFrom} names no branch`;
  const example = github
    ? "12-login, as GitHub names a branch made from issue #12"
    : "feature/PROJ-123-login";
  return `No issue key${allowed} found${where}. Name the branch after the issue (e.g. ${example}) or pass the key with the issue-key input.`;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
