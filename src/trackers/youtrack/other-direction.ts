/**
 * YouTrack's calls of the other direction: create an issue (once per marker) and the
 * `Assignee` field. YouTrack has no idempotency key, so the marker is the description's last
 * line, searched for (by its words, then checked exactly) only after an unknown outcome.
 * Cost: create 2 requests (the project's entity id, `POST /api/issues`), +1 search after an
 * unknown outcome; the assignee 1 each way.
 */
import type { TrackerConnection } from "../connection.js";
import { carriesMarker, createOnce, withMarker } from "../create-once.js";
import { TrackerError } from "../errors.js";
import { onlyWithEmail } from "../find-person.js";
import { asObject, text } from "../json.js";
import type { Tracker, TrackerUser } from "../port.js";
import type { YouTrackClient } from "./client.js";
import { customField } from "./map.js";

/** The project's entity id (`0-2`) by its short name; `not_found` when there is none. */
export async function projectEntityId(
  client: YouTrackClient,
  connection: TrackerConnection,
  project: string,
): Promise<string> {
  const found = ((await client.projects(project, 100)) as unknown[])
    .map(asObject)
    .find((p) => p.shortName === project);
  if (typeof found?.id !== "string") {
    throw new TrackerError("not_found", `project ${project} not found in ${connection.name}`, {
      connection: connection.name,
    });
  }
  return found.id;
}

/** The `Assignee` field's user: `login` is what `setAssignee` takes. */
export function mapAssignee(issue: unknown): TrackerUser | null {
  const value = customField(issue, "Assignee")?.value;
  if (value === null || value === undefined) return null;
  const user = asObject(value);
  const login = text(user.login);
  return login ? { id: login, display: text(user.fullName) || login } : null;
}

export function youTrackOtherDirection(
  client: YouTrackClient,
  connection: TrackerConnection,
): Required<Pick<Tracker, "createIssue" | "getAssignee" | "setAssignee" | "findUserByEmail">> {
  const find = async (project: string, marker: string) => {
    const found = (await client.findByText(project, marker)) as unknown[];
    const issue = found.map(asObject).find((i) => carriesMarker(i.description, marker));
    return issue ? text(issue.idReadable) || null : null;
  };
  return {
    createIssue: (issue, options = {}) =>
      createOnce(issue, options, {
        find,
        async create() {
          const id = await projectEntityId(client, connection, issue.project);
          const body = {
            project: { id },
            summary: issue.summary,
            description: withMarker(issue.description, issue.marker),
          };
          const key = text(asObject(await client.createIssue(body, issue.project)).idReadable);
          if (!key)
            throw new Error(`project ${issue.project}: the created issue has no idReadable`);
          return key;
        },
      }),
    getAssignee: async (key) => mapAssignee(await client.getAssignee(key)),
    async findUserByEmail(email) {
      const users = ((await client.users(email)) as unknown[]).map(asObject).map((u) => ({
        id: text(u.login),
        display: text(u.fullName) || text(u.login),
        email: text(u.email),
      }));
      return onlyWithEmail(
        users.filter((u) => u.id),
        email,
      );
    },
    async setAssignee(key, login) {
      const assignee = mapAssignee(await client.setAssignee(key, login));
      if (!assignee) throw new Error(`${key}: YouTrack did not keep assignee ${login}`);
      return assignee;
    },
  };
}
