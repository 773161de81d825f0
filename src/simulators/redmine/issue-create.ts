/**
 * The Redmine routes of the other direction: `POST /issues.json` (project by id or
 * identifier, `subject` required), `PUT /journals/{id}.json` (Redmine 5.0+: a note's new text;
 * an empty one deletes a journal that has no field changes, and every simulator journal is a
 * bare note), and `assigned_to_id` on the issue's update (a user who is not assignable is a
 * 422 "Assignee is invalid", as Redmine validates it).
 */
import type { SimReply, SimRequest } from "../shared/http-server.js";
import { createNumbered } from "../shared/numbered.js";
import type { IssueStore, SimIssue } from "../shared/store.js";
import { REDMINE_USERS, redmineErrors } from "./render.js";

/** Applies `assigned_to_id` of an update; answers the 422 that refuses it, else undefined. */
export function assign(store: IssueStore, issue: SimIssue, id: unknown): SimReply | undefined {
  if (id === null || id === "") {
    store.setAssignee(issue, null);
    return undefined;
  }
  const user = REDMINE_USERS.find((u) => String(u.id) === String(id));
  if (!user) return { status: 422, body: redmineErrors(["Assignee is invalid"]) };
  store.setAssignee(issue, user.login);
  return undefined;
}

export function createIssue(
  req: SimRequest,
  store: IssueStore,
  findProject: (ref: string) => string | undefined,
): SimReply {
  const input = (req.body as { issue?: Record<string, unknown> } | undefined)?.issue ?? {};
  const queue = findProject(String(input.project_id ?? ""));
  const errors: string[] = [];
  if (!queue) errors.push("Project cannot be blank");
  if (typeof input.subject !== "string" || input.subject.trim() === "") {
    errors.push("Subject cannot be blank");
  }
  if (errors.length > 0) return { status: 422, body: redmineErrors(errors) };
  const description = typeof input.description === "string" ? input.description : "";
  const { issue, number: next } = createNumbered(store, queue!, {
    fields: { summary: input.subject as string, description },
  });
  return { status: 201, body: { issue: { id: next, subject: issue.fields.summary } } };
}

export function updateJournal(req: SimRequest, store: IssueStore, id: string): SimReply {
  const notes = (req.body as { journal?: { notes?: unknown } } | undefined)?.journal?.notes;
  if (typeof notes !== "string") return { status: 422, body: redmineErrors(["Notes is invalid"]) };
  for (const issue of store.all()) {
    const comment = store.findComment(issue, Number(id));
    if (!comment) continue;
    if (notes.trim() === "") store.deleteComment(issue, comment.id);
    else {
      comment.text = notes;
      store.touch(issue);
    }
    return { status: 204 };
  }
  return { status: 404 };
}
