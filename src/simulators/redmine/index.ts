/**
 * A Redmine REST API simulator on loopback for tests, the demo and benchmarks. Issues are
 * created through the shared admin surface with a key whose number is the Redmine id
 * (`PROJ-7` is issue #7 in project "proj"); ids are unique across projects, as in Redmine.
 *
 * @example
 * const sim = await startRedmineSimulator({ token: "k3y" });
 * sim.createIssue("RM-7");
 * // createTracker({ name: "redmine", type: "redmine", url: sim.url, token: "k3y", keyPrefix: "RM" })
 * await sim.close();
 */
import type { IncomingHttpHeaders } from "node:http";
import { createAdmin, type SimField, type TrackerSimulator } from "../shared/admin.js";
import { type SimReply, startHttpSimulator } from "../shared/http-server.js";
import { numberedAdmin } from "../shared/numbered.js";
import { IssueStore } from "../shared/store.js";
import { defaultJiraWorkflow } from "../shared/workflow.js";
import { redmineErrors, redmineWebhook } from "./render.js";
import { handleRedmine } from "./routes.js";

export interface RedmineSimulatorOptions {
  /** The API key: `X-Redmine-API-Key`, `?key=`, or the user name of Basic auth. */
  token: string;
  /** Basic auth with a login and password, as Redmine also accepts. */
  basic?: { login: string; password: string };
  port?: number;
}

export type RedmineSimulator = TrackerSimulator & {
  /** A Redmine 7 webhook about the issue, signed with `secret` when given (X-Redmine-Signature-256). */
  webhook(
    key: string,
    options?: { secret?: string; event?: "issue.created" | "issue.updated" },
  ): { body: string; headers: Record<string, string> };
};

/** Issue custom fields by default: "Bench link" (#5, a link) and "Resolved by" (#6, not editable). */
export function defaultRedmineFields(): SimField[] {
  return [
    { id: "5", name: "Bench link" },
    { id: "6", name: "Resolved by", settable: false },
  ];
}

export async function startRedmineSimulator(
  options: RedmineSimulatorOptions,
): Promise<RedmineSimulator> {
  // Status ids 1, 3, 10001 … and Closed (6) as the done category: Redmine's is_closed.
  const store = new IssueStore(defaultJiraWorkflow);
  const fields = new Map<string, SimField>();
  const user = {
    id: 1,
    login: "trackbridge",
    firstname: "Track",
    lastname: "Bridge",
    // Redmine shows the current user's own key in /users/current.json.
    api_key: options.token,
  };
  const http = await startHttpSimulator({
    port: options.port,
    errorBody: (_status, message) => redmineErrors([message]),
    handle: (req) =>
      authorize(req.headers, req.query, options) ?? handleRedmine(req, { store, fields, user }),
  });
  const admin = createAdmin(http, store, fields, defaultRedmineFields);
  return Object.assign(admin, numberedAdmin(admin, store, "Redmine"), {
    webhook: (
      key: string,
      hook: { secret?: string; event?: "issue.created" | "issue.updated" } = {},
    ) =>
      redmineWebhook(
        store,
        fields,
        store.mustFind(key),
        hook.event ?? "issue.updated",
        hook.secret,
      ),
  });
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Redmine answers a missing or wrong key with 401 and no body. */
function authorize(
  headers: IncomingHttpHeaders,
  query: URLSearchParams,
  options: RedmineSimulatorOptions,
): SimReply | undefined {
  if (header(headers, "x-redmine-api-key") === options.token) return undefined;
  if (query.get("key") === options.token) return undefined;
  const basic = /^Basic (.+)$/.exec(header(headers, "authorization") ?? "");
  if (basic) {
    const [login, ...rest] = Buffer.from(basic[1]!, "base64").toString("utf8").split(":");
    const password = rest.join(":");
    if (login === options.token) return undefined;
    if (options.basic && login === options.basic.login && password === options.basic.password)
      return undefined;
  }
  return { status: 401, headers: { "www-authenticate": 'Basic realm="Redmine API"' } };
}
