/**
 * What a kind declares `unavailable` is refused the same way on every tracker, before any
 * request: a permanent `CapabilityUnavailableError` saying "… is not available on <label>:
 * <reason>". `createTracker` wraps every adapter in it, so an adapter need not write its own
 * refusal, and the capability table cannot claim less than the adapter is let do.
 */
import type { TrackerConnection } from "./connection.js";
import { TrackerError } from "./errors.js";
import { CAPABILITY_LABEL, type CapabilityName, type TrackerKind } from "./kind.js";
import type { Tracker } from "./port.js";

/** The port calls each capability guards; the rest are read through other calls. */
export const CAPABILITY_CALLS: Partial<Record<CapabilityName, readonly (keyof Tracker)[]>> = {
  field_write: ["setField"],
  comment: ["addComment"],
  pr_link: ["linkPullRequest"],
  fix_versions: ["addFixVersion"],
  create_issue: ["createIssue"],
  unlink: ["unlink"],
  set_assignee: ["setAssignee"],
  find_user_by_email: ["findUserByEmail"],
};

export class CapabilityUnavailableError extends TrackerError {
  readonly capability: CapabilityName;

  constructor(capability: CapabilityName, label: string, reason: string, connection: string) {
    super("invalid", `${CAPABILITY_LABEL[capability]} is not available on ${label}: ${reason}`, {
      connection,
    });
    this.capability = capability;
  }
}

/**
 * @example
 * guardCapabilities(linearKind, connection, tracker).addFixVersion("ENG-1", "1.0")
 * // rejects: "fix versions is not available on Linear: Linear has no fix versions"
 */
export function guardCapabilities(
  kind: TrackerKind,
  connection: TrackerConnection,
  tracker: Tracker,
): Tracker {
  const mode = kind.modeOf(connection);
  const guarded: Record<string, unknown> = { ...tracker };
  for (const [name, calls] of Object.entries(CAPABILITY_CALLS)) {
    const capability = name as CapabilityName;
    const declared = mode.capabilities[capability];
    if (declared.support !== "unavailable") continue;
    for (const call of calls ?? []) {
      // An optional call the adapter lacks stays absent: callers read its absence.
      if (typeof tracker[call] !== "function") continue;
      guarded[call] = async () => {
        throw new CapabilityUnavailableError(
          capability,
          mode.label,
          declared.reason,
          tracker.connection,
        );
      };
    }
  }
  return guarded as unknown as Tracker;
}
