/**
 * Best guesses for a new repository config: for each event of the `statuses:` section, the
 * tracker status a team most likely means, read from the statuses' keys, display names
 * (English and Russian) and categories, and checked against the workflow graph. Pure: the
 * `trackbridge init` command reads the tracker and writes the file around it.
 */
import { statusMatches } from "./match-status.js";
import type { RepoConfig } from "./repo-config.js";
import { findRoute, type WorkflowGraph } from "./route.js";
import type { TrackerStatus } from "./types.js";

/** A key of the config's `statuses:` section. */
export type StatusEvent = keyof RepoConfig["statuses"];

/** Position in a pull request's life; a `Record` so a new event in the schema fails to compile here. */
const EVENT_ORDER: Record<StatusEvent, number> = {
  started: 0,
  draft: 1,
  opened: 2,
  ready: 3,
  changes_requested: 4,
  approved: 5,
  merged: 6,
  closed: 7,
  released: 8,
};

/** Every `statuses:` event, in the order of a pull request's life. */
export const STATUS_EVENTS = (Object.keys(EVENT_ORDER) as StatusEvent[]).sort(
  (a, b) => EVENT_ORDER[a] - EVENT_ORDER[b],
);

/** "sure": a key or name says it; "check": only a category or a fallback does; "none": nothing. */
export type GuessConfidence = "sure" | "check" | "none";

export interface StatusGuess {
  event: StatusEvent;
  /** Absent when nothing looked right. */
  status?: TrackerStatus;
  /** What the config names it by: the key, or the display name where the key is a bare id (Jira). */
  target?: string;
  confidence: GuessConfidence;
  /** Why, in a few words: "named In review", "the first in-progress status". */
  reason: string;
  /** Written commented out even when guessed: closing a PR rarely means the issue is dropped. */
  commented: boolean;
}

