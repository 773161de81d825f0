/**
 * A realistic pull request's life, sent to the real App (in-process testbed) as GitHub would
 * send it: opened, the body edited to add a key, two comments (one adds a key), changes
 * requested, a push that brings a commit naming a new key (`synchronize`), an approval, the
 * merge. Between PRs the config is pushed once (a `push` that touches `.github/trackbridge.yml`).
 * Events are spaced as people space them: the worker drains between events.
 */
import type { SimPullRequest } from "../../src/simulators/github/index.js";
import {
  commentPayload,
  githubNow,
  pullRequestPayload,
  reviewPayload,
} from "../../src/simulators/scenario/payloads.js";
import { INSTALLATION_ID, type Testbed } from "../../src/simulators/scenario/testbed.js";
import { SENDER } from "./sender.js";

export interface LifeCounts {
  /** Events about pull requests (the denominator). */
  prEvents: number;
  /** Push events (handled without a GitHub request; not in the denominator). */
  pushEvents: number;
}

/** Every key the lives plant, so the bench can check the work really happened. */
export function keysOfLife(n: number): string[] {
  return [`PROJ-${n}`, `PROJ-${n + 100}`, `PROJ-${n + 200}`, `PROJ-${n + 300}`];
}

export async function livePrLife(bed: Testbed, n: number, counts: LifeCounts): Promise<void> {
  const common = { repository: bed.repository, installationId: INSTALLATION_ID, sender: SENDER };
  for (const key of keysOfLife(n)) if (!bed.tracker.hasIssue(key)) bed.tracker.createIssue(key);
  const sha = (step: number) => (n * 16 + step).toString(16).padStart(40, "0");
  const { owner, repo } = bed;
  let pr: SimPullRequest = bed.github.addPullRequest(owner, repo, {
    number: n,
    title: "Login form",
    body: "Validates the login form.",
    head: { ref: `feature/PROJ-${n}-login`, sha: sha(0) },
    user: "alice",
  });
  bed.github.addCommit(owner, repo, n, { sha: sha(0), message: "validate the login form" });
  pr = bed.github.pullRequest(owner, repo, n); // as GitHub sends it: one commit, no comments
  const send = async (event: string, payload: unknown) => {
    counts.prEvents++;
    await deliver(bed, event, payload);
  };

  await send("pull_request", pullRequestPayload("opened", pr, common));
  const oldBody = pr.body ?? "";
  pr = bed.github.updatePullRequest(owner, repo, n, {
    body: `${oldBody}\n\nAlso fixes PROJ-${n + 100}.`,
  });
  await send("pull_request", pullRequestPayload("edited", pr, common, { body: { from: oldBody } }));
  for (const body of [`Found the cause: PROJ-${n + 200}`, "Looks fine to me."]) {
    const comment = bed.github.addComment(owner, repo, n, { body, user: "bob" });
    pr = bed.github.pullRequest(owner, repo, n);
    await send("issue_comment", commentPayload(pr, comment as never, common));
  }
  await send("pull_request_review", reviewPayload("changes_requested", pr, common, githubNow()));
  const before = pr.head.sha;
  bed.github.addCommit(owner, repo, n, { sha: sha(1), message: `PROJ-${n + 300}: trim input` });
  pr = bed.github.updatePullRequest(owner, repo, n, { head: { ref: pr.head.ref, sha: sha(1) } });
  await send("pull_request", {
    ...pullRequestPayload("synchronize", pr, common),
    before,
    after: sha(1),
  });
  await send("pull_request_review", reviewPayload("approved", pr, common, githubNow()));
  pr = bed.github.updatePullRequest(owner, repo, n, { state: "closed", merged: true });
  await send("pull_request", pullRequestPayload("closed", pr, common));
}

/** A push to the default branch that changes the config (the App may or may not subscribe). */
export async function pushConfig(bed: Testbed, text: string, counts: LifeCounts): Promise<void> {
  bed.github.setFile(bed.owner, bed.repo, ".github/trackbridge.yml", text);
  counts.pushEvents++;
  await deliver(bed, "push", {
    ref: "refs/heads/main",
    before: "0".repeat(40),
    after: "f".repeat(40),
    commits: [
      { id: "f".repeat(40), added: [], removed: [], modified: [".github/trackbridge.yml"] },
    ],
    head_commit: {
      id: "f".repeat(40),
      added: [],
      removed: [],
      modified: [".github/trackbridge.yml"],
    },
    repository: { ...bed.repository, default_branch: "main" },
    installation: { id: INSTALLATION_ID },
    sender: SENDER,
  });
}

async function deliver(bed: Testbed, event: string, payload: unknown): Promise<void> {
  const result = await bed.github.deliver({ event, payload });
  if (result.status_code >= 300)
    throw new Error(`App answered ${result.status_code}: ${result.responseBody}`);
  await bed.server!.worker.drain();
}
