/**
 * The guesses `trackbridge init` writes, on status sets as real Yandex Tracker queues and Jira
 * projects have them. Every guess must be found again by the App's own matcher.
 */
import { describe, expect, it } from "vitest";
import {
  configTarget,
  guessStatuses,
  normalizeName,
  STATUS_EVENTS,
  type StatusGuess,
} from "../../src/core/guess-statuses.js";
import { statusMatches } from "../../src/core/match-status.js";
import type { WorkflowGraph } from "../../src/core/route.js";
import type { StatusCategory, TrackerStatus } from "../../src/core/types.js";
import { strictGraph } from "./workflows.js";

const s = (key: string, display: string, category: StatusCategory): TrackerStatus => ({
  key,
  display,
  category,
});

/** Yandex Tracker's standard statuses with their Russian display names. */
const YANDEX_RU = [
  s("open", "Открыт", "todo"),
  s("inProgress", "В работе", "in_progress"),
  s("needInfo", "Требуется информация", "in_progress"),
  s("inReview", "Ревью", "in_progress"),
  s("needsImprovement", "Требует доработки", "in_progress"),
  s("readyForTest", "Можно тестировать", "in_progress"),
  s("testing", "Тестируется", "in_progress"),
  s("resolved", "Решен", "done"),
  s("closed", "Закрыт", "done"),
  s("cancelled", "Отменено", "done"),
];

/** Statuses added by hand in a Yandex queue get keys that say nothing: the names must. */
const YANDEX_CUSTOM = [
  s("open", "Открыт", "todo"),
  s("status1", "В разработке", "in_progress"),
  s("status2", "На ревью", "in_progress"),
  s("status3", "На доработке", "in_progress"),
  s("status4", "В тестировании", "in_progress"),
  s("status5", "Выпущено", "done"),
  s("closed", "Закрыт", "done"),
];

/** Jira Cloud's software template. */
const JIRA_CLOUD = [
  s("10000", "To Do", "todo"),
  s("3", "In Progress", "in_progress"),
  s("10001", "In Review", "in_progress"),
  s("10002", "Done", "done"),
];

/** Jira Data Center's classic workflow. */
const JIRA_DC = [
  s("1", "Open", "todo"),
  s("3", "In Progress", "in_progress"),
  s("4", "Reopened", "todo"),
  s("5", "Resolved", "done"),
  s("6", "Closed", "done"),
];

/** Names no rule knows: only the categories say anything. */
const ODD = [
  s("backlog", "Backlog", "todo"),
  s("cooking", "Cooking", "in_progress"),
  s("tasting", "Tasting", "in_progress"),
  s("served", "Served", "done"),
  s("dropped", "Dropped", "done"),
];

type Row = [string, TrackerStatus[], Record<string, string>];

/** `event: "target sure|check"`, or "-" when nothing is guessed. */
const TABLE: Row[] = [
  [
    "Yandex, Russian names",
    YANDEX_RU,
    {
      started: "inProgress sure",
      draft: "inProgress sure",
      opened: "inReview sure",
      ready: "inReview sure",
      changes_requested: "needsImprovement sure",
      approved: "readyForTest sure",
      merged: "resolved sure",
      closed: "cancelled check",
      released: "-",
    },
  ],
  [
    "Yandex, custom statuses",
    YANDEX_CUSTOM,
    {
      started: "status1 sure",
      draft: "status1 sure",
      opened: "status2 sure",
      ready: "status2 sure",
      changes_requested: "status3 sure",
      approved: "status4 sure",
      merged: "closed sure",
      closed: "-",
      released: "status5 sure",
    },
  ],
  [
    "Jira Cloud",
    JIRA_CLOUD,
    {
      started: "In Progress sure",
      draft: "In Progress sure",
      opened: "In Review sure",
      ready: "In Review sure",
      changes_requested: "In Progress check",
      approved: "-",
      merged: "Done sure",
      closed: "-",
      released: "-",
    },
  ],
  [
    "Jira Data Center",
    JIRA_DC,
    {
      started: "In Progress sure",
      draft: "In Progress sure",
      opened: "In Progress check",
      ready: "In Progress check",
      changes_requested: "In Progress check",
      approved: "-",
      merged: "Resolved sure",
      closed: "-",
      released: "-",
    },
  ],
  [
    "only categories",
    ODD,
    {
      started: "cooking check",
      draft: "cooking check",
      opened: "cooking check",
      ready: "cooking check",
      changes_requested: "cooking check",
      approved: "-",
      merged: "served check",
      closed: "-",
      released: "-",
    },
  ],
];

