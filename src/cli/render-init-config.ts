/**
 * The text of the `.github/trackbridge.yml` that `trackbridge init` writes: the guesses as
 * settings, each with a comment saying why and whether to check it, and the tracker's
 * statuses listed so the person can pick another. Pure; the command reads and writes.
 */
import { stringify } from "yaml";
import type { StatusEvent, StatusGuess } from "../core/guess-statuses.js";
import type { WorkflowGraph } from "../core/route.js";
import type { StatusCategory, TrackerStatus } from "../core/types.js";

export interface InitFileInput {
  connection: string;
  project: string;
  /** YYYY-MM-DD */
  date: string;
  statuses: readonly TrackerStatus[];
  graph: WorkflowGraph;
  guesses: readonly StatusGuess[];
  /** GitHub Projects: the keys are GitHub issue references, so no project allow-list. */
  githubKeys?: boolean;
}

/** What each event is, in the words of the file's comments. */
const EVENT_MEANING: Record<StatusEvent, string> = {
  started: "a branch naming the issue is created or first pushed",
  draft: "the PR is opened as a draft, or turned back to draft",
  opened: "the PR is opened (or reopened) for review",
  ready: "a draft PR is marked ready for review",
  changes_requested: "a reviewer requests changes",
  approved: "a reviewer approves",
  merged: "the PR is merged",
  closed: "the PR is closed without merging",
  released: "a published GitHub release includes the PR's commits",
};

const CATEGORY_NAME: Record<StatusCategory, string> = {
  todo: "to do",
  in_progress: "in progress",
  done: "done",
};

/** One line of a comment: a tracker's name never breaks out of it. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function scalar(value: string): string {
  return stringify(value).trimEnd();
}

/**
 * @example
 * renderInitFile({ connection: "yandex", project: "PROJ", date: "2026-12-02", statuses, graph, guesses })
 * // "# trackbridge repository config, written by `trackbridge init` on 2026-12-02 …"
 */
export function renderInitFile(input: InitFileInput): string {
  const { connection, project, statuses, graph } = input;
  const start = statuses.find((s) => s.key === graph.initial);
  const lines = [
    `# trackbridge repository config, written by \`trackbridge init\` on ${input.date}`,
    `# from the statuses and workflow of ${project} in the server's tracker connection "${oneLine(connection)}".`,
    "# Each status below is a guess: read the lines marked CHECK, then commit this file to the",
    "# repository's default branch. A status is named by its key or its display name (any case).",
    "",
    `connection: ${scalar(connection)}`,
    ...(input.githubKeys
      ? ["# keys: the issues the PR closes or references (#12, acme/web#12)"]
      : [
          "keys:",
          `  projects: [${project}]   # only keys of these projects count (the fix for false keys)`,
        ]),
    "",
    `# The statuses of ${project} (key: name, category):`,
    ...statuses.map(
      (s) =>
        `#   ${oneLine(s.key)}: ${oneLine(s.display)}${s.category ? ` (${CATEGORY_NAME[s.category]})` : ""}`,
    ),
    ...workflowNote(graph, start),
    "statuses:",
    ...input.guesses.flatMap(eventLines),
    "",
    '# More settings (see the README\'s "Repository config"): protect, reopen, routes,',
    "# bench.field, deployments, release, merge_gate, require_key, wait_for_all_prs.",
    "",
  ];
  return lines.join("\n");
}

function workflowNote(graph: WorkflowGraph, start: TrackerStatus | undefined): string[] {
  if (graph.unreadable) {
    return [
      `# The workflow graph could not be read (${oneLine(graph.unreadable)}):`,
      '# where a move needs several steps, add them under routes: (README, "Routing through the workflow").',
    ];
  }
  return start ? [`# New issues start in ${oneLine(start.display)}.`] : [];
}

function eventLines(guess: StatusGuess): string[] {
  const meaning = EVENT_MEANING[guess.event];
  const reason = oneLine(guess.reason);
  if (!guess.status || guess.target === undefined) {
    return [
      `  # ${meaning}: nothing guessed (${reason}); name one of the statuses above`,
      `  # ${guess.event}:`,
    ];
  }
  const shown = oneLine(guess.status.display);
  const setting = `${guess.event}: ${scalar(guess.target)}`;
  if (guess.commented) {
    return [
      `  # ${meaning}: left out, as closing a PR rarely means the issue is dropped.`,
      `  # CHECK: uncomment to move it to ${shown} (${reason})`,
      `  # ${setting}`,
    ];
  }
  // A key that reads differently from the name people see gets the name beside it.
  const name = guess.target === guess.status.display ? "" : `   # ${shown}`;
  const check = guess.confidence === "sure" ? "" : ` — CHECK: ${reason}`;
  return [`  # ${meaning}${check}`, `  ${setting}${name}`];
}

/**
 * What the command prints after writing: the guesses to check and the events left unset.
 *
 * @example
 * renderInitSummary(guesses) // "Guesses to check:\n  changes_requested → In Progress: …"
 */
export function renderInitSummary(guesses: readonly StatusGuess[]): string {
  const check = guesses.filter((g) => g.status && g.confidence !== "sure");
  const none = guesses.filter((g) => !g.status);
  const lines: string[] = [];
  if (check.length > 0) {
    lines.push("Guesses to check:");
    for (const g of check) {
      const left = g.commented ? " (left commented out)" : "";
      lines.push(`  ${g.event} → ${oneLine(g.status!.display)}${left}: ${oneLine(g.reason)}`);
    }
  } else {
    lines.push("Every guess matched a status by its key or name.");
  }
  if (none.length > 0) {
    lines.push(`Not guessed, left commented out: ${none.map((g) => g.event).join(", ")}.`);
  }
  return `${lines.join("\n")}\n`;
}
