/**
 * The connections file's `productboard:` section: the Productboard plugin integration whose
 * push button creates an issue in one of the server's tracker connections, and the map that
 * lets the feature's status follow the issue's. Secrets are references, as everywhere.
 *
 * ```yaml
 * productboard:
 *   token: { env: PRODUCTBOARD_TOKEN }           # Public API access token (Bearer)
 *   integration_id: 5f3c…                        # POST /plugin-integrations answered it
 *   authorization: { env: PRODUCTBOARD_PLUGIN_SECRET } # the integration's action.headers.authorization
 *   connection: jira                             # where pushed features become issues
 *   project: PROJ
 *   type: Task
 *   statuses: { In progress: In progress, Closed: Released }   # tracker status → feature status
 * ```
 */
import { z } from "zod";
import type { NotifyRule } from "../core/notify.js";
import { NotifySchema } from "../core/repo-config.js";
import { carriesCredentials } from "../core/scrub-secrets.js";
import { type Env, ServerConfigError, secret, secretRef } from "./secret-ref.js";

/** The jobs of the Productboard section run under this name (holds, concurrency, the console). */
export const PRODUCTBOARD = "productboard";

export const PRODUCTBOARD_API = "https://api.productboard.com";

export const productboardEntry = z.strictObject({
  url: z.url().optional(),
  token: secretRef,
  integration_id: z.string().min(1),
  authorization: secretRef,
  connection: z.string().min(1),
  project: z.string().regex(/^[A-Za-z][A-Za-z0-9_]+$/, "expected a queue/project key such as PROJ"),
  type: z.string().min(1).optional(),
  statuses: z.record(z.string().min(1), z.string().min(1)).default({}),
  // The repository config's rule shape: which channel hears of features created and unlinked.
  notify: z.array(NotifySchema).default([]),
});

export interface ProductboardConfig {
  /** The Public API's root (the simulators' in tests). */
  url: string;
  /** Secret: the Public API access token. */
  token: string;
  integrationId: string;
  /** Secret: what Productboard sends in `Authorization` on every plugin call. */
  authorization: string;
  /** The tracker connection pushed features become issues in. */
  connection: string;
  project: string;
  type?: string;
  /** Tracker status (key or name) → the feature status (name) it puts the feature in. */
  statuses: Record<string, string>;
  /** Which channel hears of a feature's issue created or unlinked (and its dead letters). */
  notify: NotifyRule[];
}

/**
 * The section's rule for its url, shared by the loader and `doctor`: a user or password in it
 * would be printed by every message that names the URL, and the token is the credential.
 *
 * @example
 * productboardUrlProblem("https://u:p@api.productboard.com") // "productboard.url must not carry a user or password"
 * productboardUrlProblem("https://api.productboard.com") // undefined
 */
export function productboardUrlProblem(url: string): string | undefined {
  return carriesCredentials(url) ? "productboard.url must not carry a user or password" : undefined;
}

/** One fault of the section: the key it is in, and the sentence that names it. */
export interface ProductboardProblem {
  field: "notify" | "connection" | "connections" | "url";
  message: string;
}

/**
 * Every rule the section breaks against the server's connections and channels, in the order
 * the loader reports them: the loader throws the first, `doctor` prints one line each.
 *
 * @example
 * productboardProblems(entry, ["jira"], []) // [] when entry.connection is "jira" and nothing else is wrong
 */
export function productboardProblems(
  entry: z.output<typeof productboardEntry>,
  connections: readonly string[],
  channels: readonly string[] = [],
): ProductboardProblem[] {
  const problems: ProductboardProblem[] = [];
  const unknown = entry.notify.find((rule) => !channels.includes(rule.channel));
  if (unknown) {
    problems.push({
      field: "notify",
      message: `productboard.notify: no channel named "${unknown.channel}" (have: ${channels.join(", ") || "none"})`,
    });
  }
  if (!connections.includes(entry.connection)) {
    problems.push({
      field: "connection",
      message: `productboard.connection: no tracker connection named "${entry.connection}" (have: ${connections.join(", ") || "none"})`,
    });
  }
  if (connections.includes(PRODUCTBOARD)) {
    problems.push({
      field: "connections",
      message: `a tracker connection is named "${PRODUCTBOARD}": rename it, the productboard section's jobs use that name`,
    });
  }
  const urlProblem = productboardUrlProblem(entry.url ?? PRODUCTBOARD_API);
  if (urlProblem) problems.push({ field: "url", message: urlProblem });
  return problems;
}

/** The section as loaded, checked against the tracker connections the server has. */
export function loadProductboard(
  entry: z.output<typeof productboardEntry> | undefined,
  env: Env,
  connections: readonly string[],
  channels: readonly string[] = [],
): ProductboardConfig | undefined {
  if (!entry) return undefined;
  const [problem] = productboardProblems(entry, connections, channels);
  if (problem) throw new ServerConfigError(problem.message);
  const url = entry.url ?? PRODUCTBOARD_API;
  return {
    url,
    token: secret(env, entry.token, "productboard token"),
    integrationId: entry.integration_id,
    authorization: secret(env, entry.authorization, "productboard authorization"),
    connection: entry.connection,
    project: entry.project,
    ...(entry.type ? { type: entry.type } : {}),
    statuses: entry.statuses,
    notify: entry.notify,
  };
}

/** The section's secrets, for the logger and every message's scrubbing. */
export function productboardSecrets(config: ProductboardConfig | undefined): string[] {
  return config ? [config.token, config.authorization] : [];
}
