/**
 * `match: email`: the one user a tracker's answer names with this e-mail. Trackers search by
 * words or prefixes, so the answer is checked exactly here; two users with one address, or
 * none, is no match (trackbridge never guesses whom to assign).
 */
import type { TrackerUser } from "./port.js";

export interface FoundUser extends TrackerUser {
  /** Absent when the tracker hides it (Jira Cloud, by the user's privacy setting). */
  email?: string;
}

/**
 * @example
 * onlyWithEmail([{ id: "alice", display: "Alice", email: "Alice@acme.test" }], "alice@acme.test")
 * // { id: "alice", display: "Alice" }
 * onlyWithEmail([{ id: "5b10…", display: "Alice" }], "alice@acme.test", { hidden: true })
 * // { id: "5b10…", display: "Alice" }: the only answer to an exact search whose e-mails are hidden
 */
export function onlyWithEmail(
  users: readonly FoundUser[],
  email: string,
  options: { hidden?: boolean } = {},
): TrackerUser | null {
  const wanted = email.trim().toLowerCase();
  const exact = users.filter((u) => u.email?.trim().toLowerCase() === wanted);
  const candidates =
    exact.length === 0 && options.hidden && users.every((u) => u.email === undefined)
      ? users
      : exact;
  if (candidates.length !== 1) return null;
  const { id, display } = candidates[0]!;
  return { id, display };
}
