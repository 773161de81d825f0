/**
 * Jira's people as the port names them: Cloud by `accountId`, Data Center by `name`. API
 * fields used: `fields.assignee` and `user/search`'s answer, each `{accountId | name,
 * displayName, emailAddress?}` (Cloud leaves out `emailAddress` when the user hides it).
 */
import type { FoundUser } from "../find-person.js";
import { asObject, text } from "../json.js";
import type { TrackerUser } from "../port.js";

/** `fields.assignee` as the port names people: Cloud's accountId, Data Center's name. */
export function mapAssignee(body: unknown): TrackerUser | null {
  return mapUser(asObject(asObject(body).fields).assignee);
}

function mapUser(value: unknown): FoundUser | null {
  const user = asObject(value);
  const id = text(user.accountId) || text(user.name);
  if (!id) return null;
  const email = text(user.emailAddress);
  return { id, display: text(user.displayName) || id, ...(email ? { email } : {}) };
}

/** `user/search`'s answer: `[{accountId | name, displayName, emailAddress?}]`. */
export function mapUsers(body: unknown): FoundUser[] {
  return (Array.isArray(body) ? body : []).flatMap((u) => mapUser(u) ?? []);
}
