/**
 * The Linear adapter behind the `Tracker` port (GraphQL, plain documents: `@linear/sdk`
 * resolves related objects lazily, one request each, which breaks the port's cost model).
 *
 * - A status is a team's workflow state; Linear has no transition constraints, so every
 *   state is one `issueUpdate` away and a move costs one read and one write. The team's
 *   states come with the read and with the write's answer, so the workflow graph costs
 *   nothing more.
 * - The PR link is an attachment (`attachmentLinkURL`, one per URL per issue).
 * - Linear has no custom fields: a field write becomes a link attachment titled with the
 *   field's name (emulated), so the value must be a URL.
 * - Linear has no fix versions: `addFixVersion` refuses, saying so.
 */
import type { TrackerConnection } from "../connection.js";
import { TrackerError } from "../errors.js";
import type { HttpDeps } from "../http.js";
import type { Tracker } from "../port.js";
import { createWorkflowCache, type GraphRead } from "../workflow-cache.js";
import { createLinearClient } from "./client.js";
import {
  firstTeam,
  hasNodes,
  identifiers,
  type LinearTeam,
  mapComments,
  mapIssue,
  mapState,
  mapTeam,
  mapViewer,
  scopeOf,
  teamGraph,
  transitionsFrom,
} from "./map.js";
import { linearOtherDirection } from "./other-direction.js";

/** States seen with an issue count as the team's graph for this long (the cache's TTL is longer). */
const TEAM_FRESH_MS = 60_000;

export function createLinearTracker(connection: TrackerConnection, deps: HttpDeps): Tracker {
  const client = createLinearClient(connection, deps);
  const workflows = createWorkflowCache();
  const teams = new Map<string, { team: LinearTeam; at: number }>();
  const remember = (team: LinearTeam | undefined) => {
    if (team) teams.set(team.key, { team, at: Date.now() });
  };

  const readTeam = async (key: string): Promise<LinearTeam | undefined> => {
    const connectionBody = await client.team(key);
    if (!hasNodes(connectionBody)) return undefined;
    const team = mapTeam((connectionBody as { nodes: unknown[] }).nodes[0]);
    remember(team);
    return team;
  };

  const readGraph = async (scope: { project: string }): Promise<GraphRead> => {
    const seen = teams.get(scope.project);
    const team =
      seen && Date.now() - seen.at < TEAM_FRESH_MS ? seen.team : await readTeam(scope.project);
    return team ? teamGraph(team) : { unreadable: `team ${scope.project} is not visible` };
  };

  // A team's id never changes: any team seen before will do, whatever its states' age.
  const teamId = async (key: string) => {
    const id = teams.get(key)?.team.id ?? (await readTeam(key))?.id;
    if (!id)
      throw new TrackerError("not_found", `team ${key} not found in ${connection.name}`, {
        connection: connection.name,
      });
    return id;
  };

  const invalid = (message: string) =>
    new TrackerError("invalid", message, { connection: connection.name });

  const tracker: Tracker = {
    connection: connection.name,
    type: "linear",

    async getIssue(key, options = {}) {
      const withTransitions = options.transitions === true;
      const { issue, team } = mapIssue(
        await client.issue(key, withTransitions),
        key,
        withTransitions,
      );
      remember(team);
      return issue;
    },

    // The "transition" id is the target state's id.
    async executeTransition(key, stateId) {
      const moved = await client.move(key, stateId);
      const body = moved as { state?: unknown; team?: unknown } | undefined;
      if (!body?.team) return null;
      const team = mapTeam(body.team);
      remember(team);
      return transitionsFrom(team.states, mapState(body.state).key);
    },

    workflow: (issue, options = {}) => workflows.get(issue.scope, readGraph, options.refresh),

    async projectWorkflow(teamKey) {
      const team = await readTeam(teamKey);
      if (!team) {
        throw new TrackerError("not_found", `team ${teamKey} not found in ${connection.name}`, {
          connection: connection.name,
        });
      }
      return { statuses: team.states, graph: teamGraph(team) };
    },

    // Emulated: an attachment titled with the field name (Linear has no custom fields).
    async setField(key, field, value) {
      if (!/^https?:\/\/\S+$/i.test(value.trim())) {
        throw invalid(
          `${connection.name} (Linear) has no custom fields: ${field} is written as a link attachment, so its value must be a URL (got "${value.slice(0, 80)}")`,
        );
      }
      await client.linkUrl(key, value.trim(), field, `attach ${field} to ${key}`);
    },

    listComments: async (key) => (await client.comments(key)).flatMap(mapComments),

    addComment: (key, text) => client.comment(key, text),

    // Linear attaches a URL once per issue: the read spares a write (and a notification) on repeats.
    async linkPullRequest(key, link) {
      if (hasNodes(await client.attachmentExists(key, link.url))) return "exists";
      await client.linkUrl(key, link.url, link.title, `link the pull request to ${key}`);
      return "created";
    },

    ...linearOtherDirection(client, connection, teamId),

    async addFixVersion(key, version) {
      throw invalid(
        `${connection.name} (Linear) has no fix versions: ${version} was not stamped on ${key} (the release's status move is unaffected)`,
      );
    },

    whoAmI: async () => mapViewer(await client.viewer()),

    async someWorkflowScope() {
      const team = firstTeam(await client.firstTeam());
      return team ? scopeOf(team) : null;
    },

    async updatedSince(teamKeys, since) {
      if (teamKeys.length === 0) return [];
      const pages = await client.updatedSince(teamKeys, new Date(since).toISOString());
      return pages.flatMap(identifiers);
    },
  };
  return tracker;
}
