/**
 * The repository config's sections for the other direction: `create:` (an issue for a PR
 * that names none), `unlink:` (what happens to a link when its key leaves) and `assignee:`.
 */
import { z } from "zod";
import { strict } from "./strict-schema.js";

const NonEmpty = z.string().min(1);

const QueueKey = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]+$/, "expected a queue/project key such as PROJ");

export const CreateSchema = strict({
  queue: QueueKey.describe("The queue (Yandex Tracker) or project (Jira) new issues go to."),
  type: NonEmpty.optional().describe(
    "Issue type: a Yandex type key (task, bug) or a Jira type name (Task); the tracker's default when not set.",
  ),
  label: NonEmpty.optional().describe(
    "Adding this label to a pull request with no issue key creates an issue for it, e.g. needs-ticket.",
  ),
  when: z
    .enum(["no_key"])
    .optional()
    .describe("no_key: create an issue for every pull request opened without an issue key."),
  write_back: z
    .enum(["title", "comment"])
    .default("title")
    .describe(
      "Where the new key goes: the PR's title as a 'PROJ-123: ' prefix (default), or a comment.",
    ),
});

export const UnlinkSchema = strict({
  yandex_comment: z
    .enum(["edit", "delete"])
    .default("edit")
    .describe(
      "Yandex Tracker links a PR by a comment: edit it to say the PR no longer refers to the issue (default), or delete it.",
    ),
});

export const AssigneeSchema = strict({
  from: z
    .enum(["author", "assignees", "merger"])
    .describe(
      "Whose tracker login becomes the issue's assignee: the PR's author, its first assignee, or who merged it.",
    ),
  overwrite: z
    .boolean()
    .default(false)
    .describe("Also replace an assignee a person set. Default false: theirs stands."),
  match: z
    .enum(["people", "email"])
    .default("people")
    .describe(
      "How a GitHub user becomes a tracker user: people (default) only through the server's people map; email also by the e-mail on their GitHub profile, looked up in the tracker when the map has no entry (trackers that can search users by e-mail).",
    ),
});
