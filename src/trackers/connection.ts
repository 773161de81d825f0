/**
 * A tracker connection as the server knows it. Built only by the server's config loader
 * (environment or the TRACKBRIDGE_CONNECTIONS file) and by the Action's inputs; a
 * repository config can pick one by name but never supply one.
 */
import type { StatusCategory } from "../core/types.js";

/** A registered kind's `type` (`src/trackers/kinds.ts`): "yandex", "jira", … */
export type TrackerType = string;

export interface TrackerConnection {
  name: string;
  type: TrackerType;
  /**
   * Base URL without the API path: https://api.tracker.yandex.net, https://acme.atlassian.net.
   * GitHub Projects: the web address of the GitHub the App (or the Action) uses,
   * https://github.com or GitHub Enterprise Server's https://HOST: where the issue pages are.
   */
  url: string;
  /** GitHub Projects: "" for the App (its installation token is used), the Action's token. */
  token: string;
  /** GitHub Projects: the organization project whose single-select field is the status. */
  project?: { owner: string; number: number };
  /** GitHub Projects: the single-select field holding the status; "Status" by default. */
  statusField?: string;
  /** GitHub Projects: option name → category, where GitHub's naming convention does not say. */
  statusCategories?: Record<string, StatusCategory>;
  /** Yandex Tracker: Yandex 360 org (X-Org-ID). */
  orgId?: string;
  /** Yandex Tracker: Cloud org (X-Cloud-Org-ID). */
  cloudOrgId?: string;
  /** Yandex Tracker: `OAuth` (default) or `Bearer` for IAM tokens. */
  authScheme?: "OAuth" | "Bearer";
  /** Jira Cloud: Basic auth with email:token on REST v3. Without it: Data Center, Bearer PAT on v2. */
  email?: string;
  /**
   * Authenticates the tracker's webhooks to `POST /api/trackers/{name}/webhooks`: Jira's
   * HMAC key, Yandex Tracker's `X-Trackbridge-Token`. Without it the endpoint answers 404.
   */
  webhookSecret?: string;
  /**
   * Tracker jobs (a move, a field write: one to three requests each) running at once on this
   * connection. Default 16 (DEFAULT_TRACKER_CONCURRENCY); jobs of one issue run one at a time
   * whatever it is.
   */
  concurrency?: number;
  /**
   * Redmine, Request Tracker: the trackers that number their tickets. Keys in PR text are
   * `<prefix>-<number>` (`RM-4521`, also `RM#4521`); a bare `#4521` is GitHub's own.
   */
  keyPrefix?: string;
  /** Redmine: Basic auth with this login and the token as password, instead of X-Redmine-API-Key. */
  login?: string;
  /**
   * The options of a kind that keeps them untyped (no `toConnection`), as its schema
   * validated them: `{ board: "7" }`.
   */
  options?: Readonly<Record<string, string | number | boolean>>;
  /** Request Tracker: comments go through `/comment` (internal, the default) or `/correspond` (a reply the requestors get). */
  commentAs?: "comment" | "correspond";
  /**
   * Who is who (the connections file's `people:`): GitHub login → tracker login (Yandex
   * login, Jira Cloud accountId, Data Center user name), for `assignee:` in repo configs.
   */
  people?: Readonly<Record<string, string>>;
  /** Where the webhook secret is kept ("environment variable X", "file P"): what setup steps name instead of the value. */
  webhookSecretFrom?: string;
}

/**
 * At a tracker's real latency (100–300 ms a request) a connection's throughput is its
 * concurrency over that: 16 jobs at once carry ~25–80 moves a second, 4 only a quarter of it.
 * Jira Cloud has allowed 50 requests at once per app and user; a lower limit is per connection.
 */
export const DEFAULT_TRACKER_CONCURRENCY = 16;
