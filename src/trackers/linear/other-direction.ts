/**
 * Linear's calls of the other direction, all native.
 * - Create: `issueCreate` takes the issue's `id` ("the identifier in UUID v4 format; if none
 *   is provided, the backend will generate one"), so trackbridge names the issue itself with a
 *   UUID derived from the team and the marker. After an unknown outcome, `issue(id:)` says
 *   whether the earlier try made it. Cost: 1 (the team's id, cached with its states) + 1;
 *   +1 look-up after an unknown outcome.
 * - Unlink: the PR's attachment (found by URL) is deleted (`attachmentDelete`): 2 requests.
 * - Assignee: `issueUpdate` with `assigneeId`, a Linear user id (the people map's, or the one
 *   `match: email` found through `findUserByEmail`): 1 request.
 */
import { createHash } from "node:crypto";
import type { TrackerConnection } from "../connection.js";
import { createOnce } from "../create-once.js";
import { TrackerError } from "../errors.js";
import { onlyWithEmail } from "../find-person.js";
import { asObject, text } from "../json.js";
import type { Tracker, TrackerUser } from "../port.js";
import type { LinearClient } from "./client.js";

/**
 * A UUID in v4 format that is the same for every try of one create.
 *
 * @example
 * issueIdFor("ENG", "trackbridge:acme/web#12") // "3f…-…-4…-8…-…", the same each time
 */
export function issueIdFor(team: string, marker: string): string {
  const hex = createHash("sha256").update(`trackbridge\n${team}\n${marker}`).digest("hex");
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function mapUser(user: unknown): TrackerUser | null {
  const u = asObject(user);
  const id = text(u.id);
  return id ? { id, display: text(u.name) || text(u.displayName) || id } : null;
}

export function linearOtherDirection(
  client: LinearClient,
  connection: TrackerConnection,
  teamId: (key: string) => Promise<string>,
): Required<
  Pick<Tracker, "createIssue" | "unlink" | "getAssignee" | "setAssignee" | "findUserByEmail">
> {
  const fail = (kind: TrackerError["kind"], message: string) =>
    new TrackerError(kind, message, { connection: connection.name });
  const findUserByEmail = async (email: string) => {
    const nodes = asObject(await client.usersByEmail(email)).nodes;
    const users = (Array.isArray(nodes) ? nodes : []).flatMap((node) => {
      const user = mapUser(node);
      return user ? [{ ...user, email: text(asObject(node).email) }] : [];
    });
    return onlyWithEmail(users, email);
  };
  return {
    createIssue: (issue, options = {}) =>
      createOnce(issue, options, {
        async find(team, marker) {
          try {
            return text(await client.issueKey(issueIdFor(team, marker))) || null;
          } catch (error) {
            if (error instanceof TrackerError && error.kind === "not_found") return null;
            throw error;
          }
        },
        async create() {
          const created = await client.createIssue(
            {
              id: issueIdFor(issue.project, issue.marker),
              teamId: await teamId(issue.project),
              title: issue.summary,
              description: issue.description,
            },
            issue.project,
          );
          const key = text(asObject(asObject(created).issue).identifier);
          if (!key) throw new Error(`team ${issue.project}: the created issue has no identifier`);
          return key;
        },
      }),
    async unlink(key, link) {
      const nodes = asObject(await client.attachmentExists(key, link.url)).nodes;
      const id = Array.isArray(nodes) ? text(asObject(nodes[0]).id) : "";
      if (!id) return "absent";
      await client.deleteAttachment(key, id);
      return "removed";
    },
    getAssignee: async (key) => mapUser(await client.assignee(key)),
    findUserByEmail,
    async setAssignee(key, login) {
      const assignee = mapUser(await client.assign(key, login));
      if (!assignee) throw fail("invalid", `${key}: Linear did not keep assignee ${login}`);
      return assignee;
    },
  };
}
