/**
 * The `--connection NAME --queue PROJ` options the tracker commands share: the connection is
 * looked up among the server's own (environment or connections file), never given on the
 * command line, so a token is never typed into a shell.
 */
import type { TrackerConnection } from "../trackers/connection.js";
import { CliError } from "./io.js";

/**
 * The server connection named `name`; without a name, the only one there is.
 *
 * @example
 * findConnection(config.connections, "yandex") // throws 'no tracker connection named "yandx" (available: yandex)'
 */
export function findConnection(
  connections: readonly TrackerConnection[],
  name: string | undefined,
): TrackerConnection {
  if (connections.length === 0) {
    throw new CliError(
      "this server has no tracker connection: set TRACKER_TYPE, TRACKER_URL and TRACKER_TOKEN (or TRACKBRIDGE_CONNECTIONS), here as on the server",
    );
  }
  const names = connections.map((c) => c.name).join(", ");
  if (name === undefined) {
    if (connections.length === 1) return connections[0]!;
    throw new CliError(`--connection is needed: this server has several (${names})`);
  }
  const connection = connections.find((c) => c.name === name);
  if (!connection)
    throw new CliError(`no tracker connection named "${name}" (available: ${names})`);
  return connection;
}

/** A queue/project key as both trackers write it; anything else is a typo to stop at. */
export function queueKey(value: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(value)) {
    throw new CliError(`--queue must be a queue or project key such as PROJ (got "${value}")`);
  }
  return value;
}
