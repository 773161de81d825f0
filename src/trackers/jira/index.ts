/**
 * The Jira adapter behind the `Tracker` port (Cloud REST v3 or Data Center REST v2).
 * `setField` takes a field id (`customfield_10010`, `summary`) or a display name ("Bench
 * link"), resolved through `GET /field` once per adapter instance.
 */
import type { TrackerConnection } from "../connection.js";
import { createOnce } from "../create-once.js";
import { TrackerError } from "../errors.js";
import { onlyWithEmail } from "../find-person.js";
import type { HttpDeps } from "../http.js";
import type { Tracker, TrackerComment, WorkflowScope } from "../port.js";
import { createWorkflowCache, type GraphRead } from "../workflow-cache.js";
import { createJiraClient } from "./client.js";
import {
  findFields,
  isFieldId,
  type JiraField,
  mapCommentPage,
  mapFields,
  mapFirstProjectScope,
  mapIssue,
  mapIssueVersions,
  mapProjectId,
  mapProjectStatuses,
  mapVersionNames,
  mapWorkflows,
  textToAdf,
} from "./map.js";
import { mapAssignee, mapUsers } from "./users.js";

export function createJiraTracker(connection: TrackerConnection, deps: HttpDeps): Tracker {
  const client = createJiraClient(connection, deps);
  let fieldList: Promise<JiraField[]> | undefined;
  const workflows = createWorkflowCache();
  const readGraph = async (scope: WorkflowScope): Promise<GraphRead> => {
    if (client.version === 2) {
      return { unreadable: "Jira Data Center has no REST API for a workflow's transitions" };
    }
    const graph = mapWorkflows(await client.readWorkflows(scope.project, scope.issueType));
    return graph ?? { unreadable: `no workflow found for ${scope.name}` };
  };

  const loadFields = () => {
    fieldList ??= client.listFields().then(mapFields);
    // A failed fetch must not be cached: the next call tries again.
    fieldList.catch(() => {
      fieldList = undefined;
    });
    return fieldList;
  };

  const resolveField = async (field: string): Promise<string> => {
    if (isFieldId(field)) return field;
    const fields = await loadFields();
    const matches = findFields(fields, field);
    if (matches.length === 1) return matches[0]!.id;
    const message =
      matches.length > 1
        ? `field "${field}" matches several fields in ${connection.name} (${matches.map((f) => f.id).join(", ")}): use the field id`
        : `no field named "${field}" in ${connection.name}; custom fields there: ${customNames(fields)}`;
    throw new TrackerError("invalid", message, { connection: connection.name });
  };

  return {
    connection: connection.name,
    type: "jira",

    async getIssue(key, options = {}) {
      const withTransitions = options.transitions === true;
      const issue = mapIssue(await client.getIssue(key, withTransitions), key, withTransitions);
      if (issue.transitions) workflows.learn(issue.scope, issue.status, issue.transitions);
      return issue;
    },

    // 204: Jira does not say where the issue went or what comes next.
    async executeTransition(key, transitionId) {
      await client.executeTransition(key, transitionId);
      return null;
    },

    workflow: (issue, options = {}) => workflows.get(issue.scope, readGraph, options.refresh),

    // Project statuses need only Browse projects; the graph may be refused (then unreadable).
    async projectWorkflow(key) {
      const { statuses, mainType } = mapProjectStatuses(await client.projectStatuses(key));
      if (!mainType) {
        const graph = { statuses, edges: [], source: "learned" as const };
        return { statuses, graph: { ...graph, unreadable: `project ${key} has no issue types` } };
      }
      // Only Cloud's workflow API takes the project's id; Data Center has none to call.
      const projectId =
        client.version === 3 ? mapProjectId(await client.getProject(key), key) : key;
      const scope = {
        project: projectId,
        issueType: mainType.id,
        name: `${key} (${mainType.name})`,
      };
      const graph = await workflows.get(scope, readGraph);
      return { statuses, graph: graph.statuses.length > 0 ? graph : { ...graph, statuses } };
    },

    async setField(key, field, value) {
      const id = await resolveField(field);
      const label = id === field ? field : `"${field}" (${id})`;
      await client.editFields(key, { [id]: value }, label);
    },

    async listComments(key) {
      const all: TrackerComment[] = [];
      await client.listCommentPages(key, (body) => {
        const { comments, total } = mapCommentPage(body);
        all.push(...comments);
        return { count: comments.length, total };
      });
      return all;
    },

    addComment: (key, text) =>
      client.addComment(key, client.version === 3 ? textToAdf(text) : text),

    // Versions belong to the issue's project; a missing one is created (Administer Projects).
    async addFixVersion(key, name, options = {}) {
      const { project, fixVersions } = mapIssueVersions(await client.getFixVersions(key));
      if (fixVersions.includes(name)) return "exists";
      const exists = async () =>
        mapVersionNames(await client.listVersions(project.key)).includes(name);
      let created = false;
      // Issues of one release are stamped in parallel: the find-then-create runs alone, so
      // the version is created once whether or not Jira would refuse a duplicate name.
      const serialize = options.serializeCreate ?? ((_, create) => create());
      if (!(await exists())) {
        await serialize(`${project.key}:${name}`, async () => {
          if (await exists()) return;
          await client.createVersion(project.id, name);
          created = true;
        });
      }
      await client.addFixVersion(key, name);
      return created ? "created" : "added";
    },

    // GET /myself: `displayName`, and `emailAddress` (Cloud) or `name` (Data Center).
    async whoAmI() {
      const me = (await client.myself()) as Record<string, unknown> | undefined;
      const login = [me?.emailAddress, me?.name].find((v): v is string => typeof v === "string");
      const name = typeof me?.displayName === "string" ? me.displayName : (login ?? "?");
      return { name, login: login ?? null };
    },

    // Data Center has neither the project search nor a workflow API to try.
    someWorkflowScope: async () =>
      client.version === 2 ? null : mapFirstProjectScope(await client.firstProject()),

    async updatedSince(projects, since) {
      if (projects.length === 0) return [];
      // Relative minutes, because JQL reads an absolute date in the user's time zone.
      const minutes = Math.max(1, Math.ceil((Date.now() - since) / 60_000));
      const list = projects.map((p) => `"${p}"`).join(", ");
      return client.searchKeys(`project in (${list}) AND updated >= "-${minutes}m"`);
    },

    // Jira dedups remote links by globalId (create-or-update), so a repeat is harmless;
    // 200 means an existing link was updated.
    async linkPullRequest(key, link) {
      const status = await client.upsertRemoteLink(key, link);
      return status === 200 ? "exists" : "created";
    },

    // Jira has no idempotency key: the marker is a label, searched for only when an earlier
    // try may have created the issue without the answer arriving.
    createIssue: (issue, options = {}) =>
      createOnce(issue, options, {
        find: async (_project, marker) =>
          (
            await client.searchKeys(`labels = "${marker}"`, "search for the issue created earlier")
          )[0] ?? null,
        async create() {
          const body = await client.createIssue({
            project: { key: issue.project },
            summary: issue.summary,
            issuetype: { name: issue.type ?? "Task" },
            description: client.version === 3 ? textToAdf(issue.description) : issue.description,
            labels: [issue.marker],
          });
          const key = (body as { key?: unknown } | undefined)?.key;
          if (typeof key !== "string")
            throw new Error(`project ${issue.project}: the created issue has no key`);
          return key;
        },
      }),

    async unlink(key, link) {
      try {
        await client.deleteRemoteLink(key, link.globalId);
        return "removed";
      } catch (error) {
        if (error instanceof TrackerError && error.kind === "not_found") return "absent";
        throw error;
      }
    },

    getAssignee: async (key) => mapAssignee(await client.getAssignee(key)),

    // Cloud hides a user's e-mail by their privacy setting: the only answer then counts.
    findUserByEmail: async (email) =>
      onlyWithEmail(mapUsers(await client.searchUsers(email)), email, {
        hidden: client.version === 3,
      }),

    async setAssignee(key, login) {
      await client.setAssignee(key, login);
      return { id: login, display: login };
    },
  };
}

function customNames(fields: JiraField[]): string {
  const names = fields.filter((f) => f.custom).map((f) => `"${f.name}"`);
  if (names.length === 0) return "none";
  return names.length > 10 ? `${names.slice(0, 10).join(", ")}, …` : names.join(", ");
}
