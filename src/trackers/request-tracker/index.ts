/**
 * The Request Tracker adapter behind the `Tracker` port (RT 5/6, REST2). Keys are
 * `<prefix>-<ticket id>` (`RT-4521`).
 *
 * A status change is `PUT /ticket/{id}` `{"Status": …}` with `If-Match`: the ETag of the
 * last read. A 412 means the ticket changed meanwhile: it is read again and, when the status
 * is still offered, put again. RT answers 200 with result messages even when it refused a
 * change, so every write is followed by a read, and "unchanged" is reported as refused.
 * Comments go through `/comment` (internal) unless the connection says `correspond`. RT has
 * no fix versions and no webhooks in core: changes are found by the poll.
 */
import type { TrackerConnection } from "../connection.js";
import { TrackerError } from "../errors.js";
import type { HttpDeps } from "../http.js";
import { linkByComment } from "../link-by-comment.js";
import { numericKeys } from "../numeric-key.js";
import type { Tracker, TrackerIssue } from "../port.js";
import { createWorkflowCache, type GraphRead } from "../workflow-cache.js";
import { createRtClient } from "./client.js";
import { resultMessages } from "./errors.js";
import {
  type Category,
  defaultCategory,
  findCustomField,
  itemIds,
  lifecycleGraph,
  mapComments,
  mapCustomFields,
  mapFirstQueueScope,
  mapScope,
  mapStatus,
  mapTransitions,
  queueId,
} from "./map.js";
import { rtOtherDirection } from "./other-direction.js";

/** A 412 is retried this many times before the move is reported as refused. */
const MAX_PRECONDITION_RETRIES = 3;

