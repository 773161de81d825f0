/**
 * Redmine's calls of the other direction. Creating: `POST /issues.json` (1 request); Redmine
 * has no idempotency key, so the marker ends the description and is searched for (the
 * `description=~` filter, then checked exactly) only after an unknown outcome. Unlinking: the
 * link note is edited or emptied (`PUT /journals/{id}.json`, Redmine 5.0+; an empty note
 * deletes it). The assignee is `assigned_to_id`, a Redmine user id, re-read after the write
 * as every Redmine write is (2 requests).
 */
import type { TrackerConnection } from "../connection.js";
import { carriesMarker, createOnce, withMarker } from "../create-once.js";
import { TrackerError } from "../errors.js";
import { asObject, text } from "../json.js";
import { unlinkByComment } from "../link-by-comment.js";
import type { NumericKeys } from "../numeric-key.js";
import type { Tracker, TrackerUser } from "../port.js";
import type { RedmineClient } from "./client.js";
import { issueOf } from "./map.js";

function mapAssignee(issue: unknown): TrackerUser | null {
  const user = asObject(asObject(issue).assigned_to);
  const id = user.id === undefined ? "" : String(user.id);
  return id ? { id, display: text(user.name) || id } : null;
}

export function redmineOtherDirection(
  client: RedmineClient,
  connection: TrackerConnection,
  keys: NumericKeys,
  listComments: Tracker["listComments"],
): Required<Pick<Tracker, "createIssue" | "unlink" | "getAssignee" | "setAssignee">> {
  const find = async (project: string, marker: string) => {
    const body = asObject(await client.findByDescription(project, marker));
    const issues = Array.isArray(body.issues) ? body.issues.map(asObject) : [];
    const found = issues.find((issue) => carriesMarker(issue.description, marker));
    return found?.id === undefined ? null : keys.key(String(found.id));
  };
  const refused = (message: string) =>
    new TrackerError("invalid", message, { connection: connection.name });
  const read = async (key: string) => issueOf(await client.getIssue(keys.id(key), key));
  return {
    createIssue: (issue, options = {}) =>
      createOnce(issue, options, {
        find,
        async create() {
          const body = await client.createIssue({
            project_id: issue.project,
            subject: issue.summary,
            description: withMarker(issue.description, issue.marker),
          });
          const id = asObject(asObject(body).issue).id;
          if (id === undefined)
            throw new Error(`project ${issue.project}: the created issue has no id`);
          return keys.key(String(id));
        },
      }),
    unlink: (key, link, options = {}) =>
      unlinkByComment(
        {
          listComments,
          editComment: (k, id, notes) => client.updateJournal(id, k, notes),
          deleteComment: (k, id) => client.updateJournal(id, k, ""),
        },
        key,
        link,
        options.yandexComment,
      ),
    getAssignee: async (key) => mapAssignee(await read(key)),
    async setAssignee(key, login) {
      if (!/^\d+$/.test(login)) {
        throw refused(
          `${connection.name}: Redmine assigns by user id; the people map names "${login}" (put the Redmine user's id there)`,
        );
      }
      await client.updateIssue(keys.id(key), key, `assign ${key} to user ${login}`, {
        assigned_to_id: Number(login),
      });
      const assignee = mapAssignee(await read(key));
      if (assignee?.id !== login) {
        throw refused(
          `${connection.name} did not keep user ${login} as ${key}'s assignee (Redmine drops a change the role may not make)`,
        );
      }
      return assignee;
    },
  };
}
