/**
 * Keys of the trackers that number their tickets (Redmine, Request Tracker). Everywhere else in
 * trackbridge a key is `PROJECT-N`; here the PROJECT is the connection's key prefix, so
 * `RM-4521` is ticket 4521 of the connection whose prefix is RM, and nothing else is.
 */
import type { TrackerConnection } from "./connection.js";
import { TrackerError } from "./errors.js";

export interface NumericKeys {
  /** The ticket number of `key`; a key with another prefix is refused, naming both. */
  id(key: string): string;
  /** The key trackbridge uses for ticket `id`: `RM-4521`. */
  key(id: string | number): string;
  readonly prefix: string;
}

/**
 * @example
 * const keys = numericKeys({ name: "redmine", keyPrefix: "RM" });
 * keys.id("rm-4521") // "4521"
 * keys.key(4521)     // "RM-4521"
 */
export function numericKeys(
  connection: Pick<TrackerConnection, "name" | "keyPrefix">,
): NumericKeys {
  const prefix = (connection.keyPrefix ?? "").toUpperCase();
  if (!/^[A-Z][A-Z0-9_]+$/.test(prefix)) {
    throw new TrackerError(
      "invalid",
      `connection "${connection.name}" needs a key prefix (key_prefix: RM, or TRACKER_KEY_PREFIX): its tickets are numbered, and a bare #123 is GitHub's own`,
      { connection: connection.name },
    );
  }
  return {
    prefix,
    id(key) {
      const match = /^([A-Za-z][A-Za-z0-9_]*)[-#](\d+)$/.exec(key.trim());
      if (!match || match[1]!.toUpperCase() !== prefix) {
        throw new TrackerError(
          "not_found",
          `${key} is not a ticket of ${connection.name}: its keys look like ${prefix}-123`,
          { connection: connection.name },
        );
      }
      return String(Number(match[2]));
    },
    key: (id) => `${prefix}-${id}`,
  };
}
