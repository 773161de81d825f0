/**
 * Linear as a tracker kind: an API key (or an OAuth token with `auth_scheme: Bearer`), the
 * team's workflow states, signed and dated webhooks. What Linear lacks is declared here:
 * no custom fields (the bench URL is an attachment), no fix versions.
 */
import { z } from "zod";
import { capabilityTable, type TrackerKind } from "../kind.js";
import { createLinearTracker } from "./index.js";
import { readTeamFile } from "./map.js";
import { readLinearWebhook } from "./webhook.js";

const capabilities = capabilityTable({
  native: {
    read: "the state's `type` is the category",
    workflow_graph: "the team's states, read with the issue",
    routed_move: "any state is one step away",
    pr_link: "`attachmentLinkURL`, one per URL",
    webhooks: "`Linear-Signature` (HMAC), refused past 60 s",
    poll: "issues by `updatedAt`",
    create_issue:
      "`issueCreate` with trackbridge's own UUID for the issue, looked up by it only after an unknown outcome",
    unlink: "`attachmentDelete` of the PR's attachment",
    set_assignee: "`issueUpdate` `assigneeId` (a Linear user id)",
    find_user_by_email: "`users(filter: {email: {eqIgnoreCase}})`",
  },
  emulated: {
    transitions: "no transition constraints: every state of the team is one `issueUpdate` away",
    field_write:
      "no custom fields: a link attachment titled with the field's name (the value must be a URL)",
  },
  unavailable: {
    fix_versions: "Linear has no fix versions",
  },
});

const mode = { label: "Linear", capabilities };

const WRITE = "write access to the issue's team";

export const linearKind: TrackerKind = {
  type: "linear",
  label: "Linear",
  keys: { style: "project" },
  projectHelp: "Linear team",
  connection: {
    fields: {
      auth_scheme: z.enum(["Bearer"]).optional(),
      // GitHub login → Linear user id. Linear takes only the id as an assignee: an e-mail or a
      // name there would be refused at the first assign job, far from the file that holds it.
      people: z
        .record(
          z.string().min(1),
          z.guid({
            error: (issue) =>
              `must be a Linear user id, a UUID such as 9cfb482a-81e3-4154-b5b9-2c805e70a02d (the id of users { id name } in Linear's API; got ${JSON.stringify(issue.input)})`,
          }),
        )
        .optional(),
      // The workspace's URL key: linear.app/<workspace>/issue/ENG-123 is an issue's page.
      workspace: z
        .string()
        .transform((value, ctx) => {
          const key = /^(?:https:\/\/linear\.app\/)?([a-z0-9][a-z0-9-]*)\/?$/i.exec(value.trim());
          if (key) return key[1]!.toLowerCase();
          ctx.addIssue({
            code: "custom",
            message: `expected the workspace's URL key, as in https://linear.app/acme (got "${value}")`,
          });
          return z.NEVER;
        })
        .optional(),
    },
    env: { auth_scheme: "TRACKER_AUTH_SCHEME", workspace: "TRACKER_WORKSPACE" },
    toConnection: (fields) => ({
      authScheme: fields.auth_scheme as "Bearer" | undefined,
      ...(typeof fields.workspace === "string" ? { options: { workspace: fields.workspace } } : {}),
    }),
  },
  modes: [mode],
  modeOf: () => mode,
  create: createLinearTracker,
  webhook: {
    read: (_connection, secret, headers, body, now) =>
      readLinearWebhook(secret, headers, body, now),
    async connect(connection, target) {
      return [
        "Linear webhooks are added by a workspace admin:",
        "",
        "1. Linear → Settings → API → Webhooks → New webhook.",
        `2. Label: trackbridge (${connection.name}); URL: ${target.endpoint}`,
        `3. Team: ${target.project}; data change events: Issues. Create.`,
        `4. Copy the webhook's signing secret into ${connection.webhookSecretFrom ?? "the connection's webhook_secret"} on the trackbridge server (not printed here).`,
        "",
        "Linear then signs each call with Linear-Signature; trackbridge answers 401 to any call it cannot verify or older than 60 s.",
        "",
      ].join("\n");
    },
  },
  workflowFile: {
    what: "a Linear team (its states, as a teams/team query answers)",
    read: readTeamFile,
  },
  // Linear's pages are https://linear.app/<workspace>/issue/ENG-123; the API's URL does not
  // name the workspace, so only the connection's `workspace` can.
  issueUrl(connection, key) {
    const workspace = connection.options?.workspace;
    return typeof workspace === "string"
      ? `https://linear.app/${workspace}/issue/${encodeURIComponent(key)}`
      : undefined;
  },
  doctor: {
    projectWord: "team",
    tokenFix: () =>
      "put a Linear API key (Settings → Security & access → Personal API keys) in TRACKER_TOKEN or TRACKER_TOKEN_FILE, or an OAuth access token with TRACKER_AUTH_SCHEME=Bearer",
    forbidden: "token",
    workflowFix: () => "let the token's user see the teams the repositories name",
  },
  action: {
    inputs: {},
    credentialHint: () =>
      'Check the "token" input: a Linear API key of a user who is a member of the issue\'s team.',
    forbiddenHint: (_connection, change) =>
      change === "fix_version"
        ? "Linear has no fix versions."
        : change === "set_field"
          ? `The token's user needs ${WRITE} (the value is attached as a link).`
          : `The token's user needs ${WRITE}.`,
  },
};