const summary = (guesses: StatusGuess[]) =>
  Object.fromEntries(guesses.map((g) => [g.event, g.target ? `${g.target} ${g.confidence}` : "-"]));

describe("guessStatuses", () => {
  it.each(TABLE)("%s", (_name, statuses, expected) => {
    const guesses = guessStatuses(statuses);
    expect(guesses.map((g) => g.event)).toEqual(STATUS_EVENTS);
    expect(summary(guesses)).toEqual(expected);
  });

  it.each(TABLE)("%s: the App's matcher finds exactly the guessed status", (_name, statuses) => {
    const guessed = guessStatuses(statuses).filter((guess) => guess.status);
    expect(guessed.length).toBeGreaterThan(0);
    for (const guess of guessed) {
      const found = statuses.filter((status) => statusMatches(status, guess.target!));
      expect(found, guess.event).toEqual([guess.status]);
    }
  });

  it("comments out what it did not guess, and closing always", () => {
    const guesses = guessStatuses(YANDEX_RU);
    const commented = guesses.filter((g) => g.commented).map((g) => g.event);
    expect(commented).toEqual(["closed", "released"]);
    expect(guesses.find((g) => g.event === "released")).toMatchObject({
      confidence: "none",
      reason: "no released status",
    });
  });

  it("says why: the name it matched, or the fallback it took", () => {
    const guesses = guessStatuses(JIRA_DC);
    expect(guesses.find((g) => g.event === "merged")?.reason).toBe("named Resolved");
    expect(guesses.find((g) => g.event === "opened")?.reason).toBe(
      "no review status: named In Progress",
    );
  });

  it("takes the in-progress status nearest to where issues start", () => {
    const graph: WorkflowGraph = {
      statuses: ODD,
      edges: [
        { from: "backlog", transition: { id: "1", display: "Taste", to: ODD[2]! } },
        { from: "tasting", transition: { id: "2", display: "Cook", to: ODD[1]! } },
      ],
      initial: "backlog",
      source: "tracker",
    };
    const started = guessStatuses(ODD, graph).find((g) => g.event === "started");
    expect(started).toMatchObject({ target: "tasting", confidence: "check" });
  });

  it("asks to check a status no route reaches from where issues start", () => {
    const graph = strictGraph();
    // Nothing leads to Testing any more.
    graph.edges = graph.edges.filter((edge) => edge.transition.to.key !== "testing");
    const statuses = [...graph.statuses, s("qa", "QA", "in_progress")];
    const sure = guessStatuses(graph.statuses, strictGraph());
    expect(sure.find((g) => g.event === "approved")).toMatchObject({
      target: "readyForTest",
      confidence: "sure",
    });
    const unreachable = guessStatuses(
      statuses.filter((status) => status.key !== "readyForTest"),
      graph,
    );
    expect(unreachable.find((g) => g.event === "approved")).toMatchObject({
      target: "testing",
      confidence: "check",
      reason: "named Testing; no route from Open leads to it",
    });
  });

  it("flags two statuses with one name", () => {
    const twice = [s("1", "Open", "todo"), s("10", "Done", "done"), s("11", "done", "done")];
    const merged = guessStatuses(twice).find((g) => g.event === "merged");
    expect(merged).toMatchObject({ target: "10", confidence: "check" });
    expect(merged?.reason).toBe("several look alike: Done, done");
  });
});

describe("normalizeName", () => {
  it.each([
    ["readyForTest", "ready for test"],
    ["Won't fix", "won t fix"],
    ["Код-ревью", "код ревью"],
    ["Решён", "решен"],
    ["  In   Review ", "in review"],
  ])("%s → %s", (name, expected) => {
    expect(normalizeName(name)).toBe(expected);
  });
});

describe("configTarget", () => {
  it.each([
    [s("inReview", "Ревью", "in_progress"), [], "inReview"],
    [s("10001", "In Review", "in_progress"), [], "In Review"],
    [s("10001", "In Review", "in_progress"), [s("10009", "in review", "in_progress")], "10001"],
    [s("5e0b1c2d-8f3a-4b6c-9d1e-2f3a4b5c6d7e", "In Review", "in_progress"), [], "In Review"],
  ])("%o → %s", (status, others, expected) => {
    expect(configTarget(status, [status, ...others])).toBe(expected);
  });
});
