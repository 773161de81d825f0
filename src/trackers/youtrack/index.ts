/**
 * The YouTrack adapter behind the `Tracker` port. YouTrack has no transitions API: a move sets
 * the `State` field, and the project's workflow (state-machine rules) refuses a transition it
 * does not define. So, as on Jira Data Center, routing knows only what it has seen: an issue
 * read offers every state of the project (less those refused before from where the issue
 * stands), each move that succeeds is learned as an edge, and `routes:` in the repository
 * config names the statuses to pass through. A refusal is a permanent `no_transition` error
 * whose message is the workflow's own rule. The PR link is one comment carrying its URL.
 */
import type { TrackerConnection } from "../connection.js";
import { TrackerError } from "../errors.js";
import type { HttpDeps } from "../http.js";
import { linkByComment, unlinkByComment } from "../link-by-comment.js";
import type { Tracker, TrackerStatus, WorkflowScope } from "../port.js";
import { createWorkflowCache, type GraphRead } from "../workflow-cache.js";
import { createYouTrackClient } from "./client.js";
import {
  FIX_VERSIONS_FIELD,
  fieldValue,
  mapComments,
  mapFieldTypes,
  mapIssue,
  mapState,
  mapStates,
  mapVersions,
  offeredTransitions,
  projectStates,
  stateSet,
} from "./map.js";
import { projectEntityId, youTrackOtherDirection } from "./other-direction.js";

const NO_GRAPH: GraphRead = {
  unreadable:
    "YouTrack has no REST API for a workflow's transitions: its state machine refuses undefined ones when asked",
};
/** Issues whose last seen state is remembered, so a move can learn the edge it took. */
const MAX_REMEMBERED = 5_000;

function keysOf(issues: readonly unknown[], since: number): string[] {
  return issues.flatMap((issue) => {
    const { idReadable, updated } = (issue ?? {}) as { idReadable?: unknown; updated?: unknown };
    if (typeof idReadable !== "string") return [];
    return typeof updated === "number" && updated < since ? [] : [idReadable];
  });
}

/** `YYYY-MM-DD` of an epoch-ms instant shifted by `days`. */
function day(at: number, days: number): string {
  return new Date(at + days * 86_400_000).toISOString().slice(0, 10);
}

