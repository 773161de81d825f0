/**
 * GitHub Projects v2 behind the `Tracker` port. The "issue" is a GitHub issue (`acme/web#12`);
 * its status is the option of a single-select field ("Status") on one organization project.
 *
 * Costs: a read is one query (the issue's items, plus the project's fields when they are not
 * cached: 10 minutes); a move one mutation, one more when the issue is not on the project yet
 * (`addProjectV2ItemById`); a field write one mutation once the issue was read. Item and field
 * ids are cached, so a move is at most one query and one mutation.
 *
 * Not here: transition rules (a single select has none: every option is one write away), fix
 * versions (projects have none), a PR link of our own (GitHub shows the PR on the issue when
 * the PR mentions it, which is how the issue was found).
 */
import type { TrackerConnection } from "../connection.js";
import { TrackerError } from "../errors.js";
import type { HttpDeps } from "../http.js";
import type { Tracker, TrackerIssue, WorkflowScope } from "../port.js";
import { createProjectsClient, type GitHubGraphqlAccess } from "./client.js";
import {
  completeGraph,
  ISSUE_NODE_ID,
  type IssueOnProject,
  issueKeyOf,
  mapComments,
  mapIssueOnProject,
  mapProject,
  NO_STATUS,
  type ProjectField,
  type ProjectMeta,
  parseIssueRef,
  statusesOf,
  transitionsFrom,
  updatedIssueKeys,
} from "./map.js";
import { githubProjectsOtherDirection } from "./other-direction.js";
import {
  ADD_COMMENT_MUTATION,
  ADD_ITEM_MUTATION,
  COMMENTS_QUERY,
  ISSUE_NODE_QUERY,
  ISSUE_QUERY,
  ITEMS_QUERY,
  PROJECT_QUERY,
  SET_VALUE_MUTATION,
} from "./queries.js";

export type { GitHubGraphqlAccess } from "./client.js";
export { graphqlEndpoint } from "./client.js";

export const PROJECT_TTL_MS = 10 * 60_000;
/** Issues whose ids are kept; the oldest is forgotten first. */
const MAX_CACHED_ISSUES = 10_000;
/** The poll reads at most this many pages of 100 items. */
const MAX_ITEM_PAGES = 10;

