/**
 * Each tracker's user search, as trackbridge's `match: email` calls it, over `SIM_PEOPLE`:
 * - Jira Cloud `GET /rest/api/3/user/search?query=` (matches display name and e-mail; answers
 *   `accountId`), Data Center `GET /rest/api/2/user/search?username=` (matches user name,
 *   name and e-mail; answers `name`);
 * - YouTrack `GET /api/users?query=` (login, name or e-mail contains the query; `fields`
 *   honoured by the caller's route);
 * - Yandex Tracker `GET /v2/users` (every user of the organization, paginated, with `email`).
 * Undefined when the request is none of these.
 */
import type { SimReply, SimRequest } from "./http-server.js";
import { SIM_PEOPLE, type SimPerson } from "./sim-people.js";

const contains = (person: SimPerson, query: string) =>
  [person.login, person.name, person.email].some((v) =>
    v.toLowerCase().includes(query.toLowerCase()),
  );

export function jiraUserSearch(req: SimRequest): SimReply | undefined {
  const version = /^\/rest\/api\/(2|3|latest)\/user\/search$/.exec(req.path)?.[1];
  if (!version || req.method !== "GET") return undefined;
  const query = req.query.get(version === "3" ? "query" : "username") ?? "";
  if (query === "")
    return { status: 400, body: { errorMessages: ["query is required"], errors: {} } };
  const found = SIM_PEOPLE.filter((p) => contains(p, query));
  const body = found.map((p) =>
    version === "3"
      ? { accountId: p.accountId, displayName: p.name, emailAddress: p.email, active: true }
      : { name: p.login, key: p.login, displayName: p.name, emailAddress: p.email, active: true },
  );
  return { status: 200, body };
}

export function youTrackUsers(req: SimRequest): unknown[] | undefined {
  if (!/^\/api\/users\/?$/.test(req.path) || req.method !== "GET") return undefined;
  const query = req.query.get("query") ?? "";
  return SIM_PEOPLE.filter((p) => query === "" || contains(p, query)).map((p) => ({
    $type: "User",
    id: `1-${SIM_PEOPLE.indexOf(p) + 2}`,
    login: p.login,
    fullName: p.name,
    email: p.email,
  }));
}

export function yandexUsers(req: SimRequest, uid: (login: string) => string): SimReply | undefined {
  if (!/^\/v[23]\/users\/?$/.test(req.path) || req.method !== "GET") return undefined;
  const perPage = Math.max(Number(req.query.get("perPage")) || 50, 1);
  const page = Math.max(Number(req.query.get("page")) || 1, 1);
  const all = SIM_PEOPLE.map((p) => ({
    uid: Number(uid(p.login)),
    login: p.login,
    display: p.name,
    email: p.email,
  }));
  return {
    status: 200,
    body: all.slice((page - 1) * perPage, page * perPage),
    headers: {
      "x-total-count": String(all.length),
      "x-total-pages": String(Math.max(1, Math.ceil(all.length / perPage))),
    },
  };
}