/** Names as compared: lower case, ё as е, camelCase keys split, punctuation as spaces. */
export function normalizeName(name: string): string {
  return name
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .replace(/ё/g, "е")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

const WORK = [
  "in progress",
  "in development",
  "in work",
  "doing",
  "started",
  "в работе",
  "в разработке",
  "в процессе",
];
const REVIEW = [
  "in review",
  "review",
  "code review",
  "in code review",
  "under review",
  "на ревью",
  "ревью",
  "код ревью",
  "на код ревью",
  "на проверке",
];
const NEEDS_WORK = [
  "needs work",
  "needs improvement",
  "changes requested",
  "needs changes",
  "rework",
  "in rework",
  "требует доработки",
  "требуется доработка",
  "нужна доработка",
  "на доработке",
  "доработка",
];
const APPROVED = [
  "approved",
  "ready for test",
  "ready for testing",
  "ready for qa",
  "in testing",
  "testing",
  "in qa",
  "qa",
  "reviewed",
  "можно тестировать",
  "готово к тестированию",
  "готов к тестированию",
  "в тестировании",
  "тестируется",
  "тестирование",
];
const DONE = [
  "merged",
  "resolved",
  "done",
  "fixed",
  "completed",
  "closed",
  "решен",
  "решена",
  "решено",
  "готово",
  "выполнено",
  "сделано",
  "закрыт",
  "закрыта",
  "закрыто",
];
const CANCELLED = [
  "cancelled",
  "canceled",
  "won t fix",
  "won t do",
  "wontfix",
  "rejected",
  "declined",
  "отменено",
  "отменена",
  "отменен",
  "отклонено",
  "отклонена",
  "не будет сделано",
  "не будет исправлено",
];
const RELEASED = [
  "released",
  "deployed",
  "in production",
  "shipped",
  "выпущено",
  "выпущен",
  "выпущена",
  "в релизе",
  "в продакшене",
];

type Found = Omit<StatusGuess, "event" | "target" | "commented">;

const NOTHING = (reason: string): Found => ({ confidence: "none", reason });

/**
 * For each `statuses:` event, the status it most likely means. A guess whose status the
 * workflow cannot reach from where issues start is downgraded to "check".
 *
 * @example
 * guessStatuses([{ key: "inReview", display: "Ревью", category: "in_progress" }, …], graph)
 * // [{ event: "started", target: "inProgress", confidence: "sure", reason: "named В работе" }, …]
 */
export function guessStatuses(
  statuses: readonly TrackerStatus[],
  graph?: WorkflowGraph,
): StatusGuess[] {
  const byName = (names: readonly string[]) => findByName(statuses, names);
  const distance = distancesFromStart(graph);
  const nearest = (category: TrackerStatus["category"], skip: readonly string[] = []) =>
    statuses
      .filter((s) => s.category === category && !skip.includes(normalizeName(s.display)))
      .sort((a, b) => (distance(a) ?? Infinity) - (distance(b) ?? Infinity))[0];

  const inProgress = nearest("in_progress");
  const work =
    byName(WORK) ??
    (inProgress
      ? { status: inProgress, confidence: "check" as const, reason: "the first in-progress status" }
      : NOTHING("no in-progress status"));
  const fallBackToWork = (missing: string): Found =>
    work.status
      ? { status: work.status, confidence: "check", reason: `no ${missing} status: ${work.reason}` }
      : NOTHING(`no ${missing} status`);
  const doneStatus = nearest("done", CANCELLED);

  const found: Record<StatusEvent, Found> = {
    started: work,
    draft: work,
    opened: byName(REVIEW) ?? fallBackToWork("review"),
    ready: byName(REVIEW) ?? fallBackToWork("review"),
    changes_requested: byName(NEEDS_WORK) ?? fallBackToWork("needs-work"),
    approved: byName(APPROVED) ?? NOTHING("no testing or approved status"),
    merged:
      byName(DONE) ??
      (doneStatus
        ? { status: doneStatus, confidence: "check", reason: "the first done status" }
        : NOTHING("no done status")),
    closed: (() => {
      const cancelled = byName(CANCELLED);
      if (!cancelled) return NOTHING("no cancelled status");
      return { ...cancelled, confidence: "check" as const };
    })(),
    released: byName(RELEASED) ?? NOTHING("no released status"),
  };

  return STATUS_EVENTS.map((event) => {
    const guess = checkReachable(found[event], graph);
    const commented = event === "closed" || guess.status === undefined;
    return guess.status
      ? { event, ...guess, target: configTarget(guess.status, statuses), commented }
      : { event, ...guess, commented };
  });
}

/** The first name in `names` that a status's key or display name carries. */
function findByName(
  statuses: readonly TrackerStatus[],
  names: readonly string[],
): Found | undefined {
  for (const name of names) {
    const matching = statuses.filter(
      (s) => normalizeName(s.display) === name || normalizeName(s.key) === name,
    );
    if (matching.length === 1) {
      return { status: matching[0]!, confidence: "sure", reason: `named ${matching[0]!.display}` };
    }
    if (matching.length > 1) {
      const names = matching.map((s) => s.display).join(", ");
      return { status: matching[0]!, confidence: "check", reason: `several look alike: ${names}` };
    }
  }
  return undefined;
}

/** Steps from the status new issues start in, over the graph's edges; undefined when unknown. */
function distancesFromStart(graph?: WorkflowGraph): (status: TrackerStatus) => number | undefined {
  const steps = new Map<string, number>();
  if (graph?.initial) {
    steps.set(graph.initial, 0);
    for (let frontier = [graph.initial], depth = 1; frontier.length > 0; depth++) {
      const next: string[] = [];
      for (const edge of graph.edges) {
        if (!frontier.includes(edge.from) || steps.has(edge.transition.to.key)) continue;
        steps.set(edge.transition.to.key, depth);
        next.push(edge.transition.to.key);
      }
      frontier = next;
    }
  }
  return (status) => steps.get(status.key);
}

/** A status no route leads to from where issues start is a guess to check. */
function checkReachable(found: Found, graph?: WorkflowGraph): Found {
  const { status } = found;
  if (!status || !graph?.initial || graph.source !== "tracker" || status.key === graph.initial) {
    return found;
  }
  const route = findRoute(graph, graph.initial, status.key, Number.POSITIVE_INFINITY);
  if (route.ok) return found;
  const start = graph.statuses.find((s) => s.key === graph.initial)?.display ?? graph.initial;
  return {
    ...found,
    confidence: "check",
    reason: `${found.reason}; no route from ${start} leads to it`,
  };
}

/** A key nobody would write by hand: a number (Jira `10001`) or a UUID (a Linear state id). */
const BARE_ID = /^(\d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/**
 * The key when it reads as a name (Yandex `inReview`); the display name when the key is a bare
 * id (Jira `10001`, a Linear state's UUID), unless another status answers to that name too.
 *
 * @example
 * configTarget({ key: "10001", display: "In review" }, all) // "In review"
 */
export function configTarget(status: TrackerStatus, all: readonly TrackerStatus[]): string {
  if (!BARE_ID.test(status.key)) return status.key;
  const others = all.filter((s) => s.key !== status.key);
  return others.some((s) => statusMatches(s, status.display)) ? status.key : status.display;
}
