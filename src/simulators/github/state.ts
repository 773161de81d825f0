/**
 * The simulator's in-memory world: installations, repositories and what they hold. One
 * `SimState` per simulator instance; nothing is shared between instances.
 */
import { newInstallationToken } from "./app-auth.js";
import { isoSeconds } from "./shapes.js";

export interface SimOptions {
  appId: number;
  appSlug: string;
  now: () => Date;
}

export interface PullState {
  number: number;
  title: string;
  body: string | null;
  head: { ref: string; sha: string };
  base: { ref: string; sha: string };
  user: string;
  draft: boolean;
  state: "open" | "closed";
  merged: boolean;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  mergedAt: string | null;
  mergeCommitSha: string | null;
  /** Extra top-level fields a test wants on the PR object (labels, requested_reviewers, …). */
  extra: Record<string, unknown>;
  commits: CommitState[];
}

export interface CommitState {
  sha: string;
  message: string;
  author: { name: string; email: string; login: string | null };
  date: string;
}

export interface CommentState {
  id: number;
  issueNumber: number;
  body: string;
  /** Posted by the App through the API: GitHub names the App in `performed_via_github_app`. */
  viaApp?: boolean;
  user: { login: string; type: "User" | "Bot" };
  createdAt: string;
  updatedAt: string;
}

export interface CheckRunOutput {
  title: string | null;
  summary: string | null;
  text: string | null;
}

export interface CheckRunSnapshot {
  action: "created" | "updated";
  at: string;
  status: string;
  conclusion: string | null;
  output: CheckRunOutput;
  /** The request body exactly as the app sent it. */
  request: Record<string, unknown>;
}

export interface CheckRunState {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  output: CheckRunOutput;
  details_url: string | null;
  external_id: string | null;
  started_at: string | null;
  completed_at: string | null;
  history: CheckRunSnapshot[];
}

/** A commit on a branch's history (the delivery life: compare, tags, deployments). */
export interface HistoryCommit {
  sha: string;
  message: string;
  date: string;
}

export interface ReviewState {
  id: number;
  prNumber: number;
  user: string;
  state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED";
  submittedAt: string;
}

export interface ReleaseState {
  id: number;
  tag: string;
  prerelease: boolean;
  draft: boolean;
  createdAt: string;
  publishedAt: string;
}

export interface DeploymentState {
  id: number;
  sha: string;
  ref: string;
  environment: string;
  createdAt: string;
  statuses: Array<{ id: number; state: string; createdAt: string; environmentUrl: string }>;
}

export interface RepoState {
  id: number;
  owner: string;
  name: string;
  defaultBranch: string;
  private: boolean;
  installationId: number;
  files: Map<string, string>;
  pulls: Map<number, PullState>;
  comments: CommentState[];
  checkRuns: CheckRunState[];
  /** One linear history shared by every branch and tag; branches and tags point into it. */
  history: HistoryCommit[];
  branches: Map<string, string>;
  tags: Map<string, string>;
  reviews: ReviewState[];
  releases: ReleaseState[];
  deployments: DeploymentState[];
  /** Collaborators' permission (admin, maintain, write, triage, read); anyone else reads. */
  permissions: Map<string, string>;
}

export interface RateLimitState {
  limit: number;
  remaining: number;
  /** Epoch seconds. */
  reset: number;
}

export interface InstallationState {
  id: number;
  account: string;
  createdAt: string;
}

export class SimState {
  readonly repos = new Map<string, RepoState>();
  readonly installations = new Map<number, InstallationState>();
  /** Installation token → installation id. */
  readonly tokens = new Map<string, number>();
  /** Each installation's primary rate limit, as the `x-ratelimit-*` headers tell it. */
  readonly rateLimits = new Map<number, RateLimitState>();
  /** The App's OAuth client, users who can sign in, and the web flow's codes and tokens. */
  readonly oauth = {
    client: null as { clientId: string; clientSecret: string } | null,
    /** login → organization → role ("admin" is an owner). */
    users: new Map<string, Map<string, "admin" | "member">>(),
    /** Who approves at /login/oauth/authorize (the browser's signed-in GitHub user). */
    signedIn: null as string | null,
    codes: new Map<string, string>(),
    userTokens: new Map<string, string>(),
  };
  /** login (lower case) → the e-mail their profile shows (`GET /users/{username}`). */
  readonly publicEmails = new Map<string, string>();
  /** Injected failures: the next `count` matching API requests answer `status`. */
  readonly faults: Array<{ status: number; count: number; pathIncludes?: string }> = [];
  private lastId = 1000;
  /** Requests still to answer with a primary rate limit, and when that limit resets. */
  /** `resetAt` is null until the last remaining call is used. */
  rateLimited: { remaining: number; resetInMs: number; resetAt: number | null } | null = null;

