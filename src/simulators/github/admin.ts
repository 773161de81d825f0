/**
 * What a test does to the simulated GitHub directly, without HTTP: seed repositories,
 * files, pull requests, commits and comments; read back check runs and comments; seed and
 * inspect webhook deliveries. Objects come back in GitHub's JSON shape, so they can go
 * straight into webhook payloads (`pull_request`, `repository`, `installation`).
 */
import type {
  Deliveries,
  DeliveryRecord,
  RecordDeliveryInput,
  WebhookTarget,
} from "./deliveries.js";
import { deploymentJson, releaseJson } from "./history.js";
import { commentJson, commitJson, pullJson } from "./pull-json.js";
import {
  type AddCommentInput,
  type AddCommitInput,
  type AddPullRequestInput,
  addComment,
  addCommit,
  addPullRequest,
  updatePullRequest,
} from "./pulls.js";
import { setFile } from "./repos.js";
import { installationJson, repoJson, type SimInstallation, type SimRepository } from "./shapes.js";
import type { CheckRunState, ReleaseState, ReviewState, SimState } from "./state.js";

export type SimPullRequest = ReturnType<typeof pullJson>;
export type SimCommit = ReturnType<typeof commitJson>;
export type SimComment = ReturnType<typeof commentJson>;

export interface AddRepoInput {
  owner: string;
  name: string;
  /** The installation that can see the repository; created on first use. */
  installationId: number;
  /** "main" by default. */
  defaultBranch?: string;
  private?: boolean;
}

export interface GitHubSimulatorAdmin {
  addRepo(input: AddRepoInput): SimRepository;
  /** The installation object for webhook payloads. */
  installation(id: number): SimInstallation;
  /** Writes a file on the default branch (the only branch the simulator keeps). */
  setFile(owner: string, name: string, path: string, text: string): void;
  addPullRequest(owner: string, name: string, input: AddPullRequestInput): SimPullRequest;
  updatePullRequest(
    owner: string,
    name: string,
    number: number,
    patch: Partial<Omit<AddPullRequestInput, "number">>,
  ): SimPullRequest;
  pullRequest(owner: string, name: string, number: number): SimPullRequest;
  /** Appends a commit to the pull request's commit list (the head sha is not moved). */
  addCommit(owner: string, name: string, prNumber: number, input: AddCommitInput): SimCommit;
  addComment(owner: string, name: string, issueNumber: number, input: AddCommentInput): SimComment;
  /** A collaborator's permission on the repository (admin, maintain, write, triage, read). */
  setPermission(owner: string, name: string, login: string, permission: string): void;
  /** Conversation comments of an issue or PR, oldest first, including the ones the app posted. */
  comments(owner: string, name: string, issueNumber: number): SimComment[];
  /** Every check run of the repository, oldest first, each with its history of creates and updates. */
  checkRuns(owner: string, name: string): CheckRunState[];
  /** Where redeliveries (and `deliver`) send webhooks, and the secret they are signed with. */
  configureWebhooks(target: WebhookTarget): void;
  /** Seeds the delivery log, e.g. a delivery the app missed (statusCode 502). */
  recordDelivery(input: RecordDeliveryInput): DeliveryRecord;
  /** Sends a webhook to the configured URL as GitHub would, and records the delivery's outcome. */
  deliver(input: {
    event: string;
    payload: unknown;
    guid?: string;
  }): Promise<DeliveryRecord & { responseBody: string }>;
  /** The delivery log, newest first. */
  deliveries(): DeliveryRecord[];
  /** Ids of deliveries the app asked to redeliver, in order. */
  readonly deliveryAttempts: readonly number[];
  /** Resolves when redeliveries the app asked for have been sent and recorded. */
  whenIdle(): Promise<void>;
  /** Forgets every installation token, as if all had expired: the next call gets a 401. */
  revokeTokens(): void;
  /**
   * A token of the installation, as the App would mint it: what a workflow gets from
   * actions/create-github-app-token (the demo's and e2e tests' Action on a GitHub project).
   */
  installationToken(installationId: number): string;
  /** The next `count` API requests whose path contains `pathIncludes` answer `status` (GitHub down). */
  injectFaults(fault: { status: number; count: number; pathIncludes?: string }): void;
  clearFaults(): void;
  /** The App's OAuth client: what GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET hold. */
  configureOAuth(client: { clientId: string; clientSecret: string }): void;
  /** A GitHub user who can sign in, with their organizations and roles ("admin": owner). */
  addUser(login: string, orgs?: Record<string, "admin" | "member">): void;
  /** Who approves the next OAuth sign-in (null: nobody is signed in to GitHub). */
  signInAs(login: string | null): void;
  /** The e-mail `login`'s profile shows (null: none made public). */
  setPublicEmail(login: string, email: string | null): void;
  /** Appends commits to the one history and points `branch` at the last; returns its sha. */
  pushCommits(
    owner: string,
    name: string,
    branch: string,
    commits: Array<{ sha: string; message: string }>,
  ): string;
  /** Points a new branch at `sha` (default: the default branch's head). */
  createBranch(owner: string, name: string, branch: string, sha?: string): string;
  /** Tags `sha` (default: the default branch's head) and publishes a release for the tag. */
  publishRelease(
    owner: string,
    name: string,
    input: { tag: string; sha?: string; prerelease?: boolean; draft?: boolean },
  ): ReturnType<typeof releaseJson>;
  /** Records a deployment with one status; returns the deployment's JSON. */
  addDeployment(
    owner: string,
    name: string,
    input: { sha: string; ref: string; environment: string; state?: string; url?: string },
  ): ReturnType<typeof deploymentJson>;
  addReview(
    owner: string,
    name: string,
    prNumber: number,
    input: { user: string; state: ReviewState["state"]; submittedAt?: string },
  ): void;
  /**
   * After `remaining` more repository calls, answer 403 rate-limited for `resetInMs` from the
   * call that used the last one (not from now: however long the App takes to start).
   */
  rateLimit(input: { remaining: number; resetInMs: number }): void;
}

