/**
 * The Yandex Tracker adapter behind the `Tracker` port. Tracker has no web links for an
 * arbitrary URL (remote links need a registered application), so a pull request is linked by
 * one comment carrying its URL, posted once.
 */
import { ExpiringCache } from "../../core/expiring-cache.js";
import type { TrackerConnection } from "../connection.js";
import { TrackerError } from "../errors.js";
import { type FoundUser, onlyWithEmail } from "../find-person.js";
import type { HttpDeps } from "../http.js";
import { asObject, text } from "../json.js";
import { linkByComment, unlinkByComment } from "../link-by-comment.js";
import type { Tracker, TrackerStatus, WorkflowScope } from "../port.js";
import { createWorkflowCache, type GraphRead } from "../workflow-cache.js";
import { createYandexClient } from "./client.js";
import {
  mapAssignee,
  mapComments,
  mapCreatedKey,
  mapFirstQueueScope,
  mapFixVersions,
  mapIssue,
  mapTransitions,
  mapVersions,
  mapWorkflow,
  queueWorkflowIds,
  workflowIdFor,
} from "./map.js";

const USERS_TTL_MS = 60 * 60_000;

function hasTargets(body: unknown): boolean {
  const transitions = (body as { transitions?: unknown } | null)?.transitions;
  return (
    Array.isArray(transitions) &&
    transitions.every((t) => typeof (t as { to?: { key?: unknown } })?.to?.key === "string")
  );
}

function keysOf(issues: readonly unknown[]): string[] {
  return issues
    .map((issue) => (issue as { key?: unknown } | null)?.key)
    .filter((key): key is string => typeof key === "string");
}