  takeFault(method: string, path: string): { status: number } | undefined {
    const fault = this.faults.find(
      (f) => f.count > 0 && (f.pathIncludes === undefined || path.includes(f.pathIncludes)),
    );
    if (!fault || method === "OPTIONS") return undefined;
    fault.count -= 1;
    return fault;
  }

  constructor(readonly options: SimOptions) {}

  /** Mints a token the installation's requests are then accepted with. */
  mintInstallationToken(installationId: number): string {
    const token = newInstallationToken();
    this.tokens.set(token, installationId);
    return token;
  }

  /**
   * Counts one request against an installation's hourly limit (GitHub does not count a 304)
   * and returns the headers GitHub sends with every answer.
   */
  countRequest(installationId: number, status: number): Record<string, string> {
    const nowSeconds = Math.floor(this.options.now().getTime() / 1000);
    let limit = this.rateLimits.get(installationId);
    if (!limit || limit.reset <= nowSeconds) {
      limit = { limit: 5_000, remaining: 5_000, reset: nowSeconds + 3_600 };
      this.rateLimits.set(installationId, limit);
    }
    if (status !== 304) limit.remaining = Math.max(limit.remaining - 1, 0);
    return {
      "x-ratelimit-limit": String(limit.limit),
      "x-ratelimit-remaining": String(limit.remaining),
      "x-ratelimit-reset": String(limit.reset),
      "x-ratelimit-used": String(limit.limit - limit.remaining),
      "x-ratelimit-resource": "core",
    };
  }

  nextId(): number {
    this.lastId += 1;
    return this.lastId;
  }

  timestamp(): string {
    return isoSeconds(this.options.now());
  }

  findRepo(owner: string, name: string): RepoState | undefined {
    // GitHub owner and repository names are case-insensitive.
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  /** For admin calls: a typo in a test should fail loudly, not create an empty world. */
  requireRepo(owner: string, name: string): RepoState {
    const repo = this.findRepo(owner, name);
    if (!repo)
      throw new Error(`GitHub simulator: no repository ${owner}/${name}; call addRepo first`);
    return repo;
  }

  requirePull(owner: string, name: string, number: number): PullState {
    const pull = this.requireRepo(owner, name).pulls.get(number);
    if (!pull) throw new Error(`GitHub simulator: no pull request ${owner}/${name}#${number}`);
    return pull;
  }

  addRepo(input: {
    owner: string;
    name: string;
    installationId: number;
    defaultBranch?: string;
    private?: boolean;
  }): RepoState {
    if (this.findRepo(input.owner, input.name)) {
      throw new Error(`GitHub simulator: repository ${input.owner}/${input.name} exists already`);
    }
    if (!this.installations.has(input.installationId)) {
      this.installations.set(input.installationId, {
        id: input.installationId,
        account: input.owner,
        createdAt: this.timestamp(),
      });
    }
    const repo: RepoState = {
      id: this.nextId(),
      owner: input.owner,
      name: input.name,
      defaultBranch: input.defaultBranch ?? "main",
      private: input.private ?? true,
      installationId: input.installationId,
      files: new Map(),
      pulls: new Map(),
      comments: [],
      checkRuns: [],
      history: [],
      branches: new Map(),
      tags: new Map(),
      reviews: [],
      releases: [],
      deployments: [],
      permissions: new Map(),
    };
    this.repos.set(`${input.owner}/${input.name}`.toLowerCase(), repo);
    return repo;
  }
}
