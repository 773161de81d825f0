/**
 * `match: email`: the e-mail a person shows on their GitHub profile, asked when an assign job
 * runs and its person is not in the people map. Why this source: `GET /users/{username}` is
 * readable with the App's installation token and answers `email` only when the user made one
 * public, and GitHub lets a user make public only an address they verified. `GET /user/emails`
 * (every verified address) needs the user's own token, which the App does not hold for a PR's
 * author; a commit's author e-mail is whatever their git config says (GitHub ties it to a login
 * only when it is one of the account's verified addresses, and it is often a noreply one).
 *
 * Cost: one request per person per hour at most (kept in memory, never stored: an e-mail is
 * personal data the store has no use for), and none for a person the people map names.
 */
import { ExpiringCache } from "../core/expiring-cache.js";

export interface UsersApi {
  rest: {
    users: {
      getByUsername(params: { username: string }): Promise<{ data: { email?: string | null } }>;
    };
  };
}

/**
 * GitHub could not say (5xx, rate limit, network): nothing is kept, and the job retries. Its
 * status and headers are kept for the worker: a 401 is permanent, and a refusal for the rate
 * limit delays this job until GitHub's reset (never the tracker's connection: worker-steps.ts).
 */
export class PublicEmailUnread extends Error {
  override readonly name = "PublicEmailUnread";
  readonly status: number | undefined;
  readonly response: { headers: Record<string, unknown> } | undefined;

  constructor(login: string, cause: unknown) {
    const { status, message, response } = (cause ?? {}) as {
      status?: unknown;
      message?: unknown;
      response?: { headers?: Record<string, unknown> };
    };
    const said = typeof status === "number" ? `${status}: ` : "";
    super(
      `GitHub: could not read the public e-mail of ${login} (GET /users/${login}): ${said}${String(message ?? cause)}`,
      { cause },
    );
    this.status = typeof status === "number" ? status : undefined;
    this.response = response?.headers ? { headers: response.headers } : undefined;
  }
}

/** One per App: e-mails kept per login (GitHub's logins ignore case). */
export class PublicEmails {
  readonly #kept: ExpiringCache<string, string | null>;

  constructor(options: { ttlMs?: number; maxEntries?: number; now?: () => number } = {}) {
    this.#kept = new ExpiringCache({
      ttlMs: options.ttlMs ?? 60 * 60_000,
      maxEntries: options.maxEntries ?? 5_000,
      now: options.now ?? Date.now,
    });
  }

  /**
   * The e-mail `login` shows on GitHub; null when none, or when GitHub knows no such user.
   * `octokit` is asked for only when GitHub must be.
   *
   * @example
   * const emails = new PublicEmails();
   * await emails.of("alice", () => probot.auth(installationId)); // "alice@acme.test": GET /users/alice
   * await emails.of("Alice", () => probot.auth(installationId)); // "alice@acme.test": kept, no request
   */
  of(login: string, octokit: () => Promise<UsersApi>): Promise<string | null> {
    return this.#kept.get(login.toLowerCase(), async () => publicEmail(await octokit(), login));
  }
}

async function publicEmail(octokit: UsersApi, login: string): Promise<string | null> {
  try {
    const { data } = await octokit.rest.users.getByUsername({ username: login });
    return typeof data.email === "string" && data.email.includes("@") ? data.email : null;
  } catch (error) {
    // A login GitHub no longer knows (a deleted account): nobody to look up, kept as such.
    if ((error as { status?: unknown }).status === 404) return null;
    throw new PublicEmailUnread(login, error);
  }
}