export function createAdmin(
  state: SimState,
  deliveries: Deliveries,
  apiBase: string,
): GitHubSimulatorAdmin {
  const app = () => ({ id: state.options.appId, slug: state.options.appSlug });
  return {
    addRepo: (input) => repoJson(state.addRepo(input), apiBase),
    installation: (id) => {
      const found = state.installations.get(id);
      if (!found) throw new Error(`GitHub simulator: no installation ${id}; addRepo creates one`);
      return installationJson(found, app());
    },
    setFile: (owner, name, path, text) => setFile(state, owner, name, path, text),
    addPullRequest: (owner, name, input) => {
      const repo = state.requireRepo(owner, name);
      return pullJson(repo, addPullRequest(state, repo, input), apiBase);
    },
    updatePullRequest: (owner, name, number, patch) => {
      const pull = state.requirePull(owner, name, number);
      updatePullRequest(state, pull, patch);
      return pullJson(state.requireRepo(owner, name), pull, apiBase);
    },
    pullRequest: (owner, name, number) =>
      pullJson(state.requireRepo(owner, name), state.requirePull(owner, name, number), apiBase),
    addCommit: (owner, name, prNumber, input) => {
      const pull = state.requirePull(owner, name, prNumber);
      addCommit(state, pull, input);
      return commitJson(state.requireRepo(owner, name), pull, pull.commits.length - 1, apiBase);
    },
    addComment: (owner, name, issueNumber, input) => {
      state.requirePull(owner, name, issueNumber);
      const repo = state.requireRepo(owner, name);
      return commentJson(repo, addComment(state, repo, issueNumber, input), apiBase);
    },
    setPermission: (owner, name, login, permission) => {
      state.requireRepo(owner, name).permissions.set(login, permission);
    },
    comments: (owner, name, issueNumber) => {
      const repo = state.requireRepo(owner, name);
      return repo.comments
        .filter((comment) => comment.issueNumber === issueNumber)
        .map((comment) => commentJson(repo, comment, apiBase, app()));
    },
    checkRuns: (owner, name) => structuredClone(state.requireRepo(owner, name).checkRuns),
    configureWebhooks: (target) => deliveries.configure(target),
    recordDelivery: (input) => deliveries.record(input),
    deliver: (input) => deliveries.deliver(input),
    deliveries: () => deliveries.list(),
    deliveryAttempts: deliveries.attempts,
    whenIdle: () => deliveries.whenIdle(),
    revokeTokens: () => state.tokens.clear(),
    installationToken: (installationId) => state.mintInstallationToken(installationId),
    injectFaults: (fault) => {
      state.faults.push({ ...fault });
    },
    clearFaults: () => {
      state.faults.length = 0;
    },
    configureOAuth: (client) => {
      state.oauth.client = { ...client };
    },
    addUser: (login, orgs = {}) => {
      state.oauth.users.set(login.toLowerCase(), new Map(Object.entries(orgs)));
    },
    signInAs: (login) => {
      state.oauth.signedIn = login;
    },
    setPublicEmail: (login, email) => {
      if (email === null) state.publicEmails.delete(login.toLowerCase());
      else state.publicEmails.set(login.toLowerCase(), email);
    },
    pushCommits: (owner, name, branch, commits) => {
      const repo = state.requireRepo(owner, name);
      for (const commit of commits) repo.history.push({ ...commit, date: state.timestamp() });
      const head = repo.history.at(-1)?.sha ?? "";
      repo.branches.set(branch, head);
      return head;
    },
    createBranch: (owner, name, branch, sha) => {
      const repo = state.requireRepo(owner, name);
      const at = sha ?? repo.branches.get(repo.defaultBranch) ?? repo.history.at(-1)?.sha ?? "";
      repo.branches.set(branch, at);
      return at;
    },
    publishRelease: (owner, name, input) => {
      const repo = state.requireRepo(owner, name);
      const sha = input.sha ?? repo.branches.get(repo.defaultBranch) ?? repo.history.at(-1)?.sha;
      if (!sha) throw new Error("GitHub simulator: push commits before publishing a release");
      repo.tags.set(input.tag, sha);
      const at = state.timestamp();
      const release: ReleaseState = {
        id: state.nextId(),
        tag: input.tag,
        prerelease: input.prerelease ?? false,
        draft: input.draft ?? false,
        createdAt: at,
        publishedAt: at,
      };
      repo.releases.push(release);
      return releaseJson(repo, release, apiBase);
    },
    addDeployment: (owner, name, input) => {
      const repo = state.requireRepo(owner, name);
      const at = state.timestamp();
      const deployment = {
        id: state.nextId(),
        sha: input.sha,
        ref: input.ref,
        environment: input.environment,
        createdAt: at,
        statuses: [
          {
            id: state.nextId(),
            state: input.state ?? "success",
            createdAt: at,
            environmentUrl: input.url ?? "",
          },
        ],
      };
      repo.deployments.push(deployment);
      return deploymentJson(repo, deployment);
    },
    addReview: (owner, name, prNumber, input) => {
      state.requirePull(owner, name, prNumber);
      state.requireRepo(owner, name).reviews.push({
        id: state.nextId(),
        prNumber,
        user: input.user,
        state: input.state,
        submittedAt: input.submittedAt ?? state.timestamp(),
      });
    },
    rateLimit: ({ remaining, resetInMs }) => {
      state.rateLimited = {
        remaining,
        resetInMs,
        resetAt: remaining > 0 ? null : Date.now() + resetInMs,
      };
    },
  };
}