export function createRequestTrackerTracker(
  connection: TrackerConnection,
  deps: HttpDeps,
): Tracker {
  const client = createRtClient(connection, deps);
  const keys = numericKeys(connection);
  const workflows = createWorkflowCache();
  const etags = new Map<string, string>();
  /** Categories of statuses outside the default lifecycle, per queue (asked with TicketSQL). */
  const categories = new Map<string, Category>();
  const fail = (kind: TrackerError["kind"], message: string) =>
    new TrackerError(kind, message, { connection: connection.name });

  const readGraph = async (scope: { project: string }): Promise<GraphRead> => {
    const queue = (await client.queue(scope.project)) as { Lifecycle?: unknown } | undefined;
    return lifecycleGraph(typeof queue?.Lifecycle === "string" ? queue.Lifecycle : "default");
  };

  /**
   * RT's own answer for a status the default lifecycle does not name: TicketSQL's
   * `__Inactive__` / `__Active__` meta-statuses (one or two searches, once per queue and status).
   */
  const categoryOf = async (id: string, queue: string, status: string): Promise<Category> => {
    const known = defaultCategory(status) ?? categories.get(`${queue}\u0000${status}`);
    if (known) return known;
    const is = async (meta: string) =>
      (await client.search(`id = ${id} AND Status = '${meta}'`, `read the lifecycle of ${status}`))
        .length > 0;
    const category = (await is("__Inactive__"))
      ? "done"
      : (await is("__Active__"))
        ? "in_progress"
        : "todo";
    categories.set(`${queue}\u0000${status}`, category);
    return category;
  };

  const read = async (key: string, transitions: boolean) => {
    const id = keys.id(key);
    const { body, etag } = await client.getTicket(id, key);
    if (etag) etags.set(id, etag);
    const ticket = (body ?? {}) as Record<string, unknown>;
    const name = typeof ticket.Status === "string" ? ticket.Status : "";
    const queue = queueId(ticket);
    const issue: TrackerIssue = {
      key: keys.key(id),
      aliases: [],
      status: mapStatus(name, await categoryOf(id, queue, name)),
    };
    const scope = mapScope(ticket);
    if (scope) issue.scope = scope;
    if (transitions) {
      issue.transitions = mapTransitions(
        ticket,
        (to) => defaultCategory(to) ?? categories.get(`${queue}\u0000${to}`),
      );
      workflows.learn(scope, issue.status, issue.transitions);
    }
    return { id, ticket, issue };
  };

  const tracker: Tracker = {
    connection: connection.name,
    type: "request-tracker",

    getIssue: async (key, options = {}) => (await read(key, options.transitions === true)).issue,

    async executeTransition(key, status) {
      const id = keys.id(key);
      let said = "";
      for (let attempt = 0; ; attempt++) {
        try {
          said = resultMessages(
            await client.updateTicket(
              id,
              key,
              `transition ${key}`,
              { Status: status },
              etags.get(id),
            ),
          );
          break;
        } catch (error) {
          if (!(error instanceof TrackerError) || error.status !== 412) throw error;
          if (attempt >= MAX_PRECONDITION_RETRIES) throw error;
          // Changed since our read: stand where the ticket is now, then try again if we still may.
          const now = (await read(key, true)).issue;
          if (now.status.key === status) return now.transitions ?? [];
          if (!now.transitions?.some((t) => t.id === status)) {
            throw fail(
              "invalid",
              `${key} changed in ${connection.name} while it was being moved: it is now ${now.status.display}, and ${status} is not offered from there`,
            );
          }
        }
      }
      const after = (await read(key, true)).issue;
      if (after.status.key !== status) {
        const kind = /permission denied/i.test(said) ? "forbidden" : "invalid";
        throw fail(
          kind,
          kind === "forbidden"
            ? `the token for connection "${connection.name}" lacks permission to transition ${key}: ${said}`
            : `${connection.name} kept ${key} in ${after.status.display}${said ? `: ${said}` : ""}`,
        );
      }
      return after.transitions ?? [];
    },

    workflow: (issue, options = {}) => workflows.get(issue.scope, readGraph, options.refresh),

    // A 404 here: no such queue.
    async projectWorkflow(queue) {
      const body = (await client.queue(queue)) as { id?: unknown; Name?: unknown } | undefined;
      const id = String(body?.id ?? queue);
      const graph = await workflows.get(
        { project: id, issueType: "ticket", name: `queue ${String(body?.Name ?? queue)}` },
        readGraph,
      );
      return { statuses: graph.statuses, graph };
    },

    async setField(key, field, value) {
      const { id, ticket } = await read(key, false);
      const fields = mapCustomFields(ticket);
      const target = findCustomField(fields, field);
      if (!target) {
        const names = fields.map((f) => `"${f.name}"`).join(", ") || "none";
        throw fail(
          "invalid",
          `no custom field "${field}" on ${key} in ${connection.name}; its custom fields: ${names}`,
        );
      }
      const said = resultMessages(
        await client.updateTicket(id, key, `set "${target.name}" on ${key}`, {
          CustomFields: { [target.name]: value },
        }),
      );
      const stored = findCustomField(mapCustomFields((await read(key, false)).ticket), target.name);
      if (!stored?.values.includes(value)) {
        throw fail(
          "invalid",
          `${connection.name} did not store "${target.name}" on ${key}${said ? `: ${said}` : ""}`,
        );
      }
    },

    listComments: async (key) => mapComments(await client.history(keys.id(key), key)),

    addComment: (key, text) =>
      client.addMessage(keys.id(key), key, connection.commentAs ?? "comment", text),

    // RT has no web links: one comment carrying the URL, written once.
    linkPullRequest: (key, link) => linkByComment(tracker, key, link),

    ...rtOtherDirection(client, connection, keys),

    async addFixVersion(key) {
      throw fail(
        "invalid",
        `${connection.name} is Request Tracker, which has no fix versions: remove release.version for ${key}'s repository, or stamp a custom field with bench.field`,
      );
    },

    // REST2 has no "current user": listing one queue proves the URL answers and the token is taken.
    async whoAmI() {
      await client.firstQueue();
      return { name: "the token's RT user (REST2 does not name it)", login: null };
    },

    someWorkflowScope: async () => mapFirstQueueScope(await client.firstQueue()),

    // The prefix names the whole RT, so "projects" only says whether it is asked about.
    async updatedSince(projects, since) {
      if (!projects.some((p) => p.toUpperCase() === keys.prefix)) return [];
      // TicketSQL takes 'YYYY-MM-DD HH:MM:SS'; RT reads it in UTC for a user without a time zone.
      const at = new Date(Math.floor(since / 1000) * 1000)
        .toISOString()
        .slice(0, 19)
        .replace("T", " ");
      const items = await client.search(`LastUpdated >= '${at}'`, "search for updated tickets");
      return itemIds(items).map((id) => keys.key(id));
    },
  };
  return tracker;
}
