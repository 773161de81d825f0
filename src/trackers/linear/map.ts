/**
 * Pure mapping of Linear's GraphQL answers to port types. Fields used: `Issue.identifier`,
 * `Issue.state {id name type}`, `Issue.team {key name defaultIssueState states}`,
 * `WorkflowState {id name type position}`, `Comment {id body}`, `User {name displayName email}`,
 * `Team {key name}`, and `nodes`/`pageInfo` of connections.
 *
 * A status is a workflow state: key = the state's id, display = its name. Its category is the
 * state's `type`: backlog, unstarted and triage → to do (triage is where new issues from
 * integrations wait to be accepted: not started), started → in progress, completed, canceled
 * and duplicate → done.
 */
import type { WorkflowGraph } from "../../core/route.js";
import type { StatusCategory } from "../../core/types.js";
import { asObject } from "../json.js";
import type {
  TrackerComment,
  TrackerIdentity,
  TrackerIssue,
  TrackerStatus,
  TrackerTransition,
  WorkflowScope,
} from "../port.js";

/** Linear has no issue types: one workflow per team. */
export const LINEAR_ISSUE_TYPE = "issue";

const CATEGORY: Record<string, StatusCategory> = {
  triage: "todo",
  backlog: "todo",
  unstarted: "todo",
  started: "in_progress",
  completed: "done",
  canceled: "done",
  duplicate: "done",
};

export interface LinearTeam {
  /** The team's UUID (`issueCreate`'s `teamId`), when the read asked for it. */
  id?: string;
  key: string;
  name: string;
  states: TrackerStatus[];
  /** Id of the state new issues start in. */
  initial?: string;
}

function text(value: unknown, what: string): string {
  if (typeof value !== "string") throw new Error(`Linear answered without ${what}`);
  return value;
}

function field(value: unknown, name: string): unknown {
  return asObject(value)[name];
}

function nodes(connection: unknown): unknown[] {
  const list = field(connection, "nodes");
  return Array.isArray(list) ? list : [];
}

export function mapState(state: unknown): TrackerStatus {
  const type = field(state, "type");
  const category = typeof type === "string" ? CATEGORY[type] : undefined;
  return {
    key: text(field(state, "id"), "a state id"),
    display: text(field(state, "name"), "a state name"),
    ...(category ? { category } : {}),
  };
}

/** `team { key name defaultIssueState { id } states { nodes } }`, states in Linear's order. */
export function mapTeam(team: unknown): LinearTeam {
  const ordered = nodes(field(team, "states"))
    .map((node) => ({ node, position: Number(field(node, "position") ?? 0) }))
    .sort((a, b) => a.position - b.position)
    .map(({ node }) => mapState(node));
  const initial = field(field(team, "defaultIssueState"), "id");
  const id = field(team, "id");
  return {
    ...(typeof id === "string" ? { id } : {}),
    key: text(field(team, "key"), "a team key"),
    name: String(field(team, "name") ?? field(team, "key")),
    states: ordered,
    ...(typeof initial === "string" ? { initial } : {}),
  };
}

export function scopeOf(team: { key: string }): WorkflowScope {
  return { project: team.key, issueType: LINEAR_ISSUE_TYPE, name: team.key };
}

/** Any state to any other: a "transition" is the move to a state, named by the state. */
export function transitionsFrom(
  states: readonly TrackerStatus[],
  from: string,
): TrackerTransition[] {
  return states
    .filter((s) => s.key !== from)
    .map((to) => ({ id: to.key, display: to.display, to }));
}

/** The team's graph: every state reaches every other in one step. */
export function teamGraph(team: LinearTeam): WorkflowGraph {
  return {
    statuses: team.states,
    edges: team.states.flatMap((from) =>
      transitionsFrom(team.states, from.key).map((transition) => ({ from: from.key, transition })),
    ),
    ...(team.initial ? { initial: team.initial } : {}),
    source: "tracker",
  };
}

/** `data.issue`; `team` carries the states when they were asked for. */
export function mapIssue(
  issue: unknown,
  askedKey: string,
  withTransitions: boolean,
): { issue: TrackerIssue; team: LinearTeam | undefined } {
  const key = text(field(issue, "identifier"), "an issue identifier");
  const status = mapState(field(issue, "state"));
  const teamBody = field(issue, "team");
  const team = withTransitions ? mapTeam(teamBody) : undefined;
  const teamKey = text(field(teamBody, "key"), "a team key");
  return {
    issue: {
      key,
      // Linear answers an issue moved to another team under its new identifier.
      aliases: key === askedKey ? [] : [askedKey],
      status: team ? (team.states.find((s) => s.key === status.key) ?? status) : status,
      ...(team ? { transitions: transitionsFrom(team.states, status.key) } : {}),
      scope: scopeOf({ key: teamKey }),
    },
    team,
  };
}

export function mapComments(connection: unknown): TrackerComment[] {
  return nodes(connection).map((node) => ({
    id: text(field(node, "id"), "a comment id"),
    text: String(field(node, "body") ?? ""),
  }));
}

export function pageAfter(connection: unknown): string | undefined {
  const info = field(connection, "pageInfo");
  const cursor = field(info, "endCursor");
  return field(info, "hasNextPage") === true && typeof cursor === "string" ? cursor : undefined;
}

export function identifiers(connection: unknown): string[] {
  return nodes(connection)
    .map((node) => field(node, "identifier"))
    .filter((id): id is string => typeof id === "string");
}

export function firstTeam(connection: unknown): { key: string; name: string } | undefined {
  const team = nodes(connection)[0];
  const key = field(team, "key");
  return typeof key === "string" ? { key, name: String(field(team, "name") ?? key) } : undefined;
}

export function hasNodes(connection: unknown): boolean {
  return nodes(connection).length > 0;
}

/** `viewer`: the name people see; the email is the nearest thing to a login. */
export function mapViewer(viewer: unknown): TrackerIdentity {
  const email = field(viewer, "email");
  const name = field(viewer, "name") ?? field(viewer, "displayName");
  return {
    name: typeof name === "string" ? name : String(email ?? "?"),
    login: typeof email === "string" ? email : null,
  };
}

/**
 * A team as `trackbridge plan --workflow FILE` takes it: Linear's answer to a `teams` or
 * `team` query (`{ data: { teams: { nodes: [team] } } }`, `{ data: { team } }`) or the team
 * itself, with `states { nodes { id name type } }`. Undefined when the JSON is none of these.
 */
export function readTeamFile(json: unknown): WorkflowGraph | undefined {
  const data = field(json, "data") ?? json;
  const team = nodes(field(data, "teams"))[0] ?? field(data, "team") ?? data;
  const states = nodes(field(team, "states"));
  if (states.length === 0 || !states.every((s) => typeof field(s, "type") === "string")) {
    return undefined;
  }
  return teamGraph(mapTeam({ key: "team", ...asObject(team) }));
}