export function createYandexTracker(connection: TrackerConnection, deps: HttpDeps): Tracker {
  const client = createYandexClient(connection, deps);
  const workflows = createWorkflowCache();
  // The organization's users, read page by page: once an hour, not once per person looked up.
  const users = new ExpiringCache<"all", FoundUser[]>({
    maxEntries: 1,
    ttlMs: USERS_TTL_MS,
    now: Date.now,
  });
  const readUsers = async () =>
    (await client.users()).map(asObject).map((u) => ({
      id: text(u.login),
      display: text(u.display) || text(u.login),
      email: text(u.email),
    }));

  const readGraph = async (scope: WorkflowScope): Promise<GraphRead> => {
    const id = workflowIdFor(await client.queueWorkflows(scope.project), scope.issueType);
    if (id === undefined)
      return { unreadable: `queue ${scope.project} binds no workflow to type ${scope.issueType}` };
    const [workflow, statuses] = await Promise.all([client.workflow(id), client.statuses()]);
    return mapWorkflow(workflow, statuses);
  };

  const tracker: Tracker = {
    connection: connection.name,
    type: "yandex",

    async getIssue(key, options = {}) {
      const withTransitions = options.transitions === true;
      const body = await client.getIssue(key, withTransitions);
      const issue = mapIssue(body, key, withTransitions);
      // The docs name `expand=transitions` but do not show its shape: when it does not carry
      // each transition's target status, ask the documented list instead (one more call).
      if (withTransitions && !hasTargets(body)) {
        issue.transitions = mapTransitions(await client.listTransitions(issue.key));
      }
      if (issue.transitions) workflows.learn(issue.scope, issue.status, issue.transitions);
      return issue;
    },

    async executeTransition(key, transitionId, context = {}) {
      const next = mapTransitions(await client.executeTransition(key, transitionId));
      if (context.to) workflows.learn(context.scope, context.to, next);
      return next;
    },

    workflow: (issue, options = {}) => workflows.get(issue.scope, readGraph, options.refresh),

    // The queue's statuses are those of the workflows bound to it: a 404 here means no such queue.
    async projectWorkflow(queue) {
      const ids = queueWorkflowIds(await client.queueWorkflows(queue));
      if (ids.length === 0) {
        throw new TrackerError(
          "not_found",
          `queue ${queue} in ${connection.name} has no workflow`,
          {
            connection: connection.name,
          },
        );
      }
      const [statuses, ...workflowBodies] = await Promise.all([
        client.statuses(),
        ...ids.map((id) => client.workflow(id)),
      ]);
      const graphs = workflowBodies.map((body) => mapWorkflow(body, statuses));
      const byKey = new Map<string, TrackerStatus>();
      for (const status of graphs.flatMap((graph) => graph.statuses)) {
        if (!byKey.has(status.key)) byKey.set(status.key, status);
      }
      return { statuses: [...byKey.values()], graph: graphs[0]! };
    },

    // Global fields are top-level keys of the issue; the field id is used as given.
    setField: (key, field, value) => client.patchIssue(key, { [field]: value }),

    listComments: async (key) => mapComments(await client.listComments(key)),

    addComment: (key, text) => client.addComment(key, text),

    // Versions belong to the issue's queue; the issue names them by id in `fixVersions`.
    async addFixVersion(key, name, options = {}) {
      const body = await client.getIssue(key, false);
      const { queue, fixVersions } = mapFixVersions(body, key);
      if (fixVersions.some((v) => v.name === name)) return "exists";
      const find = async () =>
        mapVersions(await client.listVersions(queue)).find((v) => v.name === name);
      let created = false;
      // Issues of one release are stamped in parallel, and nothing documents that Tracker
      // refuses a second version of one name: the find-then-create runs alone.
      const findOrCreate = async () => {
        const found = await find();
        if (found) return found;
        created = true;
        return mapVersions([await client.createVersion(queue, name)])[0];
      };
      const serialize = options.serializeCreate ?? ((_, create) => create());
      const version = (await find()) ?? (await serialize(`${queue}:${name}`, findOrCreate));
      if (!version) throw new Error(`queue ${queue}: the created version ${name} has no id`);
      await client.patchIssue(key, { fixVersions: { add: [version.id] } });
      return created ? "created" : "added";
    },

    // GET /v2/myself: `display` (the name) and `login`.
    async whoAmI() {
      const me = (await client.myself()) as { display?: unknown; login?: unknown } | undefined;
      const login = typeof me?.login === "string" ? me.login : null;
      return { name: typeof me?.display === "string" ? me.display : (login ?? "?"), login };
    },

    someWorkflowScope: async () => mapFirstQueueScope(await client.firstQueue()),

    async updatedSince(projects, since) {
      if (projects.length === 0) return [];
      // Tracker writes UTC as +0000, and takes it back in filters.
      const iso = new Date(since).toISOString().replace("Z", "+0000");
      return keysOf(await client.searchUpdated(projects, iso));
    },

    linkPullRequest: (key, link) => linkByComment(tracker, key, link),

    // `unique` makes a repeat answer 409 whatever the earlier try's outcome: then find it.
    async createIssue(issue) {
      const fields = {
        queue: issue.project,
        summary: issue.summary,
        description: issue.description,
        unique: issue.marker,
        ...(issue.type ? { type: issue.type } : {}),
      };
      try {
        const key = mapCreatedKey(await client.createIssue(fields));
        if (!key) throw new Error(`queue ${issue.project}: the created issue has no key`);
        return { key, created: true };
      } catch (error) {
        if (!(error instanceof TrackerError) || error.status !== 409) throw error;
        const key = mapCreatedKey(await client.findByUnique(issue.marker));
        if (!key) throw error;
        return { key, created: false };
      }
    },

    unlink: (key, link, options = {}) =>
      unlinkByComment(
        {
          listComments: tracker.listComments,
          editComment: (k, id, text) => client.editComment(k, id, text),
          deleteComment: (k, id) => client.deleteComment(k, id),
        },
        key,
        link,
        options.yandexComment,
      ),

    getAssignee: async (key) => mapAssignee(await client.getIssue(key, false)),

    // No search by e-mail: the organization's users, matched here; `setAssignee` takes the login.
    findUserByEmail: async (email) => onlyWithEmail(await users.get("all", readUsers), email),

    async setAssignee(key, login) {
      const assignee = mapAssignee(await client.patchIssueBody(key, { assignee: login }));
      if (!assignee) throw new Error(`${key}: the tracker did not keep assignee ${login}`);
      return assignee;
    },
  };
  return tracker;
}
