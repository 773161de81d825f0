/**
 * Redmine's JSON shapes as the simulator answers them (REST API, `.json` routes): issues
 * with `status {id, name, is_closed}`, `custom_fields [{id, name, value}]`, `fixed_version`,
 * `allowed_statuses` and `journals` when included; Redmine 7 webhook payloads and their
 * `X-Redmine-Signature-256` (app/models/webhook.rb: "sha256=" + hex HMAC-SHA256 of the body).
 */
import { createHmac } from "node:crypto";
import type { SimField } from "../shared/admin.js";
import type { IssueStore, SimIssue } from "../shared/store.js";
import type { SimStatus } from "../shared/workflow.js";

/** Ids are numbers in Redmine's JSON; a test workflow with word ids keeps its words. */
export function numericId(id: string): number | string {
  return /^\d+$/.test(id) ? Number(id) : id;
}

export function renderStatus(status: SimStatus) {
  return { id: numericId(status.id), name: status.display, is_closed: status.category === "done" };
}

/** One tracker (issue type) per simulator: "Task", starting in the workflow's initial status. */
export const TASK_TRACKER = { id: 1, name: "Task" };

export function renderProject(store: IssueStore, queue: string) {
  return { id: Number(store.projectId(queue)), name: queue, identifier: queue.toLowerCase() };
}

/** Redmine writes times in UTC with seconds: 2026-12-06T20:04:58Z. */
export function redmineTime(iso: string): string {
  return new Date(Date.parse(iso)).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function issueNumber(issue: SimIssue): number {
  return Number(issue.key.slice(issue.key.lastIndexOf("-") + 1));
}

/** The users issues may be assigned to: the token's own (1) and Alice (5). */
export const REDMINE_USERS = [
  { id: 1, login: "trackbridge", name: "Track Bridge" },
  { id: 5, login: "alice", name: "Alice Ames" },
] as const;

function renderAssignee(issue: SimIssue): { id: number; name: string } | undefined {
  const user = REDMINE_USERS.find((u) => u.login === issue.assignee);
  return user ? { id: user.id, name: user.name } : undefined;
}

export interface RenderIssueOptions {
  allowedStatuses?: boolean;
  journals?: boolean;
}

export function renderIssue(
  store: IssueStore,
  fields: Map<string, SimField>,
  issue: SimIssue,
  options: RenderIssueOptions = {},
) {
  const status = store.status(issue);
  const project = renderProject(store, issue.queue);
  const version = issue.fixVersions[0] ? store.findVersion(issue.fixVersions[0]) : undefined;
  const body: Record<string, unknown> = {
    id: issueNumber(issue),
    project: { id: project.id, name: project.name },
    tracker: TASK_TRACKER,
    status: renderStatus(status),
    subject: String(issue.fields.summary ?? ""),
    custom_fields: [...fields.values()].map((f) => ({
      id: numericId(f.id),
      name: f.name,
      value: issue.fields[f.id] ?? "",
    })),
    created_on: redmineTime(issue.createdAt),
    updated_on: redmineTime(issue.updatedAt),
  };
  if (version) body.fixed_version = { id: Number(version.id), name: version.name };
  const assignee = renderAssignee(issue);
  if (assignee) body.assigned_to = assignee;
  if (typeof issue.fields.description === "string") body.description = issue.fields.description;
  if (options.allowedStatuses) {
    // Issue#new_statuses_allowed_to: the workflow's targets plus the current status itself.
    const targets = store.transitions(issue).map((t) => store.statusByKey(issue.queue, t.to));
    const unique = new Map([status, ...targets].map((s) => [s.key, s]));
    body.allowed_statuses = [...unique.values()].map(renderStatus);
  }
  if (options.journals) {
    body.journals = issue.comments.map((c) => ({
      id: c.id,
      user: { id: 1, name: "Track Bridge" },
      notes: c.text,
      created_on: redmineTime(c.createdAt),
      private_notes: false,
      details: [],
    }));
  }
  return body;
}

/** Redmine's validation failures: 422 `{"errors": ["Name has already been taken"]}`. */
export function redmineErrors(messages: string[]) {
  return { errors: messages };
}

/** The body of a Redmine 7 webhook for an issue event, and the headers it is sent with. */
export function redmineWebhook(
  store: IssueStore,
  fields: Map<string, SimField>,
  issue: SimIssue,
  event: "issue.created" | "issue.updated",
  secret?: string,
): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify({
    type: event,
    timestamp: new Date().toISOString(),
    data: { issue: renderIssue(store, fields, issue) },
  });
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "user-agent": "Redmine",
  };
  if (secret) {
    headers["x-redmine-signature-256"] =
      `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
  }
  return { body, headers };
}
