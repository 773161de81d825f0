/**
 * Strict objects for the repository config: a typo is reported with its path and the keys
 * allowed there, and a key that tries to name a tracker URL or token gets its own message,
 * because those live on the server only.
 */
import { z } from "zod";

/** Unknown-key names that look like an attempt to put a tracker endpoint or secret in a repo. */
const SECRET_KEY_NAMES = new Set(["url", "token", "baseurl", "password", "apikey", "secret"]);

function looksLikeSecretOrUrl(key: string): boolean {
  const normalized = key.toLowerCase().replace(/[-_\s]/g, "");
  return (
    SECRET_KEY_NAMES.has(normalized) || normalized.endsWith("url") || normalized.endsWith("token")
  );
}

/**
 * Error map for every strict object in the schema: unknown keys are named together with the
 * keys that are allowed there; URL- and token-like keys say why they can never be allowed.
 */
function strictKeysError(allowed: readonly string[]) {
  return (issue: z.core.$ZodRawIssue): string | undefined => {
    if (issue.code !== "unrecognized_keys") return undefined;
    const keys = (issue as { keys?: string[] }).keys ?? [];
    const secret = keys.filter(looksLikeSecretOrUrl);
    const other = keys.filter((key) => !looksLikeSecretOrUrl(key));
    const parts: string[] = [];
    if (secret.length > 0) {
      parts.push(
        `${secret.length > 1 ? "Keys" : "Key"} ${quoteAll(secret)} not allowed: a repository config can never name a tracker URL or token — those are set on the server`,
      );
    }
    if (other.length > 0) {
      parts.push(
        `Unrecognized key${other.length > 1 ? "s" : ""} ${quoteAll(other)} (expected one of: ${allowed.join(", ")})`,
      );
    }
    return parts.join("; ");
  };
}

function quoteAll(keys: string[]): string {
  return keys.map((key) => JSON.stringify(key)).join(", ");
}

/** `z.strictObject` with the error map above, so every level reports unknown keys the same way. */
export function strict<T extends z.core.$ZodLooseShape>(shape: T) {
  return z.strictObject(shape, { error: strictKeysError(Object.keys(shape)) });
}
