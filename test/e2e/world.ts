/** Small conveniences over the testbed for end-to-end tests: seed a PR, send an event, wait. */
import { createHmac } from "node:crypto";
import { type SimPullRequest, type SimUser, userJson } from "../../src/simulators/github/index.js";
import {
  commentPayload,
  createPayload,
  deploymentStatusPayload,
  githubNow,
  pullRequestPayload,
  pushPayload,
  releasePayload,
  reviewPayload,
} from "../../src/simulators/scenario/payloads.js";
import { INSTALLATION_ID, type Testbed } from "../../src/simulators/scenario/testbed.js";

export function user(login: string, type: SimUser["type"] = "User"): SimUser {
  return userJson(login, type);
}

export function common(bed: Testbed, login = "alice", type: SimUser["type"] = "User") {
  return { repository: bed.repository, installationId: INSTALLATION_ID, sender: user(login, type) };
}

let shaCounter = 0;
export function sha(): string {
  shaCounter += 1;
  return shaCounter.toString(16).padStart(40, "0");
}

export function openPr(
  bed: Testbed,
  input: {
    number: number;
    branch: string;
    title: string;
    body?: string;
    draft?: boolean;
    commits?: string[];
    /** Who opened it (default alice). */
    author?: string;
  },
): SimPullRequest {
  const head = sha();
  const pr = bed.github.addPullRequest(bed.owner, bed.repo, {
    number: input.number,
    title: input.title,
    body: input.body ?? "",
    head: { ref: input.branch, sha: head },
    user: input.author ?? "alice",
    draft: input.draft ?? false,
  });
  for (const message of input.commits ?? []) {
    bed.github.addCommit(bed.owner, bed.repo, input.number, { sha: sha(), message });
  }
  // As GitHub sends it: with the commit count the PR has now.
  return input.commits ? bed.github.pullRequest(bed.owner, bed.repo, input.number) : pr;
}

/** Sends a webhook the way GitHub does (signed, recorded in the delivery log) and waits for the App to finish. */
export async function send(bed: Testbed, event: string, payload: unknown): Promise<void> {
  const result = await bed.github.deliver({ event, payload });
  if (result.status_code >= 300)
    throw new Error(`App answered ${result.status_code}: ${result.responseBody}`);
  await bed.server!.worker.drain();
}

export async function prEvent(bed: Testbed, action: string, pr: SimPullRequest, login = "alice") {
  await send(bed, "pull_request", pullRequestPayload(action, pr, common(bed, login)));
}

export async function review(
  bed: Testbed,
  state: "approved" | "changes_requested" | "commented",
  pr: SimPullRequest,
  login = "bob",
  type: SimUser["type"] = "User",
) {
  await send(
    bed,
    "pull_request_review",
    reviewPayload(state, pr, common(bed, login, type), githubNow()),
  );
}

export async function merge(
  bed: Testbed,
  number: number,
  login = "alice",
  type: SimUser["type"] = "User",
) {
  const at = githubNow();
  const pr = bed.github.updatePullRequest(bed.owner, bed.repo, number, {
    state: "closed",
    merged: true,
    mergedAt: at,
    closedAt: at,
  });
  await send(bed, "pull_request", pullRequestPayload("closed", pr, common(bed, login, type)));
  return pr;
}

export async function comment(bed: Testbed, pr: SimPullRequest, body: string, login = "dave") {
  const created = bed.github.addComment(bed.owner, bed.repo, pr.number, { body, user: login });
  await send(
    bed,
    "issue_comment",
    commentPayload(
      pr,
      { id: created.id, body, created_at: created.created_at, user: user(login) },
      common(bed, login),
    ),
  );
}

export async function deployed(
  bed: Testbed,
  input: { ref: string; sha: string; url: string; environment?: string },
) {
  await send(
    bed,
    "deployment_status",
    deploymentStatusPayload(
      { ...input, environment: input.environment ?? "bench", at: githubNow() },
      common(bed, "deploy-bot", "Bot"),
    ),
  );
}

export function status(bed: Testbed, key: string): string {
  return bed.tracker.getIssue(key).status.display;
}

