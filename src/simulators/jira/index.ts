/**
 * A Jira simulator on loopback: Cloud (REST v3 and v2, Basic email:token) or Data Center
 * (REST v2 only, Bearer PAT).
 *
 * @example
 * const sim = await startJiraSimulator({ email: "bot@acme.test", token: "t0k", apiVersion: 3 });
 * sim.createIssue("PROJ-1", { status: "Open" });
 * // createTracker({ name: "jira", type: "jira", url: sim.url, email: "bot@acme.test", token: "t0k" })
 * await sim.close();
 */
import type { IncomingHttpHeaders } from "node:http";
import { createAdmin, type SimField, type TrackerSimulator } from "../shared/admin.js";
import { type SimReply, startHttpSimulator } from "../shared/http-server.js";
import { IssueStore } from "../shared/store.js";
import { defaultJiraWorkflow } from "../shared/workflow.js";
import { jiraError } from "./render.js";
import { handleJira } from "./routes.js";

export interface JiraSimulatorOptions {
  /** Cloud: Basic auth with email:token. Defaults to "bot@example.test" on v3. */
  email?: string;
  token: string;
  /** 3 = Cloud (serves /rest/api/3 and /rest/api/2); 2 = Data Center (only /rest/api/2, Bearer PAT). */
  apiVersion: 2 | 3;
  port?: number;
}

export type JiraSimulator = TrackerSimulator & {
  /**
   * What Jira Cloud's `X-RateLimit-Limit` / `-Remaining` (and `X-RateLimit-NearLimit: true`
   * below 20 %) say on every answer; null (the default) sends none.
   */
  setRateLimit(budget: { limit: number; remaining: number } | null): void;
};

/** System fields plus "Bench link" (10010), "Story points" (10020, number), "Team" (10030, not on the screen). */
export function defaultJiraFields(): SimField[] {
  return [
    { id: "summary", name: "Summary" },
    { id: "description", name: "Description" },
    { id: "labels", name: "Labels" },
    { id: "status", name: "Status", settable: false },
    { id: "customfield_10010", name: "Bench link" },
    { id: "customfield_10020", name: "Story points", type: "number" },
    { id: "customfield_10030", name: "Team", settable: false },
  ];
}

export async function startJiraSimulator(options: JiraSimulatorOptions): Promise<JiraSimulator> {
  const email = options.email ?? (options.apiVersion === 3 ? "bot@example.test" : undefined);
  const versions = new Set(options.apiVersion === 3 ? ["2", "3"] : ["2", "latest"]);
  const store = new IssueStore(defaultJiraWorkflow);
  const fields = new Map<string, SimField>();
  let budget: { limit: number; remaining: number } | null = null;
  const http = await startHttpSimulator({
    port: options.port,
    errorBody: (_status, message) => jiraError([message]),
    rateLimitHeaders: () => ({
      "x-ratelimit-limit": "100",
      "x-ratelimit-remaining": "0",
      "ratelimit-reason": "jira-burst-based",
    }),
    replyHeaders: () => (budget ? budgetHeaders(budget) : {}),
    handle: (req) =>
      authorize(req.headers, { ...options, email }) ?? handleJira(req, { store, fields, versions }),
  });
  const admin = createAdmin(http, store, fields, defaultJiraFields);
  const resetAdmin = admin.reset;
  return Object.assign(admin, {
    setRateLimit: (next: { limit: number; remaining: number } | null) => {
      budget = next;
    },
    reset: () => {
      budget = null;
      resetAdmin();
    },
  });
}

function budgetHeaders(budget: { limit: number; remaining: number }): Record<string, string> {
  return {
    "x-ratelimit-limit": String(budget.limit),
    "x-ratelimit-remaining": String(budget.remaining),
    ...(budget.remaining < budget.limit * 0.2 ? { "x-ratelimit-nearlimit": "true" } : {}),
  };
}

function authorize(
  headers: IncomingHttpHeaders,
  options: JiraSimulatorOptions,
): SimReply | undefined {
  const value = headers.authorization ?? "";
  const basic = /^Basic (.+)$/.exec(value);
  if (basic && options.email !== undefined) {
    const decoded = Buffer.from(basic[1]!, "base64").toString("utf8");
    if (decoded === `${options.email}:${options.token}`) return undefined;
  }
  // Personal access tokens exist on Data Center only; Cloud API tokens need Basic.
  const bearer = /^Bearer (.+)$/.exec(value);
  if (bearer && options.apiVersion === 2 && bearer[1] === options.token) return undefined;
  return {
    status: 401,
    headers: { "www-authenticate": 'Basic realm="protected-area"' },
    body: jiraError(["Client must be authenticated to access this resource."]),
  };
}
