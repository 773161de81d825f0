/**
 * How a repository's keys follow from its tracker connection. A connection whose tracker
 * numbers its tickets (Redmine, Request Tracker) declares a key prefix: the repository's keys
 * are then `PREFIX-N` (and `PREFIX#N`) only. Every other connection's repositories never take
 * a numbered connection's prefix as a project. Pure: the server passes its connections in.
 */
import type { RepoConfig } from "./repo-config.js";

/** A connection of the server that numbers its tickets. */
export interface NumberedConnection {
  name: string;
  type: string;
  prefix: string;
}

/** What the repository's keys are, given its connection (stamped on the parsed config). */
export interface ConnectionKeys {
  connection: string;
  /** The connection's prefix when it numbers its tickets. */
  prefix?: string;
  /** Redmine's commit keywords (`fixes #12`) count: `keys.redmine_keywords` on a Redmine connection. */
  keywords: boolean;
  /** Prefixes of the server's numbered connections: never projects of this one. */
  otherPrefixes: string[];
}

/**
 * @example
 * numberedConnections([{ name: "redmine", type: "redmine", keyPrefix: "rm" }, { name: "jira", type: "jira" }])
 * // [{ name: "redmine", type: "redmine", prefix: "RM" }]
 */
export function numberedConnections(
  connections: ReadonlyArray<{ name: string; type: string; keyPrefix?: string | undefined }>,
): NumberedConnection[] {
  return connections.flatMap(({ name, type, keyPrefix }) =>
    keyPrefix ? [{ name, type, prefix: keyPrefix.toUpperCase() }] : [],
  );
}

/**
 * The config with its `connectionKeys`, or the error to show on the check run: a project
 * allow-list that names another connection's prefix, keywords without a Redmine connection.
 *
 * @example
 * withConnectionKeys(config, "jira", [{ name: "redmine", type: "redmine", prefix: "RM" }], ".github/trackbridge.yml")
 * // config.keys.projects = ["RM"] → { ok: false, error: '… keys.projects: "RM" is the key prefix of connection "redmine" …' }
 */
export function withConnectionKeys(
  config: RepoConfig,
  connection: string,
  numbered: readonly NumberedConnection[],
  file: string,
): { ok: true; config: RepoConfig } | { ok: false; error: string } {
  const own = numbered.find((c) => c.name === connection);
  const others = numbered.filter((c) => c.name !== connection);
  const projects = (config.keys.projects ?? []).map((p) => p.toUpperCase());
  const fail = (error: string) => ({ ok: false as const, error: `${file}: ${error}` });
  for (const other of others) {
    if (projects.includes(other.prefix)) {
      return fail(
        `keys.projects: "${other.prefix}" is the key prefix of connection "${other.name}" (${other.type}), not a project of connection "${connection}": ${other.prefix}-123 always means a ticket of ${other.name}`,
      );
    }
  }
  if (own && projects.some((p) => p !== own.prefix)) {
    return fail(
      `keys.projects: connection "${connection}" (${own.type}) numbers its tickets, and its keys are ${own.prefix}-123 only: remove keys.projects or list only ${own.prefix}`,
    );
  }
  if (config.keys.redmine_keywords && own?.type !== "redmine") {
    return fail(
      `keys.redmine_keywords: connection "${connection}" is not a Redmine connection with a key prefix; "fixes #123" would be GitHub's #123`,
    );
  }
  // No numbered connection on this server: the config stays as the file said.
  if (numbered.length === 0) return { ok: true, config };
  const connectionKeys: ConnectionKeys = {
    connection,
    ...(own ? { prefix: own.prefix } : {}),
    keywords: own !== undefined && config.keys.redmine_keywords,
    otherPrefixes: others.map((c) => c.prefix),
  };
  return { ok: true, config: { ...config, connectionKeys } };
}
