/**
 * Request Tracker as a tracker kind: numbered tickets behind a key prefix (`key_prefix: RT`),
 * an auth token, the queue's lifecycle. RT core sends no webhooks: its changes are polled.
 */
import { z } from "zod";
import { capabilityTable, type TrackerKind } from "../kind.js";
import { numericKeys } from "../numeric-key.js";
import { createRequestTrackerTracker } from "./index.js";

const capabilities = capabilityTable({
  native: {
    routed_move: "one `PUT` with `If-Match` a step, re-read after",
    field_write: "a custom field by name, re-read to see it was kept",
    comment: "`/comment` (or `/correspond` with `comment_as`)",
    poll: "TicketSQL `LastUpdated >=`",
    create_issue:
      "`POST /ticket` with the marker as a `RefersTo` link, found by TicketSQL only after an unknown outcome",
    set_assignee: "`Owner` (a user name), re-read after: RT answers a refusal 200",
  },
  emulated: {
    transitions: "the statuses the queue's lifecycle allows from here",
    workflow_graph: "REST2 serves no lifecycle definition: RT's default lifecycle",
    pr_link: "no web links: one comment carrying the PR's URL, written once",
  },
  unavailable: {
    fix_versions: "Request Tracker has no fix versions",
    webhooks: "RT core sends no webhooks: changes are polled",
    unlink:
      "the link is a comment, and RT's comments are transactions: REST2 neither edits nor deletes them",
    find_user_by_email:
      "REST2's user search needs user-administration rights trackbridge's token should not hold: the people map names users",
  },
});

const mode = { label: "Request Tracker", capabilities };

const PERMISSION: Record<string, string> = {
  set_field: 'the "ModifyCustomField" right on the ticket\'s queue',
  move: "the \"ModifyTicket\" right on the ticket's queue (and the lifecycle's right for this status change)",
  comment: 'the "CommentOnTicket" right (or "ReplyToTicket" with comment_as: correspond)',
  link: 'the "CommentOnTicket" right on the ticket\'s queue',
  fix_version: "nothing: Request Tracker has no fix versions",
};

export const requestTrackerKind: TrackerKind = {
  type: "request-tracker",
  label: "Request Tracker",
  keys: { style: "numeric", prefixOption: "key_prefix" },
  projectHelp: "Request Tracker queue",
  connection: {
    fields: {
      key_prefix: z.string().regex(/^[A-Za-z][A-Za-z0-9_]+$/, "must be letters, like RT"),
      comment_as: z.enum(["comment", "correspond"]).optional(),
    },
    env: { key_prefix: "TRACKER_KEY_PREFIX", comment_as: "TRACKER_COMMENT_AS" },
    toConnection: (fields) => ({
      keyPrefix: fields.key_prefix as string,
      commentAs: fields.comment_as as "comment" | "correspond" | undefined,
    }),
  },
  modes: [mode],
  modeOf: () => mode,
  create: createRequestTrackerTracker,
  issueUrl: (connection, key) =>
    `${connection.url.replace(/\/+$/, "")}/Ticket/Display.html?id=${numericKeys(connection).id(key)}`,
  doctor: {
    projectWord: "queue",
    tokenFix: () =>
      'put an auth token ("Logged in as … → Settings → Auth Tokens") in TRACKER_TOKEN (token: in TRACKBRIDGE_CONNECTIONS)',
    forbidden: "token",
    workflowFix: () =>
      "give the token's user the SeeQueue right on the queues the repositories name",
  },
  action: {
    inputs: { "key-prefix": { field: "key_prefix" }, "comment-as": { field: "comment_as" } },
    check(given, issue) {
      if (!given["key-prefix"]) {
        issue(
          "key-prefix",
          "is required for tracker request-tracker: its tickets are numbered, so keys are <prefix>-123 (e.g. RT)",
        );
      }
      const as = given["comment-as"];
      if (as !== undefined && as !== "comment" && as !== "correspond") {
        issue("comment-as", `must be comment or correspond (got "${as}")`);
      }
    },
    credentialHint: () =>
      'Check the "token" input: an authentication token from "Logged in as … → Settings → Auth Tokens" of an RT user with rights on the queue.',
    forbiddenHint: (_connection, change) =>
      `The token's user needs ${PERMISSION[change] ?? PERMISSION.set_field}.`,
  },
};
