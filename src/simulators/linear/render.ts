/**
 * The simulator's issues as Linear shows them: UUIDs for issues, teams and workflow states
 * (derived from the shared store's keys, stable for the simulator's life), the state `type`,
 * and GraphQL errors shaped as Linear's (`extensions.type` in the SDK's words, `extensions.code`).
 */
import { createHash } from "node:crypto";
import { GraphQLError } from "graphql";
import type { SimIssue, SimRemoteLink } from "../shared/store.js";
import type { SimStatus } from "../shared/workflow.js";

export type LinearStateType =
  | "triage"
  | "backlog"
  | "unstarted"
  | "started"
  | "completed"
  | "canceled";

/** A UUID-shaped id that always comes out the same for the same name. */
export function uuidFor(name: string): string {
  const hex = createHash("sha1").update(name).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The id the client gave `issueCreate` (kept in `unique`), else one derived from the issue. */
export const issueUuid = (issue: SimIssue) => issue.unique ?? uuidFor(`issue:${issue.seq}`);
/** An attachment is one of the store's remote links. */
export const attachmentUuid = (link: SimRemoteLink) => uuidFor(`attachment:${link.id}`);
export const teamUuid = (team: string) => uuidFor(`team:${team}`);
/** States are per team in Linear: "In Progress" of ENG and of OPS are two states. */
export const stateUuid = (team: string, status: SimStatus) =>
  uuidFor(`state:${team}:${status.key}`);

/** The status's Linear type; workflows written for the other trackers carry Jira's category. */
export function stateType(status: SimStatus): LinearStateType {
  if (status.linearType) return status.linearType;
  if (status.category === "done") return "completed";
  if (status.category === "indeterminate") return "started";
  return "unstarted";
}

export function renderState(team: string, status: SimStatus, position: number) {
  return {
    id: stateUuid(team, status),
    name: status.display,
    type: stateType(status),
    position,
  };
}

/** An error as Linear answers it; `type` is the SDK's error type string ("invalid input" …). */
export function linearError(
  message: string,
  code: "INVALID_INPUT" | "AUTHENTICATION_ERROR" | "FORBIDDEN" | "RATELIMITED" | "INTERNAL_ERROR",
  userPresentableMessage?: string,
): GraphQLError {
  return new GraphQLError(message, {
    extensions: {
      code,
      type: code.toLowerCase().replace("_", " "),
      ...(userPresentableMessage ? { userPresentableMessage } : {}),
    },
  });
}

/** The body of an answer that carries only errors (auth, rate limit, injected faults). */
export function errorBody(message: string, code: Parameters<typeof linearError>[1]) {
  return { errors: [linearError(message, code).toJSON()] };
}

/** Cursor pagination over an array: the cursor is the index of the next node. */
export function page<T>(
  items: readonly T[],
  args: { first?: number | null; after?: string | null },
) {
  const start = args.after ? Number(args.after) : 0;
  const size = Math.min(Math.max(args.first ?? 50, 1), 250);
  const nodes = items.slice(start, start + size);
  const end = start + nodes.length;
  return {
    nodes,
    pageInfo: { hasNextPage: end < items.length, endCursor: nodes.length > 0 ? String(end) : null },
  };
}
