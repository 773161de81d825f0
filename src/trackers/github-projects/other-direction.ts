/**
 * GitHub Projects' assignee: the issue's own (GitHub issues carry assignees; the project shows
 * them). The "tracker login" is the GitHub login itself, so the people map is not needed, but
 * a map entry still wins. Reading: 1 query, the first of the issue's assignees. Setting: 1
 * query (the issue's and the user's node ids) and 1 `updateIssue` that replaces the assignees
 * with that user.
 *
 * Creating: a repository issue (`NewIssue.project` is `owner/repo`), then added to the project.
 * GitHub has no idempotency key: the marker ends the issue's body, and after an unknown outcome
 * the repository's 30 newest issues are read for it (not search, whose index lags behind a
 * create). Cost: 2 (the repository's id, `createIssue`) + the project's add (1, and the issue
 * read it needs); +1 after an unknown outcome.
 */
import { carriesMarker, createOnce, withMarker } from "../create-once.js";
import { TrackerError } from "../errors.js";
import { asObject, text } from "../json.js";
import type { Tracker, TrackerUser } from "../port.js";
import type { ProjectsClient } from "./client.js";
import { issueKeyOf } from "./map.js";
import {
  ASSIGN_MUTATION,
  ASSIGN_TARGET_QUERY,
  ASSIGNEES_QUERY,
  CREATE_ISSUE_MUTATION,
  NEWEST_ISSUES_QUERY,
  REPOSITORY_ID_QUERY,
} from "./queries.js";

type IssueRef = { owner: string; repo: string; number: number };

/** The key of issue `number` of repository `project` (`owner/repo`), as every key is written. */
function keyIn(project: string, number: unknown): string {
  const key = issueKeyOf({ number, repository: { nameWithOwner: project } });
  if (!key) throw new Error(`${project}: the issue GitHub answered with has no number`);
  return key;
}

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
  onProject: (key: string) => Promise<unknown>,
): Required<Pick<Tracker, "createIssue" | "getAssignee" | "setAssignee">> {
  const repoOf = (project: string) => {
    const [owner, repo, extra] = project.split("/");
    if (!owner || !repo || extra !== undefined) {
      throw new TrackerError(
        "invalid",
        `${connection}: create in a repository, as owner/repo (got "${project}")`,
        {
          connection,
        },
      );
    }
    return { owner, repo };
  };
  return {
    async createIssue(issue, options = {}) {
      const where = repoOf(issue.project);
      const made = await createOnce(issue, options, {
        async find(_project, marker) {
          const data = await client.request({
            query: NEWEST_ISSUES_QUERY,
            variables: where,
            op: { what: `look in ${issue.project} for the issue created earlier` },
          });
          const nodes = asObject(asObject(asObject(data.repository).issues)).nodes;
          const found = (Array.isArray(nodes) ? nodes : [])
            .map(asObject)
            .find((node) => carriesMarker(node.body, marker));
          return found ? keyIn(issue.project, found.number) : null;
        },
        async create() {
          const repository = await client.request({
            query: REPOSITORY_ID_QUERY,
            variables: where,
            op: { what: `read repository ${issue.project}` },
          });
          const data = await client.request({
            query: CREATE_ISSUE_MUTATION,
            variables: {
              repositoryId: text(asObject(repository.repository).id),
              title: issue.summary,
              body: withMarker(issue.description, issue.marker),
            },
            op: { what: `create an issue in ${issue.project}` },
          });
          return keyIn(issue.project, asObject(asObject(data.createIssue).issue).number);
        },
      });
      // Also after a found one: the earlier try may have stopped before the add (GitHub keeps one item per issue).
      await onProject(made.key);
      return made;
    },
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
