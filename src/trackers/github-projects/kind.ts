/**
 * GitHub Projects v2 as a tracker kind: the "issue" is a GitHub issue (`acme/web#12`), its
 * status a single-select field of one organization project, reached through the App's own
 * installation (no url or token of its own). Project changes reach the App as GitHub's own
 * `projects_v2_item` webhooks (handlers/plan-project-item.ts), so there is no tracker webhook.
 */
import { z } from "zod";
import type { StatusCategory } from "../../core/types.js";
import type { TrackerConnection } from "../connection.js";
import { capabilityTable, type TrackerKind } from "../kind.js";
import { type GitHubGraphqlAccess, webGraphqlEndpoint } from "./client.js";
import { createGitHubProjectsTracker } from "./index.js";
import { readProjectFile } from "./map.js";

const capabilities = capabilityTable({
  native: {
    read: "the issue's item and its single-select option (one query)",
    routed_move: "any option is one mutation away",
    field_write: "a text field of the project",
    comment: "an issue comment",
    create_issue:
      "a repository issue (`createIssue`) added to the project; the marker ends its body, looked for among the 30 newest only after an unknown outcome",
    set_assignee: "the issue's assignees (`updateIssue`), by GitHub login: no map needed",
    poll: "the project's items by `updatedAt`",
  },
  emulated: {
    transitions: "a single select has no rules: every option is one write away",
    workflow_graph: "the field's options, all connected",
    pr_link: "nothing written: GitHub shows the PR on the issue that it mentions",
  },
  unavailable: {
    fix_versions: "GitHub Projects has no fix versions",
    webhooks:
      "no endpoint of its own: a Status change reaches the App as GitHub's projects_v2_item, on the App's webhook",
    find_user_by_email: "the people are GitHub users already: there is no other login to find",
    unlink:
      "trackbridge writes no link here: GitHub shows the PR on the issue it mentions, and only editing the PR takes that off",
  },
});

const mode = { label: "GitHub Projects", capabilities };

const PERMISSION: Record<string, string> = {
  set_field: "the token's \"Projects: Read and write\" permission on the project's organization",
  move: "the token's \"Projects: Read and write\" permission on the project's organization",
  comment: "the token's \"Issues: Read and write\" permission on the issue's repository",
  link: "nothing: GitHub shows the pull request on the issue itself",
  fix_version: "nothing: GitHub Projects has no fix versions",
};

const CATEGORY = z.enum(["todo", "in_progress", "done"]);
const PROJECT_SHAPE =
  "an organization project, as acme/3 or https://github.com/orgs/acme/projects/3";

/**
 * The Action's way in: its own token (an App installation token, or a fine-grained token with
 * "Projects: Read and write") on the GitHub at the connection's url.
 */
function tokenAccess(connection: TrackerConnection): GitHubGraphqlAccess | undefined {
  if (!connection.token || !connection.url) return undefined;
  const { token } = connection;
  return { endpoint: webGraphqlEndpoint(connection.url), token: async () => token };
}

export const githubProjectsKind: TrackerKind = {
  type: "github-projects",
  label: "GitHub Projects",
  keys: { style: "github" },
  githubLogins: true,
  projectHelp: "GitHub project (owner/number)",
  connection: {
    credentials: "none",
    fields: {
      project: z.string().transform((value, ctx) => {
        const project = githubProject(value);
        if (project) return project;
        ctx.addIssue({
          code: "custom",
          message: `expected an organization project as acme/3 or https://github.com/orgs/acme/projects/3 (got "${value}")`,
        });
        return z.NEVER;
      }),
      status_field: z.string().min(1).optional(),
      categories: z.record(z.string(), CATEGORY).optional(),
    },
    env: { project: "TRACKER_PROJECT", status_field: "TRACKER_STATUS_FIELD" },
    // The Action's `project` input arrives as written; the file's and TRACKER_PROJECT parsed.
    toConnection: (fields) => ({
      project:
        typeof fields.project === "string"
          ? githubProject(fields.project)
          : (fields.project as { owner: string; number: number }),
      statusField: fields.status_field as string | undefined,
      statusCategories: fields.categories as Record<string, StatusCategory> | undefined,
    }),
  },
  modes: [mode],
  modeOf: () => mode,
  create(connection, deps) {
    const access = deps.github ?? tokenAccess(connection);
    if (!access) {
      throw new Error(`connection "${connection.name}" (github-projects) needs GitHub access`);
    }
    return createGitHubProjectsTracker(connection, access, deps);
  },
  workflowFile: {
    what: "a GitHub project (its fields, as the organization { projectV2 } query answers)",
    read: readProjectFile,
  },
  // On GitHub Enterprise Server the page is on the server's own host (the connection's url).
  issueUrl(connection, key) {
    const match = /^([\w.-]+)\/([\w.-]+)#(\d+)$/.exec(key);
    const web = (connection.url || "https://github.com").replace(/\/+$/, "");
    return match ? `${web}/${match[1]}/${match[2]}/issues/${match[3]}` : undefined;
  },
  doctor: {
    projectWord: "project",
    tokenFix: () =>
      'give the GitHub App the "Projects: Read and write" organization permission and install it on the project\'s organization',
    forbidden: "token",
    workflowFix: () => "let the App's installation read the project",
    projectNotFound: (connection) =>
      `check the project of connection "${connection.name}" (TRACKER_PROJECT, or project: in TRACKBRIDGE_CONNECTIONS): an organization project as acme/3, which the App's installation on that organization can see`,
  },
  action: {
    inputs: { project: { field: "project" }, "status-field": { field: "status_field" } },
    check(given, issue) {
      if (given.project === undefined) {
        issue("project", `is required for tracker github-projects: ${PROJECT_SHAPE}`);
      } else if (!githubProject(given.project)) {
        issue("project", `must be ${PROJECT_SHAPE} (got ${JSON.stringify(given.project)})`);
      }
    },
    urlFromRunner: true,
    credentialHint: () =>
      'Check the "token" input: a token with "Projects: Read and write" on the project\'s organization.',
    forbiddenHint: (_connection, change) =>
      `The token needs ${PERMISSION[change] ?? PERMISSION.set_field}.`,
  },
};

/**
 * `acme/3`, or the project's address (`https://github.com/orgs/acme/projects/3`).
 *
 * @example
 * githubProject("https://github.com/orgs/acme/projects/3") // { owner: "acme", number: 3 }
 */
export function githubProject(value: string): { owner: string; number: number } | undefined {
  const match =
    /^(?:https?:\/\/[^/]+\/orgs\/)?([A-Za-z0-9][A-Za-z0-9-]*)(?:\/|\/projects\/)([1-9]\d*)\/?$/.exec(
      value.trim(),
    );
  return match ? { owner: match[1]!, number: Number(match[2]) } : undefined;
}
