/**
 * Loads `.github/trackbridge.yml` with Probot's conventions (`_extends`, the org's `.github`
 * repository as fallback) and validates it. Three outcomes, each handled by the caller:
 * no file (the App does nothing), a valid config, or an error to show on the check run.
 */
import type { Context } from "probot";
import { parseRepoConfig, type RepoConfig } from "../core/repo-config.js";

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
}

export async function loadRepoConfig(
  context: Pick<Context, "config">,
  { connections, channels }: ServerNames,
): Promise<LoadedConfig> {
  let raw: unknown;
  try {
    raw = await context.config<Record<string, unknown>>(CONFIG_FILE);
  } catch (error) {
    // The config plugin throws on YAML syntax errors; a 5xx from GitHub is worth a retry.
    const status = (error as { status?: number }).status;
    if (status !== undefined && status >= 500) throw error;
    const detail = error instanceof Error ? error.message : String(error);
    return {
      kind: "invalid",
      error: `${CONFIG_PATH} could not be read: ${detail}`,
      connection: connections[0],
    };
  }
  if (raw === null) return { kind: "missing" };
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
  return { kind: "valid", config: parsed.config, connection: connection.name };
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
