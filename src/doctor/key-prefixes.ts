/**
 * `trackbridge doctor`: a numbered tracker's key prefix (Redmine's RM, RT's RT) must name its
 * tickets and nothing else. Two numbered connections with one prefix, or another connection
 * with a project or queue of that key, would make `RM-123` mean two things. The other
 * connections are asked for a project of that key (Jira, YouTrack: one to three requests;
 * Yandex Tracker: a queue); "not found" is what is wanted.
 */
import type { TrackerConnection } from "../trackers/connection.js";
import { createTracker } from "../trackers/create-tracker.js";
import { TrackerError } from "../trackers/errors.js";
import { type DoctorCheck, fail, ok, warn } from "./check.js";

const NAME = "key prefixes";

export async function checkKeyPrefixes(
  connections: readonly TrackerConnection[],
  options: { timeoutMs: number },
): Promise<DoctorCheck[]> {
  const numbered = connections.filter((c) => c.keyPrefix);
  if (numbered.length === 0) return [];
  const prefix = (c: TrackerConnection) => (c.keyPrefix ?? "").toUpperCase();
  const checks: DoctorCheck[] = [];
  for (const [i, a] of numbered.entries()) {
    const twin = numbered.slice(i + 1).find((b) => prefix(b) === prefix(a));
    if (twin) {
      checks.push(
        fail(
          NAME,
          `connections "${a.name}" and "${twin.name}" both use the key prefix ${prefix(a)}: ${prefix(a)}-123 would name a ticket of each`,
          `give one of them another key_prefix (TRACKER_KEY_PREFIX for the environment's connection)`,
        ),
      );
    }
  }
  // Project-keyed connections only: GitHub Projects' keys are owner/repo#12.
  const others = connections.filter((c) => !c.keyPrefix && c.type !== "github-projects");
  const asked = await Promise.all(
    numbered.flatMap((own) =>
      others.map(async (other) => ({
        own,
        other,
        found: await hasProject(other, prefix(own), options),
      })),
    ),
  );
  for (const { own, other, found } of asked) {
    if (found === true) {
      checks.push(
        fail(
          NAME,
          `connection "${other.name}" (${other.type}) has a project ${prefix(own)}, the key prefix of connection "${own.name}" (${own.type}): ${prefix(own)}-123 would name an issue of both`,
          `give "${own.name}" another key_prefix, one that is no project or queue key of "${other.name}"`,
        ),
      );
    } else if (found !== false) {
      checks.push(
        warn(
          NAME,
          `could not ask connection "${other.name}" whether it has a project ${prefix(own)}: ${found}`,
          "run doctor again once the connection answers (its own line above says what is wrong)",
        ),
      );
    }
  }
  if (checks.length === 0) {
    const list = numbered.map((c) => `${prefix(c)} (${c.name})`).join(", ");
    const where =
      others.length > 0 ? `; no project of ${others.map((c) => c.name).join(", ")} has one` : "";
    checks.push(ok(NAME, `${list} name only their own tickets${where}`));
  }
  return checks;
}

/** true: the project exists; false: not found; a string: why it could not be asked. */
async function hasProject(
  connection: TrackerConnection,
  key: string,
  options: { timeoutMs: number },
): Promise<boolean | string> {
  try {
    await createTracker(connection, { timeoutMs: options.timeoutMs }).projectWorkflow(key);
    return true;
  } catch (error) {
    if (error instanceof TrackerError && error.kind === "not_found") return false;
    return error instanceof Error ? error.message : String(error);
  }
}