export function createYouTrackTracker(connection: TrackerConnection, deps: HttpDeps): Tracker {
  const client = createYouTrackClient(connection, deps);
  const workflows = createWorkflowCache();
  /** Edges the workflow refused: scope, from state, to state. */
  const refused = new Set<string>();
  const standing = new Map<string, { status: TrackerStatus; scope?: WorkflowScope }>();
  /**
   * Each project's custom fields (`$type` by lower-cased name), read once: one read shared by
   * the jobs that write fields at the same time, dropped when it failed.
   */
  const projectFields = new Map<string, Promise<Map<string, { name: string; type: string }>>>();
  const fieldTypesOf = (key: string, again = false) => {
    const project = key.replace(/-\d+$/, "");
    let read = again ? undefined : projectFields.get(project);
    if (!read) {
      read = client.fieldTypes(key).then(mapFieldTypes);
      projectFields.set(project, read);
      read.catch(() => projectFields.delete(project));
    }
    return read;
  };

  const scopeId = (scope: WorkflowScope | undefined) =>
    scope ? `${scope.project}\u0000${scope.issueType}` : "";
  const refusedFrom = (scope: WorkflowScope | undefined, from: TrackerStatus) => {
    const prefix = `${scopeId(scope)}\u0000${from.key}\u0000`;
    return new Set(
      [...refused].filter((e) => e.startsWith(prefix)).map((e) => e.slice(prefix.length)),
    );
  };
  const remember = (key: string, status: TrackerStatus, scope?: WorkflowScope) => {
    standing.delete(key);
    standing.set(key, { status, ...(scope ? { scope } : {}) });
    if (standing.size > MAX_REMEMBERED) standing.delete(standing.keys().next().value as string);
  };

  const tracker: Tracker = {
    connection: connection.name,
    type: "youtrack",

    // One request either way: with transitions, the State field's set comes along.
    async getIssue(key, options = {}) {
      const withTransitions = options.transitions === true;
      const body = await client.getIssue(key, withTransitions);
      const issue = mapIssue(body, key);
      remember(issue.key, issue.status, issue.scope);
      // The read names every field of the project with its `$type`: a later write needs no read.
      const project = issue.key.replace(/-\d+$/, "");
      if (!projectFields.has(project))
        projectFields.set(project, Promise.resolve(mapFieldTypes(body)));
      if (withTransitions) {
        const states = mapStates(stateSet(body));
        issue.transitions = offeredTransitions(
          states,
          issue.status,
          refusedFrom(issue.scope, issue.status),
        );
      }
      return issue;
    },

    async executeTransition(key, transitionId, context = {}) {
      const before = standing.get(key);
      const scope = context.scope ?? before?.scope;
      let body: unknown;
      try {
        body = await client.setState(key, transitionId);
      } catch (error) {
        if (error instanceof TrackerError && error.kind === "no_transition" && before) {
          refused.add(`${scopeId(scope)}\u0000${before.status.key}\u0000${transitionId}`);
        }
        throw error;
      }
      const after = mapIssue(body, key);
      const states = mapStates(stateSet(body));
      if (before) {
        const to = states.find((s) => s.key === transitionId) ?? after.status;
        workflows.learn(scope, before.status, [{ id: to.key, display: to.display, to }]);
      }
      remember(after.key, after.status, after.scope);
      // A workflow rule may have moved the issue on: then the caller reads where it stands.
      if (after.status.key !== transitionId) return null;
      return offeredTransitions(states, after.status, refusedFrom(scope, after.status));
    },

    workflow: (issue, options = {}) =>
      workflows.get(issue.scope, async () => NO_GRAPH, options.refresh),

    // The project's states with categories; the graph is what was learned (none to read).
    async projectWorkflow(project) {
      const id = await projectEntityId(client, connection, project);
      const values = projectStates(await client.projectFields(id, project));
      if (!values) {
        throw new TrackerError(
          "invalid",
          `project ${project} in ${connection.name} has no State field: trackbridge moves issues by their State`,
          { connection: connection.name },
        );
      }
      const statuses = values.map((v) => mapState(v, values));
      const graph = await workflows.get(
        { project, issueType: "", name: project },
        async () => NO_GRAPH,
      );
      return { statuses, graph: { ...graph, statuses } };
    },

    async setField(key, field, value) {
      const wanted = field.toLowerCase();
      let types = await fieldTypesOf(key);
      // A field added to the project since it was read: read once more before refusing.
      if (!types.has(wanted)) types = await fieldTypesOf(key, true);
      const known = types.get(wanted);
      if (!known) {
        const names = [...types.values()].map((t) => `"${t.name}"`).join(", ") || "none";
        throw new TrackerError(
          "invalid",
          `no field named "${field}" in the project of ${key} in ${connection.name}; fields there: ${names}`,
          { connection: connection.name },
        );
      }
      const update = { name: known.name, $type: known.type, value: fieldValue(known.type, value) };
      await client.setCustomField(key, update, `"${known.name}"`);
    },

    listComments: async (key) => mapComments(await client.listComments(key)),

    addComment: (key, text) => client.addComment(key, text),

    linkPullRequest: (key, link) => linkByComment(tracker, key, link),

    // The link is a comment, as on Yandex Tracker: edited to say so, or deleted.
    ...youTrackOtherDirection(client, connection),

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

    // One read gives the issue's versions and the project's whole set with its id.
    async addFixVersion(key, name) {
      const read = async () => mapVersions(await client.readVersions(key));
      const { project, field } = await read();
      if (!field) {
        throw new TrackerError(
          "invalid",
          `project ${project || key} in ${connection.name} has no "${FIX_VERSIONS_FIELD}" field`,
          { connection: connection.name },
        );
      }
      if (field.current.includes(name)) return "exists";
      const existed = field.names.includes(name);
      // Issues of one release are stamped in parallel: another job may have added it first.
      if (!existed) {
        await client.createVersion(field.bundleId, name, project).catch(async (error: unknown) => {
          if (!(await read()).field?.names.includes(name)) throw error;
        });
      }
      const value = [...field.current, name].map((v) => ({ name: v }));
      await client.setCustomField(
        key,
        { name: FIX_VERSIONS_FIELD, $type: field.type, value },
        `fix version ${name}`,
      );
      return existed ? "added" : "created";
    },

    // GET /api/users/me: `fullName` and `login`.
    async whoAmI() {
      const me = (await client.me()) as { fullName?: unknown; login?: unknown } | undefined;
      const login = typeof me?.login === "string" ? me.login : null;
      return { name: typeof me?.fullName === "string" ? me.fullName : (login ?? "?"), login };
    },

    async someWorkflowScope() {
      const first = ((await client.projects("", 1)) as unknown[])[0] as
        | { shortName?: unknown }
        | undefined;
      if (typeof first?.shortName !== "string") return null;
      return { project: first.shortName, issueType: "", name: first.shortName };
    },

    // The query narrows to whole days (in the server's time zone, so one day either side);
    // each issue's `updated` then decides.
    async updatedSince(projects, since) {
      if (projects.length === 0) return [];
      const names = projects.map((p) => `{${p}}`).join(", ");
      const query = `project: ${names} updated: ${day(since, -1)} .. ${day(Date.now(), 1)}`;
      return keysOf(await client.search(query), since);
    },
  };
  return tracker;
}
