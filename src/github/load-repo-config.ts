/**
 * Loads `.github/trackbridge.yml` with Probot's conventions (`_extends`, the org's `.github`
 * repository as fallback) and validates it. Three outcomes, each handled by the caller:
 * no file (the App does nothing), a valid config, or an error to show on the check run.
 *
 * Every event reads the config, and GitHub mostly answers 304: the outcome is kept per
 * repository with the texts it came from, so unchanged files cost no YAML parse, merge or
 * validation. A push that changes any file of the chain changes its text, and the next read
 * sees the new one (the conditional request asks GitHub every time).
 */
import type { Octokit } from "@octokit/core";
import merge from "deepmerge";
import { type NumberedConnection, withConnectionKeys } from "../core/connection-keys.js";
import { Lru } from "../core/lru.js";
import { parseRepoConfig, type RepoConfig } from "../core/repo-config.js";
import { InstallationTokenRefused } from "./installation-token.js";
import { type ConfigFile, type ParsedTexts, readConfigFiles } from "./read-config-files.js";

export const CONFIG_FILE = "trackbridge.yml";
export const CONFIG_PATH = `.github/${CONFIG_FILE}`;

export type LoadedConfig =
  | { kind: "missing" }
  | { kind: "valid"; config: RepoConfig; connection: string }
  | { kind: "invalid"; error: string; connection: string | undefined };

/** What the server offers a repository config to choose from, by name. */
export interface ServerNames {
  connections: readonly string[];
  channels: readonly string[];
  /** The connections that number their tickets, with their key prefixes. */
  numbered?: readonly NumberedConnection[];
  /** Connections whose issues are GitHub issues (GitHub Projects): keys are `#12`, `owner/repo#12`. */
  githubKeys?: readonly string[];
}

/** One per thread: what was loaded, for every reader of repository configs. */
export class RepoConfigs {
  readonly #parsedTexts: ParsedTexts;
  readonly #loaded: Lru<string, { texts: ReadonlyArray<string | null>; loaded: LoadedConfig }>;

  constructor(
    readonly names: ServerNames,
    maxRepositories = 2_000,
  ) {
    this.#parsedTexts = new Lru(maxRepositories);
    this.#loaded = new Lru(maxRepositories);
  }

  /** The outcome is shared by every event until a file changes: callers must not modify it. */
  async load(
    octokit: Pick<Octokit, "request">,
    where: { owner: string; repo: string },
  ): Promise<LoadedConfig> {
    const { connections } = this.names;
    let files: ConfigFile[];
    try {
      files = await readConfigFiles(octokit, { ...where, path: CONFIG_PATH }, this.#parsedTexts);
    } catch (error) {
      // Unreadable YAML is the repository's to fix; a 5xx from GitHub, or a refused
      // installation token, is worth a retry.
      if (error instanceof InstallationTokenRefused) throw error;
      const status = (error as { status?: number }).status;
      if (status !== undefined && status >= 500) throw error;
      const detail = error instanceof Error ? error.message : String(error);
      return {
        kind: "invalid",
        error: `${CONFIG_PATH} could not be read: ${detail}`,
        connection: connections[0],
      };
    }
    if (files.every((file) => file.config === null)) return { kind: "missing" };
    // The texts decide the outcome: which files are read follows from them (`_extends`).
    const repo = `${where.owner}/${where.repo}`;
    const texts = files.map((file) => file.text);
    const kept = this.#loaded.get(repo);
    if (kept && sameTexts(kept.texts, texts)) return kept.loaded;
    const loaded = this.#validate(composeConfig(files), repo);
    this.#loaded.set(repo, { texts, loaded });
    return loaded;
  }

  #validate(raw: unknown, repo: string): LoadedConfig {
    const { connections, channels } = this.names;
    const parsed = parseRepoConfig(raw, CONFIG_PATH);
    if (!parsed.ok) return { kind: "invalid", error: parsed.error, connection: connections[0] };
    const connection = chooseConnection(parsed.config.connection, connections);
    if (!connection.ok)
      return { kind: "invalid", error: connection.error, connection: connections[0] };
    const unknown = parsed.config.notify.find((rule) => !channels.includes(rule.channel));
    if (unknown) {
      const available = channels.length > 0 ? channels.join(", ") : "none";
      return {
        kind: "invalid",
        error: `${CONFIG_PATH}: notify channel "${unknown.channel}" is not one of this server's channels (available: ${available})`,
        connection: connection.name,
      };
    }
    const keyed = withConnectionKeys(
      parsed.config,
      connection.name,
      this.names.numbered ?? [],
      CONFIG_PATH,
    );
    if (!keyed.ok) return { kind: "invalid", error: keyed.error, connection: connection.name };
    // A bare #12 is this repository's issue, and only for a GitHub project.
    const config = this.names.githubKeys?.includes(connection.name)
      ? {
          ...keyed.config,
          keys: { ...keyed.config.keys, style: { kind: "github" as const, repo } },
        }
      : keyed.config;
    return { kind: "valid", config, connection: connection.name };
  }
}

/** The webhook handlers' way in: the event's repository, through the event's Octokit. */
export function loadRepoConfig(
  context: { octokit: Pick<Octokit, "request">; repo(): { owner: string; repo: string } },
  deps: { configs: RepoConfigs },
): Promise<LoadedConfig> {
  const { owner, repo } = context.repo();
  return deps.configs.load(context.octokit, { owner, repo });
}

/**
 * What `context.config` returns: the files deep-merged (arrays joined) with the first file
 * on top, each without the `_extends` that was followed.
 */
function composeConfig(files: readonly ConfigFile[]): unknown {
  const configs = files
    .map((file) => file.config)
    .filter((config) => config !== null)
    .map((config) => {
      if (!config._extends) return config;
      const { _extends, ...rest } = config;
      return rest;
    })
    .reverse();
  return merge.all([{}, ...configs]);
}

function sameTexts(a: ReadonlyArray<string | null>, b: ReadonlyArray<string | null>): boolean {
  return a.length === b.length && a.every((text, i) => text === b[i]);
}

function chooseConnection(
  wanted: string | undefined,
  connections: readonly string[],
): { ok: true; name: string } | { ok: false; error: string } {
  const available = connections.length > 0 ? connections.join(", ") : "none";
  if (wanted !== undefined) {
    return connections.includes(wanted)
      ? { ok: true, name: wanted }
      : {
          ok: false,
          error: `${CONFIG_PATH}: connection "${wanted}" is not one of this server's tracker connections (available: ${available})`,
        };
  }
  if (connections.length === 1) return { ok: true, name: connections[0]! };
  return {
    ok: false,
    error:
      connections.length === 0
        ? "this trackbridge server has no tracker connection configured (TRACKER_TYPE/TRACKER_URL/TRACKER_TOKEN)"
        : `${CONFIG_PATH}: set "connection" to one of this server's tracker connections: ${available}`,
  };
}
