/**
 * A realistic pull request's life, sent to the real App (in-process testbed) as GitHub would
 * send it: opened, the body edited to add a key, two comments (one adds a key), changes
 * requested, a push that brings a commit naming a new key (`synchronize`), an approval, the
 * merge. Between PRs the config is pushed once (a `push` that touches `.github/trackbridge.yml`).
 * In-process (livePrLife), events are spaced as people space them: the worker drains between
 * events. For a fixed rate (LifeMix), many lives run interleaved, as on a busy installation.
 */
import type {
  GitHubSimulator,
  SimPullRequest,
  SimRepository,
} from "../../src/simulators/github/index.js";
import {
  commentPayload,
  githubNow,
  pullRequestPayload,
  reviewPayload,
} from "../../src/simulators/scenario/payloads.js";
import { INSTALLATION_ID, type Testbed } from "../../src/simulators/scenario/testbed.js";
import type { TrackerSimulator } from "../../src/simulators/shared/admin.js";
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

/** What the App sees of a PR's life at the world's simulators (a Testbed, or the bench's simulators process). */
export interface LifeWorld {
  github: GitHubSimulator;
  tracker: Pick<TrackerSimulator, "hasIssue" | "createIssue">;
  repository: SimRepository;
  owner: string;
  repo: string;
}

export interface LifeStep {
  event: string;
  payload: unknown;
  /** The PR's head commit when the event is sent: its check run carries the event's results. */
  headSha: string;
}

/**
 * The life of PR #n, one event at a time: each step changes the simulators first (the body, a
 * comment, a commit, the merge), then yields the webhook GitHub would send for it. Whoever
 * iterates decides when each goes out: at once and drained (livePrLife), or interleaved with
 * other PRs' lives at a fixed rate (the sustained part).
 */
export function* prLifeSteps(world: LifeWorld, n: number): Generator<LifeStep> {
  const common = {
    repository: world.repository,
    installationId: INSTALLATION_ID,
    sender: SENDER,
  };
  for (const key of keysOfLife(n)) if (!world.tracker.hasIssue(key)) world.tracker.createIssue(key);
  const sha = (step: number) => (n * 16 + step).toString(16).padStart(40, "0");
  const { owner, repo, github } = world;
  let pr: SimPullRequest = github.addPullRequest(owner, repo, {
    number: n,
    title: "Login form",
    body: "Validates the login form.",
    head: { ref: `feature/PROJ-${n}-login`, sha: sha(0) },
    user: "alice",
  });
  github.addCommit(owner, repo, n, { sha: sha(0), message: "validate the login form" });
  pr = github.pullRequest(owner, repo, n); // as GitHub sends it: one commit, no comments
  const step = (event: string, payload: unknown): LifeStep => ({
    event,
    payload,
    headSha: pr.head.sha,
  });

  yield step("pull_request", pullRequestPayload("opened", pr, common));
  const oldBody = pr.body ?? "";
  pr = github.updatePullRequest(owner, repo, n, {
    body: `${oldBody}\n\nAlso fixes PROJ-${n + 100}.`,
  });
  yield step("pull_request", pullRequestPayload("edited", pr, common, { body: { from: oldBody } }));
  for (const body of [`Found the cause: PROJ-${n + 200}`, "Looks fine to me."]) {
    const comment = github.addComment(owner, repo, n, { body, user: "bob" });
    pr = github.pullRequest(owner, repo, n);
    yield step("issue_comment", commentPayload(pr, comment as never, common));
  }
  yield step("pull_request_review", reviewPayload("changes_requested", pr, common, githubNow()));
  const before = pr.head.sha;
  github.addCommit(owner, repo, n, { sha: sha(1), message: `PROJ-${n + 300}: trim input` });
  pr = github.updatePullRequest(owner, repo, n, { head: { ref: pr.head.ref, sha: sha(1) } });
  yield step("pull_request", {
    ...pullRequestPayload("synchronize", pr, common),
    before,
    after: sha(1),
  });
  yield step("pull_request_review", reviewPayload("approved", pr, common, githubNow()));
  pr = github.updatePullRequest(owner, repo, n, { state: "closed", merged: true });
  yield step("pull_request", pullRequestPayload("closed", pr, common));
}

/** Events of one life: each delivered to the in-process App, which drains before the next. */
export async function livePrLife(bed: Testbed, n: number, counts: LifeCounts): Promise<void> {
  for (const { event, payload } of prLifeSteps(bed, n)) {
    counts.prEvents++;
    await deliver(bed, event, payload);
  }
}

/** Events in one life (prLifeSteps): opened … merged. */
export const EVENTS_PER_LIFE = 8;

/**
 * Many lives at once: `next(count)` takes one event from each of `active` open lives in turn,
 * starting PR #firstPr, #firstPr+1, … as earlier lives end, so at rate r one PR's events are
 * about active/r seconds apart. A life's keys are PROJ-n … PROJ-n+300, so PR numbers are
 * taken from `base` (a multiple of 400) only where n mod 400 is 1–99: no two lives share an issue.
 *
 * Lives opened all at once move in step: every PR opens in the first round, and every PR is
 * approved and merged in the last two, each of those moving four issues. `prime()` opens them
 * at every stage of a life instead, as on an installation that has been busy for a while.
 */
export class LifeMix {
  readonly #lives: Array<{ pr: number; steps: Generator<LifeStep> }> = [];
  #turn = 0;
  /** Lives started so far. */
  started = 0;

  constructor(
    readonly world: LifeWorld,
    readonly active: number,
    readonly base: number,
  ) {
    if (base % 400 !== 0) throw new Error(`LifeMix base ${base} is not a multiple of 400`);
  }

  /**
   * Opens every life, the i-th of n already ⌊i·8/n⌋ events into its life, and returns those
   * earlier events (to send and drain before measuring): from then on, each round of `next`
   * holds every stage of a life in the same share, and so does every second at a fixed rate.
   */
  prime(): Array<LifeStep & { pr: number }> {
    if (this.started > 0) throw new Error("prime() opens the first lives: call it first");
    const out: Array<LifeStep & { pr: number }> = [];
    this.#open();
    for (const [i, life] of this.#lives.entries()) {
      const done = Math.floor((i * EVENTS_PER_LIFE) / this.active);
      for (let step = 0; step < done; step++) {
        const next = life.steps.next();
        if (next.done) throw new Error(`a life has fewer than ${EVENTS_PER_LIFE} events`);
        out.push({ ...next.value, pr: life.pr });
      }
    }
    return out;
  }

  next(count: number): Array<LifeStep & { pr: number }> {
    const out: Array<LifeStep & { pr: number }> = [];
    while (out.length < count) {
      this.#open();
      this.#turn %= this.#lives.length;
      const life = this.#lives[this.#turn]!;
      const step = life.steps.next();
      if (step.done) {
        this.#lives.splice(this.#turn, 1);
        continue;
      }
      out.push({ ...step.value, pr: life.pr });
      this.#turn++;
    }
    return out;
  }

  /** Starts lives until `active` are open. */
  #open(): void {
    while (this.#lives.length < this.active) {
      const k = this.started++;
      const pr = this.base + Math.floor(k / 99) * 400 + (k % 99) + 1;
      this.#lives.push({ pr, steps: prLifeSteps(this.world, pr) });
    }
  }
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