export function latestCheckRun(bed: Testbed) {
  const run = bed.github
    .checkRuns(bed.owner, bed.repo)
    .filter((r) => r.name === "trackbridge")
    .at(-1);
  if (!run) throw new Error("no check run was written");
  return run;
}

/** Posts to the App's tracker webhook endpoint as the tracker would; the App's answer. */
export async function trackerWebhook(
  bed: Testbed,
  input: { connection?: string; body: string; headers?: Record<string, string> },
): Promise<{ status: number; body: Record<string, unknown> }> {
  const connection = input.connection ?? bed.config.connections[0]!.name;
  const response = await fetch(`${bed.server!.url}/api/trackers/${connection}/webhooks`, {
    method: "POST",
    headers: { "content-type": "application/json", ...input.headers },
    body: input.body,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Jira admin webhooks sign the raw body: `X-Hub-Signature: sha256=<hex>`. */
export function jiraSignature(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/** A `jira:issue_updated` body for a status change, as Jira's admin webhooks send it. */
export function jiraStatusChange(key: string, from: string, to: string): string {
  return JSON.stringify({
    timestamp: Date.now(),
    webhookEvent: "jira:issue_updated",
    issue_event_type_name: "issue_generic",
    issue: { id: "10001", key, fields: { status: { name: to } } },
    user: { accountId: "qa-1", displayName: "QA" },
    changelog: {
      id: "1",
      items: [{ field: "status", fieldtype: "jira", fromString: from, toString: to }],
    },
  });
}

/** The newest check run of one name on a commit. */
export function checkRunNamed(bed: Testbed, name: string, headSha: string) {
  return bed.github
    .checkRuns(bed.owner, bed.repo)
    .filter((run) => run.name === name && run.head_sha === headSha)
    .at(-1);
}

/** Repo configs with a merge gate on "Ready for test" (Jira names statuses by display name). */
export const GATED_CONFIGS = {
  yandex: `keys: { projects: [PROJ] }
statuses: { opened: inProgress }
merge_gate: { statuses: [readyForTest] }
`,
  jira: `keys: { projects: [PROJ] }
statuses: { opened: In progress }
merge_gate: { statuses: [Ready for test] }
`,
} as const;
/** The gate's status as each tracker simulator takes it. */
export const READY = { yandex: "readyForTest", jira: "Ready for test" } as const;
/** A deployment GitHub records (so the App finds it when it asks), then its success status. */
export async function deployedTo(
  bed: Testbed,
  input: { ref: string; sha: string; url: string; environment: string },
) {
  const deployment = bed.github.addDeployment(bed.owner, bed.repo, input);
  await send(
    bed,
    "deployment_status",
    deploymentStatusPayload(
      { ...input, at: githubNow(), deploymentId: deployment.id },
      common(bed, "deploy-bot", "Bot"),
    ),
  );
}

/** A branch created on GitHub (pointing at the default branch's head) and its `create` event. */
export async function branchCreated(bed: Testbed, branch: string) {
  bed.github.createBranch(bed.owner, bed.repo, branch);
  await send(bed, "create", createPayload(branch, common(bed)));
}

/** Commits pushed to `branch`, and the `push` event. */
export async function pushed(
  bed: Testbed,
  branch: string,
  commits: Array<{ message: string; added?: string[]; modified?: string[] }>,
  options: { created?: boolean } = {},
) {
  const withShas = commits.map((c) => ({ ...c, sha: sha() }));
  const before = options.created ? "0".repeat(40) : sha();
  const after = bed.github.pushCommits(bed.owner, bed.repo, branch, withShas);
  await send(
    bed,
    "push",
    pushPayload(
      { branch, before, after, created: options.created ?? false, commits: withShas },
      common(bed),
    ),
  );
  return after;
}

/** Tags the default branch's head, publishes a release, and sends `release.published`. */
export async function released(bed: Testbed, tag: string, options: { prerelease?: boolean } = {}) {
  const release = bed.github.publishRelease(bed.owner, bed.repo, { tag, ...options });
  await send(bed, "release", releasePayload(release, common(bed)));
}