export function createGitHubProjectsTracker(
  connection: TrackerConnection,
  access: GitHubGraphqlAccess,
  deps: HttpDeps,
): Tracker {
  const project = connection.project;
  if (!project)
    throw new Error(`connection "${connection.name}" (github-projects) names no project`);
  const statusField = connection.statusField ?? "Status";
  const client = createProjectsClient(connection, project.owner, access, deps);
  const where = `project ${project.owner} #${project.number}`;
  const scope: WorkflowScope = {
    project: `${project.owner}/${project.number}`,
    issueType: statusField,
    name: `${where} (${statusField})`,
  };
  const vars = { org: project.owner, project: project.number };
  const fail = (kind: TrackerError["kind"], message: string) =>
    new TrackerError(kind, message, { connection: connection.name });

  let meta: { value: ProjectMeta; at: number } | undefined;
  const issues = new Map<string, IssueOnProject>();
  const remember = (key: string, found: IssueOnProject) => {
    issues.delete(key);
    issues.set(key, found);
    if (issues.size > MAX_CACHED_ISSUES) issues.delete(issues.keys().next().value as string);
  };

  const fresh = () => (meta && Date.now() - meta.at < PROJECT_TTL_MS ? meta.value : undefined);
  const keep = (organization: unknown): ProjectMeta => {
    const value = mapProject(organization);
    if (!value) throw fail("not_found", `${where} not found in ${connection.name}`);
    meta = { value, at: Date.now() };
    return value;
  };
  const readProject = async (refresh = false): Promise<ProjectMeta> => {
    const cached = refresh ? undefined : fresh();
    if (cached) return cached;
    const data = await client.request({
      query: PROJECT_QUERY,
      variables: vars,
      op: { what: `read ${where}` },
    });
    return keep(data.organization);
  };
  const field = (value: ProjectMeta, name: string): ProjectField => {
    const found = value.fields.find((f) => f.name.toLowerCase() === name.toLowerCase());
    if (found) return found;
    const names = value.fields.map((f) => f.name).join(", ");
    throw fail("invalid", `${where} has no field "${name}"; its fields: ${names}`);
  };
  const statusesOfProject = (value: ProjectMeta) =>
    statusesOf(field(value, statusField), connection.statusCategories);

  const ref = (key: string) => {
    const parsed = parseIssueRef(key);
    if (!parsed) throw fail("not_found", `"${key}" is not a GitHub issue (owner/repo#123)`);
    return parsed;
  };

  /**
   * One query: the issue's item on the project, and the project when not cached. `key` may be
   * the issue's node id (a `projects_v2_item` webhook's): the answer names the issue's key.
   */
  const readIssue = async (key: string) => {
    const byNode = ISSUE_NODE_ID.test(key);
    const cached = fresh();
    const data = await client.request({
      query: byNode ? ISSUE_NODE_QUERY : ISSUE_QUERY,
      variables: {
        ...(byNode ? { id: key } : ref(key)),
        statusField,
        ...vars,
        withProject: !cached,
      },
      op: { what: `read ${key}`, key },
    });
    const value = cached ?? keep(data.organization);
    const issue = byNode ? data.node : (data.repository as { issue?: unknown } | null)?.issue;
    const found = mapIssueOnProject(issue, project);
    const named = byNode ? issueKeyOf(issue) : key;
    if (!found || !named) throw fail("not_found", `issue ${key} not found in ${connection.name}`);
    remember(named, found);
    return { found, meta: value, key: named };
  };
  const known = async (key: string) => issues.get(key) ?? (await readIssue(key)).found;

  /** The issue's item, added to the project first when it is not there (one more mutation). */
  const itemOf = async (key: string, value: ProjectMeta): Promise<string> => {
    const found = await known(key);
    if (found.itemId) return found.itemId;
    const data = await client.request({
      query: ADD_ITEM_MUTATION,
      variables: { projectId: value.id, contentId: found.issueId },
      op: { what: `add ${key} to ${where}`, key },
    });
    const itemId = (data.addProjectV2ItemById as { item?: { id?: unknown } } | null)?.item?.id;
    if (typeof itemId !== "string")
      throw fail("server", `GitHub added ${key} to ${where} but named no item`);
    remember(key, { ...found, itemId });
    return itemId;
  };

  const write = async (key: string, target: ProjectField, value: Record<string, unknown>) => {
    const project = await readProject();
    const attempt = async () =>
      client.request({
        query: SET_VALUE_MUTATION,
        variables: {
          projectId: project.id,
          itemId: await itemOf(key, project),
          fieldId: target.id,
          value,
        },
        op: { what: `set ${target.name} on ${key}`, key },
      });
    try {
      await attempt();
    } catch (error) {
      // A cached item someone removed from the project since: read the issue again, once.
      if (!(error instanceof TrackerError) || error.kind !== "not_found" || !issues.has(key))
        throw error;
      issues.delete(key);
      await attempt();
    }
  };

  const tracker: Tracker = {
    connection: connection.name,
    type: "github-projects",
    ...githubProjectsOtherDirection(client, connection.name, ref, async (key) =>
      itemOf(key, await readProject()),
    ),

    async getIssue(wanted, options = {}) {
      const { found, meta: value, key } = await readIssue(wanted);
      const statuses = statusesOfProject(value);
      const status =
        (found.status && statuses.find((s) => s.key === found.status?.optionId)) ?? NO_STATUS;
      const onProject = found.itemId !== null;
      const issue: TrackerIssue = { key, aliases: [], status, scope, onProject };
      if (options.transitions) issue.transitions = transitionsFrom(statuses, status.key);
      return issue;
    },

    async executeTransition(key, optionId) {
      const value = await readProject();
      const statusFieldOf = field(value, statusField);
      await write(key, statusFieldOf, { singleSelectOptionId: optionId });
      return transitionsFrom(statusesOfProject(value), optionId);
    },

    workflow: async (_issue, options = {}) =>
      completeGraph(statusesOfProject(await readProject(options.refresh))),

    async projectWorkflow() {
      const statuses = statusesOfProject(await readProject(true));
      return { statuses, graph: completeGraph(statuses) };
    },

    // A text field by name; number fields take a number, as GitHub wants.
    async setField(key, name, text) {
      const target = field(await readProject(), name);
      if (target.dataType === "TEXT") return write(key, target, { text });
      if (target.dataType === "NUMBER" && Number.isFinite(Number(text)))
        return write(key, target, { number: Number(text) });
      throw fail(
        "invalid",
        `field "${target.name}" of ${where} is a ${target.dataType.toLowerCase()} field: trackbridge writes text (and number) fields`,
      );
    },

    async listComments(key) {
      const { owner, repo, number } = ref(key);
      const data = await client.request({
        query: COMMENTS_QUERY,
        variables: { owner, repo, number },
        op: { what: `read comments of ${key}`, key },
      });
      return mapComments((data.repository as { issue?: unknown } | null)?.issue);
    },

    async addComment(key, body) {
      const { issueId } = await known(key);
      await client.request({
        query: ADD_COMMENT_MUTATION,
        variables: { subjectId: issueId, body },
        op: { what: `comment on ${key}`, key },
      });
    },

    // GitHub shows the pull request on the issue's timeline when the PR mentions it, which is
    // how the issue was found: nothing to write.
    linkPullRequest: async (key) => {
      ref(key);
      return "exists";
    },

    addFixVersion: async () => {
      throw fail(
        "invalid",
        `GitHub Projects has no fix versions: remove release versions from the config of ${connection.name}`,
      );
    },

    // Proves what matters: the App's installation can read the project.
    async whoAmI() {
      const value = await readProject(true);
      return {
        name: `the App's installation on ${project.owner} (project "${value.title}")`,
        login: null,
      };
    },

    async someWorkflowScope() {
      await readProject(true);
      return scope;
    },

    async updatedSince(_projects, since) {
      const keys: string[] = [];
      let after: string | null = null;
      for (let page = 0; page < MAX_ITEM_PAGES; page++) {
        const data = await client.request({
          query: ITEMS_QUERY,
          variables: { ...vars, after },
          op: { what: `read the items of ${where}` },
        });
        const items = ((data.organization as { projectV2?: { items?: unknown } } | null)?.projectV2
          ?.items ?? {}) as {
          nodes?: unknown[];
          pageInfo?: { hasNextPage?: unknown; endCursor?: unknown };
        };
        keys.push(...updatedIssueKeys(items.nodes ?? [], since));
        if (items.pageInfo?.hasNextPage !== true || typeof items.pageInfo.endCursor !== "string")
          break;
        after = items.pageInfo.endCursor;
      }
      return keys;
    },
  };
  return tracker;
}
