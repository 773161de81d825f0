/**
 * GitHub Projects' assignee: the issue's own (GitHub issues carry assignees; the project shows
 * them). The "tracker login" is the GitHub login itself, so the people map is not needed, but
 * a map entry still wins. Reading: 1 query, the first of the issue's assignees. Setting: 1
 * query (the issue's and the user's node ids) and 1 `updateIssue` that replaces the assignees
 * with that user.
 */
import { TrackerError } from "../errors.js";
import { asObject, text } from "../json.js";
import type { Tracker, TrackerUser } from "../port.js";
import type { ProjectsClient } from "./client.js";
import { ASSIGN_MUTATION, ASSIGN_TARGET_QUERY, ASSIGNEES_QUERY } from "./queries.js";

type IssueRef = { owner: string; repo: string; number: number };

function firstAssignee(issue: unknown): TrackerUser | null {
  const nodes = asObject(asObject(issue).assignees).nodes;
  const user = asObject(Array.isArray(nodes) ? nodes[0] : undefined);
  const login = text(user.login);
  return login ? { id: login, display: text(user.name) || login } : null;
}

export function githubProjectsOtherDirection(
  client: ProjectsClient,
  connection: string,
  ref: (key: string) => IssueRef,
): Required<Pick<Tracker, "getAssignee" | "setAssignee">> {
  return {
    async getAssignee(key) {
      const data = await client.request({
        query: ASSIGNEES_QUERY,
        variables: ref(key),
        op: { what: `read the assignees of ${key}`, key },
      });
      return firstAssignee(asObject(asObject(data.repository).issue));
    },
    async setAssignee(key, login) {
      const target = await client.request({
        query: ASSIGN_TARGET_QUERY,
        variables: { ...ref(key), login },
        op: { what: `find ${key} and user ${login}`, key },
      });
      const issue = text(asObject(asObject(target.repository).issue).id);
      const user = text(asObject(target.user).id);
      if (!issue || !user) {
        throw new TrackerError(
          "not_found",
          `${connection}: no GitHub user ${login} to assign ${key} to`,
          {
            connection,
          },
        );
      }
      const data = await client.request({
        query: ASSIGN_MUTATION,
        variables: { issue, user },
        op: { what: `assign ${key} to ${login}`, key },
      });
      const set = firstAssignee(asObject(asObject(data.updateIssue).issue));
      if (set?.id !== login) {
        throw new TrackerError("invalid", `${connection}: GitHub did not keep ${login} on ${key}`, {
          connection,
        });
      }
      return set;
    },
  };
}
