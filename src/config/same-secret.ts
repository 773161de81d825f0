/**
 * The one comparison of a presented secret with a configured one (console token and session,
 * Productboard's authorization, a tracker webhook's shared token). In config, the lowest room
 * the console, the server and the trackers all import.
 */
import { createHash, timingSafeEqual } from "node:crypto";

/** Compares secrets in constant time (over their hashes, so lengths do not leak either). */
export function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(
    createHash("sha256").update(given).digest(),
    createHash("sha256").update(expected).digest(),
  );
}
