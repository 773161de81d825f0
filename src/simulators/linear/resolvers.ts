/**
 * What each query and mutation of the simulator's schema does to the shared store. Linear
 * resolves an issue by its identifier (`ENG-123`) or its UUID wherever an issue id is taken.
 */
import { SIM_PEOPLE } from "../shared/sim-people.js";
import { type IssueStore, isForbidden, type SimIssue } from "../shared/store.js";
import {
  attachmentUuid,
  issueUuid,
  linearError,
  page,
  renderState,
  stateUuid,
  teamUuid,
  uuidFor,
} from "./render.js";

export interface LinearUser {
  name: string;
  displayName: string;
  email: string;
}

interface Paging {
  first?: number | null;
  after?: string | null;
}
interface IssueCreateInput {
  id?: string | null;
  teamId: string;
  title?: string | null;
  description?: string | null;
  assigneeId?: string | null;
}
interface StringComparator {
  eq?: string | null;
  eqIgnoreCase?: string | null;
  in?: string[] | null;
}

/** The members besides the token's user, whom issues are assigned to. */
const MEMBERS: readonly LinearUser[] = SIM_PEOPLE.map((person) => ({
  name: person.name,
  displayName: person.login,
  email: person.email,
}));

export function createRootValue(store: IssueStore, user: LinearUser, origin: () => string) {
  const allIssues = () => store.updatedSince(store.queues(), 0);
  const renderUser = (u: LinearUser) => ({ id: uuidFor(`user:${u.email}`), ...u });
  // Rendered once: the members never change, and their ids are hashes.
  const people = [user, ...MEMBERS].map(renderUser);
  /** The store keeps an assignee by `displayName`. */
  const assigneeOf = (issue: SimIssue) =>
    people.find((u) => u.displayName === issue.assignee) ?? null;
  const personById = (id: string) => {
    const person = people.find((u) => u.id === id);
    if (!person) {
      throw linearError(
        "Entity not found: User",
        "INVALID_INPUT",
        "Could not find referenced User.",
      );
    }
    return person;
  };

  const find = (id: string, write: boolean): SimIssue => {
    const issue = store.find(id) ?? allIssues().find((i) => issueUuid(i) === id);
    if (!issue) {
      throw linearError(
        "Entity not found: Issue",
        "INVALID_INPUT",
        "Could not find referenced Issue.",
      );
    }
    if (isForbidden(issue, write)) {
      throw linearError("Forbidden", "FORBIDDEN", "You don't have access to this issue.");
    }
    return issue;
  };

  const renderTeam = (key: string) => {
    const workflow = store.workflowFor(key);
    const states = workflow.statuses.map((status, index) => renderState(key, status, index));
    const initial = workflow.statuses.findIndex((s) => s.key === workflow.initial);
    return {
      id: teamUuid(key),
      key,
      name: key,
      defaultIssueState: states[Math.max(0, initial)] ?? null,
      states: (args: Paging) => page(states, args),
    };
  };

  const renderIssue = (issue: SimIssue) => {
    const workflow = store.workflowFor(issue.queue);
    const status = store.status(issue);
    return {
      id: issueUuid(issue),
      identifier: issue.key,
      title: String(issue.fields.summary ?? issue.key),
      description: typeof issue.fields.description === "string" ? issue.fields.description : null,
      assignee: assigneeOf(issue),
      url: `${origin()}/issue/${issue.key}`,
      updatedAt: new Date(Date.parse(issue.updatedAt)).toISOString(),
      state: renderState(issue.queue, status, workflow.statuses.indexOf(status)),
      team: renderTeam(issue.queue),
      comments: (args: Paging) =>
        page(
          issue.comments.map((c) => ({ id: uuidFor(`comment:${c.id}`), body: c.text })),
          args,
        ),
      attachments: (args: Paging & { filter?: { url?: StringComparator } | null }) =>
        page(
          issue.links
            .filter((l) => matches(args.filter?.url, l.url))
            .map((l) => ({ id: attachmentUuid(l), url: l.url, title: l.title })),
          args,
        ),
    };
  };

  const teamKeys = (filter: StringComparator | null | undefined) =>
    store.queues().filter((key) => matches(filter, key));

  return {
    issue: ({ id }: { id: string }) => renderIssue(find(id, false)),

    issues: (
      args: Paging & {
        filter?: {
          team?: { key?: StringComparator | null } | null;
          updatedAt?: { gte?: string | null } | null;
        } | null;
      },
    ) => {
      const since = Date.parse(args.filter?.updatedAt?.gte ?? "1970-01-01T00:00:00Z");
      if (!Number.isFinite(since)) {
        throw linearError(
          "Argument Validation Error",
          "INVALID_INPUT",
          "updatedAt.gte is not a date",
        );
      }
      const issues = store.updatedSince(teamKeys(args.filter?.team?.key), since);
      return page(issues.map(renderIssue), args);
    },

    teams: (args: Paging & { filter?: { key?: StringComparator | null } | null }) => {
      const filter = args.filter?.key;
      // A team exists once it has an issue or a workflow of its own.
      const named = [filter?.eq, ...(filter?.in ?? [])].filter((k): k is string => !!k);
      const keys = filter ? named.filter((k) => store.hasQueue(k)) : store.queues();
      return page([...new Set(keys)].map(renderTeam), args);
    },

    viewer: () => renderUser(user),

    users: (args: Paging & { filter?: { email?: StringComparator | null } | null }) =>
      page(
        people.filter((u) => matches(args.filter?.email, u.email)),
        args,
      ),

    // An `id` given twice is refused: the first create stands.
    issueCreate: ({ input }: { input: IssueCreateInput }) => {
      const team = store.queues().find((key) => teamUuid(key) === input.teamId);
      if (!team) {
        throw linearError(
          "Entity not found: Team",
          "INVALID_INPUT",
          "Could not find referenced Team.",
        );
      }
      // A client-given id is kept as the issue's `unique` (see issueUuid).
      if (input.id && store.findByUnique(input.id)) {
        throw linearError(
          "Argument Validation Error",
          "INVALID_INPUT",
          "An issue with this id already exists.",
        );
      }
      const assignee = input.assigneeId ? personById(input.assigneeId).displayName : undefined;
      const issue = store.createNext(team, {
        fields: {
          summary: input.title ?? "",
          ...(input.description ? { description: input.description } : {}),
        },
        ...(input.id ? { unique: input.id } : {}),
        ...(assignee ? { assignee } : {}),
      });
      return { success: true, issue: renderIssue(issue) };
    },

    attachmentDelete: ({ id }: { id: string }) => {
      for (const issue of allIssues()) {
        const link = issue.links.find((l) => attachmentUuid(l) === id);
        if (link?.globalId !== undefined && store.removeLink(issue, link.globalId)) {
          return { success: true, entityId: id };
        }
      }
      throw linearError(
        "Entity not found: Attachment",
        "INVALID_INPUT",
        "Could not find referenced Attachment.",
      );
    },

    issueUpdate: ({
      id,
      input,
    }: {
      id: string;
      input: { stateId?: string | null; assigneeId?: string | null };
    }) => {
      const issue = find(id, true);
      if (input.assigneeId !== undefined) {
        store.setAssignee(
          issue,
          input.assigneeId === null ? null : personById(input.assigneeId).displayName,
        );
      }
      if (input.stateId) {
        const status = store
          .workflowFor(issue.queue)
          .statuses.find((s) => stateUuid(issue.queue, s) === input.stateId);
        if (!status) {
          throw linearError(
            "Argument Validation Error",
            "INVALID_INPUT",
            "The workflow state does not belong to the issue's team.",
          );
        }
        store.setStatus(issue, status.key);
      } else if (input.assigneeId === undefined) {
        store.touch(issue);
      }
      return { success: true, issue: renderIssue(issue) };
    },

    commentCreate: ({ input }: { input: { issueId?: string | null; body?: string | null } }) => {
      if (!input.issueId || !input.body) {
        throw linearError(
          "Argument Validation Error",
          "INVALID_INPUT",
          "issueId and body are required.",
        );
      }
      const comment = store.addComment(find(input.issueId, true), input.body);
      return {
        success: true,
        comment: { id: uuidFor(`comment:${comment.id}`), body: comment.text },
      };
    },

    // Linear: "creates… or updates existing if the same url and issueId is used".
    attachmentLinkURL: (args: { issueId: string; url: string; title?: string | null }) => {
      if (!/^https?:\/\/\S+$/.test(args.url)) {
        throw linearError("Argument Validation Error", "INVALID_INPUT", "url must be a URL.");
      }
      const issue = find(args.issueId, true);
      const { link } = store.upsertLink(issue, {
        globalId: args.url,
        url: args.url,
        title: args.title ?? args.url,
      });
      return {
        success: true,
        attachment: { id: attachmentUuid(link), url: link.url, title: link.title },
      };
    },
  };
}

function matches(comparator: StringComparator | null | undefined, value: string): boolean {
  if (!comparator) return true;
  if (comparator.eq != null && comparator.eq !== value) return false;
  if (
    comparator.eqIgnoreCase != null &&
    comparator.eqIgnoreCase.toLowerCase() !== value.toLowerCase()
  ) {
    return false;
  }
  if (comparator.in != null && !comparator.in.includes(value)) return false;
  return true;
}
