/**
 * Request Tracker's calls of the other direction.
 * - Create: `POST /ticket` (RT::Ticket->Create) with the marker as a `RefersTo` link, a URI
 *   TicketSQL finds (`RefersTo = '<marker>'`) without full-text search (off by default in
 *   RT). The search runs only after an unknown outcome. Cost: 1, +1 search.
 * - Owner: `PUT /ticket/{id}` with `Owner` (a user name), then a re-read: RT answers a
 *   refused change 200 with a message, so only the re-read says it was kept. Cost: 2.
 */
import type { TrackerConnection } from "../connection.js";
import { createOnce } from "../create-once.js";
import { TrackerError } from "../errors.js";
import { asObject, text } from "../json.js";
import type { NumericKeys } from "../numeric-key.js";
import type { Tracker, TrackerUser } from "../port.js";
import type { RtClient } from "./client.js";
import { itemIds } from "./map.js";

function mapOwner(ticket: unknown): TrackerUser | null {
  const owner = text(asObject(asObject(ticket).Owner).id);
  return owner && owner !== "Nobody" ? { id: owner, display: owner } : null;
}

export function rtOtherDirection(
  client: RtClient,
  connection: TrackerConnection,
  keys: NumericKeys,
): Required<Pick<Tracker, "createIssue" | "getAssignee" | "setAssignee">> {
  const owner = async (key: string) => mapOwner((await client.getTicket(keys.id(key), key)).body);
  return {
    createIssue: (issue, options = {}) =>
      createOnce(issue, options, {
        async find(_queue, marker) {
          const found = itemIds(
            await client.search(`RefersTo = '${marker}'`, "search for the ticket created earlier"),
          );
          return found[0] ? keys.key(found[0]) : null;
        },
        async create() {
          const body = await client.createTicket({
            Queue: issue.project,
            Subject: issue.summary,
            Content: issue.description,
            ContentType: "text/plain",
            RefersTo: issue.marker,
          });
          const id = text(asObject(body).id);
          if (!id) throw new Error(`queue ${issue.project}: the created ticket has no id`);
          return keys.key(id);
        },
      }),
    getAssignee: owner,
    async setAssignee(key, login) {
      const said = await client.updateTicket(keys.id(key), key, `give ${key} to ${login}`, {
        Owner: login,
      });
      const now = await owner(key);
      if (now?.id !== login) {
        const messages = Array.isArray(said) ? said.map(String).join("; ") : "";
        throw new TrackerError(
          "invalid",
          `${connection.name} kept ${key}'s owner ${now?.id ?? "Nobody"}: RT said ${messages || "nothing"}`,
          { connection: connection.name },
        );
      }
      return now;
    },
  };
}
