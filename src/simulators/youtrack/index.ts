/**
 * A YouTrack REST (`/api`) simulator on loopback for tests, the demo and benchmarks. Projects
 * have the `State` field (the shared simulator workflow as a state machine: undefined
 * transitions are refused), `Type`, `Fix versions` (unless removed) and the fields below.
 *
 * @example
 * const sim = await startYouTrackSimulator({ token: "perm:abc" });
 * sim.createIssue("NP-98");
 * // createTracker({ name: "youtrack", type: "youtrack", url: sim.url, token: "perm:abc" })
 * await sim.close();
 */
import type { IncomingHttpHeaders } from "node:http";
import { createAdmin, type SimField, type TrackerSimulator } from "../shared/admin.js";
import { type SimReply, startHttpSimulator } from "../shared/http-server.js";
import { IssueStore } from "../shared/store.js";
import { defaultJiraWorkflow } from "../shared/workflow.js";
import { issueId, type RenderContext, ytError } from "./render.js";
import { handleYouTrack } from "./routes.js";

export interface YouTrackSimulatorOptions {
  /** The permanent token (`perm:…`) requests must carry as `Authorization: Bearer <token>`. */
  token: string;
  port?: number;
}

export type YouTrackSimulator = TrackerSimulator & {
  /** Removes (false) or restores the project's `Fix versions` field. */
  setVersionsField(project: string, present: boolean): void;
  /**
   * The body the Webhook Triggers app would POST for a change of the issue's State (see
   * `src/trackers/youtrack/webhook.ts` for what is taken from it).
   */
  webhookPayload(key: string, changed?: string[]): Record<string, unknown>;
};

/**
 * "Bench link" (text, `TextIssueCustomField`), "Build URL" (string, `SimpleIssueCustomField`),
 * "Story points" (integer) and "Team" (not in the projects).
 */
export function defaultYouTrackFields(): SimField[] {
  return [
    { id: "Bench link", name: "Bench link", type: "text" },
    { id: "Build URL", name: "Build URL", type: "string" },
    { id: "Story points", name: "Story points", type: "number" },
    { id: "Team", name: "Team", settable: false },
  ];
}

export async function startYouTrackSimulator(
  options: YouTrackSimulatorOptions,
): Promise<YouTrackSimulator> {
  // Jira's status categories are what YouTrack's `isResolved` needs (done = resolved).
  const store = new IssueStore(defaultJiraWorkflow);
  const fields = new Map<string, SimField>();
  const ctx: RenderContext = { store, fields, noVersions: new Set() };
  const http = await startHttpSimulator({
    port: options.port,
    errorBody: (status, message) =>
      ytError(status === 429 ? "Too Many Requests" : "error", message),
    handle: (req) => authorize(req.headers, options) ?? handleYouTrack(req, ctx),
  });
  const admin = createAdmin(http, store, fields, defaultYouTrackFields);
  const resetAdmin = admin.reset;
  return Object.assign(admin, {
    setVersionsField: (project: string, present: boolean) => {
      if (present) ctx.noVersions.delete(project);
      else ctx.noVersions.add(project);
    },
    webhookPayload: (key: string, changed: string[] = ["State"]) => {
      const issue = store.mustFind(key);
      return {
        event: "issueUpdated",
        issue: {
          id: issueId(issue),
          idReadable: issue.key,
          summary: issue.fields.summary ?? "",
          project: { shortName: issue.queue },
          state: store.status(issue).display,
        },
        changedFields: changed.map((name) => ({ name })),
      };
    },
    reset: () => {
      ctx.noVersions.clear();
      resetAdmin();
    },
  });
}

function authorize(
  headers: IncomingHttpHeaders,
  options: YouTrackSimulatorOptions,
): SimReply | undefined {
  const match = /^Bearer (.+)$/.exec(headers.authorization ?? "");
  if (match && match[1] === options.token) return undefined;
  return {
    status: 401,
    headers: { "www-authenticate": "Bearer" },
    body: ytError("Unauthorized", "You are not logged in."),
  };
}
