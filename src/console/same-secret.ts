import { createHash, timingSafeEqual } from "node:crypto";

/** Compares secrets in constant time (over their hashes, so lengths do not leak either). */
export function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(
    createHash("sha256").update(given).digest(),
    createHash("sha256").update(expected).digest(),
  );
}
