/**
 * The other direction's asks, pure: `/trackbridge create|unlink` commands in a PR comment,
 * and the `create` action that an ask (the command, the config's label, `when: no_key`)
 * becomes. The caller (the handler) knows who asked and whether they may; this decides what
 * to plan.
 */
import type { RepoConfig } from "./repo-config.js";
import type { PlannedAction, PrEvent } from "./types.js";

/** Who asks for an issue to be created, and for which queue and type when the command says. */
export interface CreateAsk {
  via: "command" | "label" | "no_key";
  queue?: string;
  type?: string;
}

export type Command =
  | { name: "create"; queue?: string; type?: string }
  | { name: "unlink"; keys: string[] };

/** Summaries longer than this are cut: Jira refuses more than 255 characters. */
const MAX_SUMMARY = 255;

/**
 * The `/trackbridge` command on a line of its own in a comment, if any.
 *
 * @example
 * parseCommand("/trackbridge create OPS bug") // { name: "create", queue: "OPS", type: "bug" }
 * parseCommand("please /trackbridge unlink PROJ-12") // null: the command starts its line
 */
export function parseCommand(body: string): Command | null {
  for (const line of body.split(/\r?\n/)) {
    const words = line.trim().split(/\s+/);
    if (words[0]?.toLowerCase() !== "/trackbridge") continue;
    const [name, ...rest] = words.slice(1);
    if (name?.toLowerCase() === "create") {
      const [queue, type] = rest;
      return {
        name: "create",
        ...(queue ? { queue: queue.toUpperCase() } : {}),
        ...(type ? { type } : {}),
      };
    }
    if (name?.toLowerCase() === "unlink") {
      const keys = rest
        .map((word) => word.toUpperCase())
        .filter((word) => /^[A-Z][A-Z0-9_]*-\d+$/.test(word));
      return { name: "unlink", keys };
    }
  }
  return null;
}

/**
 * What a `pull_request` event itself asks for: an issue when a PR is opened without one and
 * the config says `when: no_key`, or when the config's label is added.
 *
 * @example
 * pullRequestAsks({ action: "labeled", label: { name: "needs-ticket" } }, config) // { create: { via: "label" } }
 */
export function pullRequestAsks(
  payload: { action?: string; label?: { name?: string } },
  config: RepoConfig,
): { create?: CreateAsk } {
  if (payload.action === "opened" && config.create?.when === "no_key")
    return { create: { via: "no_key" } };
  const label = config.create?.label;
  if (payload.action === "labeled" && label !== undefined && payload.label?.name === label)
    return { create: { via: "label" } };
  return {};
}

/** Ends the App's comment that names the issue it created (`write_back: comment`). */
export const WRITE_BACK_MARKER = "<!-- trackbridge:created -->";

/** The App's comment naming the issue it created: its key counts as the PR's own. */
export function isWriteBack(body: string): boolean {
  return body.includes(WRITE_BACK_MARKER);
}

/**
 * The App's comment for `write_back: comment`.
 *
 * @example
 * writeBackComment("PROJ-42") // "trackbridge created PROJ-42 for this pull request.\n\n<!-- trackbridge:created -->"
 */
export function writeBackComment(key: string): string {
  return `trackbridge created ${key} for this pull request.\n\n${WRITE_BACK_MARKER}`;
}

/** The same for every try and every event of one PR: one PR gets one issue. */
export function createMarker(repo: string, prNumber: number): string {
  return `trackbridge:${repo}#${prNumber}`;
}

/**
 * The create action for an ask, or why there is none (a note for the check run). A label or
 * `when: no_key` never creates for a PR that already names an issue; the command does, as asked.
 *
 * @example
 * planCreate(event, config, { via: "no_key" }, false)
 * // { action: { kind: "create", key: "PROJ (new)", project: "PROJ", summary: "Login form", … } }
 */
export function planCreate(
  event: PrEvent,
  config: RepoConfig,
  ask: CreateAsk,
  namesAnIssue: boolean,
): { action: PlannedAction } | { note: string } | null {
  const queue = ask.queue ?? config.create?.queue;
  if (!queue) {
    return ask.via === "command"
      ? {
          note: "/trackbridge create: name a queue (`/trackbridge create PROJ`) or set `create.queue` in .github/trackbridge.yml",
        }
      : null;
  }
  if (ask.via !== "command" && namesAnIssue) return null;
  const repo = `${event.repo.owner}/${event.repo.name}`;
  const type = ask.type ?? config.create?.type;
  const summary = event.pr.title.trim() || `Pull request ${repo}#${event.pr.number}`;
  return {
    action: {
      kind: "create",
      key: `${queue} (new)`,
      project: queue,
      ...(type ? { type } : {}),
      summary: summary.length > MAX_SUMMARY ? `${summary.slice(0, MAX_SUMMARY - 1)}…` : summary,
      description: `Pull request ${repo}#${event.pr.number}: ${event.pr.url}\n\nCreated by trackbridge for this pull request.`,
      marker: createMarker(repo, event.pr.number),
      pr: { number: event.pr.number, url: event.pr.url, title: event.pr.title, repo },
      writeBack: config.create?.write_back ?? "title",
      via: ask.via,
    },
  };
}

/**
 * The GitHub login `assignee.from` names for this event, if the config asks and there is one.
 *
 * @example
 * assigneeOf(event, { from: "author", overwrite: false }) // "alice"
 */
export function assignAction(
  event: PrEvent,
  config: RepoConfig,
  key: string,
): PlannedAction | null {
  const rule = config.assignee;
  if (!rule) return null;
  const person =
    rule.from === "author"
      ? event.pr.author
      : rule.from === "assignees"
        ? event.pr.assignees?.[0]
        : (event.pr.mergedBy ?? undefined);
  if (!person) return null;
  return {
    kind: "assign",
    key,
    person,
    from: rule.from,
    overwrite: rule.overwrite,
    ...(rule.match === "email" ? { match: "email" as const } : {}),
  };
}
