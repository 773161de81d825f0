import { describe, expect, it } from "vitest";
import {
  changedStatus,
  channelsFor,
  type FinishedJob,
  formatNotification,
  type Notice,
  notifyEventOf,
} from "../../src/core/notify.js";
import type { PlannedAction } from "../../src/core/types.js";

const move = (trigger: "opened" | "deployed" | "released" = "opened"): PlannedAction => ({
  kind: "move",
  key: "PROJ-1",
  target: "inProgress",
  trigger,
  protect: [],
});

// A job that finished with `summary`: most rows differ only in the action and the words.
const done = (action: PlannedAction, summary: string): FinishedJob => ({
  action,
  state: "done",
  summary,
});
const fixVersion = (key: string): PlannedAction => ({ kind: "fix_version", key, version: "1.2" });
const feature = (op: "push" | "follow"): PlannedAction => ({ kind: "feature", key: "f-1", op });

describe("notifyEventOf: which finished job a channel hears about", () => {
  const cases: Array<[string, FinishedJob, ReturnType<typeof notifyEventOf>]> = [
    ["a move", done(move(), "moved Open → In progress"), "moved"],
    ["already there", done(move(), "already in In progress"), null],
    ["protected", done(move(), "protected: Closed"), "blocked"],
    [
      "no route",
      { action: move(), state: "dead", summary: "no route to x", errorKind: "no_transition" },
      "blocked",
    ],
    [
      "a transition that needs a field",
      {
        action: move(),
        state: "dead",
        summary: 'transition "Resolve" needs field resolution: make it by hand',
        errorKind: "invalid",
      },
      "blocked",
    ],
    [
      "a dead move for another reason",
      { action: move(), state: "dead", summary: "token lacks permission", errorKind: "forbidden" },
      "dead_letter",
    ],
    [
      "a dead comment",
      {
        action: { kind: "comment", key: "PROJ-1", text: "t", marker: "m" },
        state: "dead",
        summary: "gave up",
      },
      "dead_letter",
    ],
    ["a deployment's move", done(move("deployed"), "moved A → B"), "deployed"],
    [
      "a deployment URL written",
      done(
        { kind: "set_field", key: "PROJ-1", field: "bench", value: "https://x" },
        "set bench = https://x",
      ),
      "deployed",
    ],
    ["a release stamped", done(fixVersion("PROJ-1"), "fix version 1.2"), "released"],
    ["a release already stamped", done(fixVersion("PROJ-1"), "fix version 1.2 already set"), null],
    [
      "a tracker without versions",
      done(
        fixVersion("ENG-1"),
        "fix version 1.2 not stamped: fix versions is not available on Linear: …",
      ),
      null,
    ],
    ["a skip", { action: move(), state: "skipped", summary: "waiting for #2" }, null],
    [
      "a link",
      done(
        { kind: "link", key: "PROJ-1", pr: { number: 1, url: "u", title: "t", repo: "a/b" } },
        "linked",
      ),
      null,
    ],
    [
      "a Productboard feature's issue created",
      done(
        feature("push"),
        "created PROJ-1 for Productboard feature https://acme.productboard.com/f/f-1",
      ),
      "created",
    ],
    [
      "a feature whose issue was deleted",
      done(feature("follow"), "unlinked: PROJ-1 no longer exists"),
      "unlinked",
    ],
    [
      "a feature's status set",
      done(feature("follow"), "feature status set to Released (PROJ-1: Closed)"),
      null,
    ],
  ];
  it.each(cases)("%s", (_name, job, expected) => {
    expect(notifyEventOf(job)).toBe(expected);
  });

  it("channelsFor names each subscribed channel once", () => {
    const rules = [
      { channel: "a", on: ["moved" as const, "blocked" as const] },
      { channel: "b", on: ["dead_letter" as const] },
      { channel: "a", on: ["moved" as const] },
    ];
    expect(channelsFor(rules, "moved")).toEqual(["a"]);
    expect(channelsFor(rules, "dead_letter")).toEqual(["b"]);
    expect(channelsFor(rules, "released")).toEqual([]);
  });
});

describe("formatNotification", () => {
  const notice = (key: string, over: Partial<Notice> = {}): Notice => ({
    event: "moved",
    repo: "acme/web",
    prNumber: 7,
    key,
    summary: "moved Open → In progress",
    ...over,
  });
  const options = { githubUrl: "https://github.com", secrets: ["s3cr3t-value"] };

  it("one event is one line with the PR's address", () => {
    expect(formatNotification([notice("PROJ-1")], options)).toBe(
      "PROJ-1 moved Open → In progress — acme/web#7 https://github.com/acme/web/pull/7",
    );
  });

  it("several events are one digest, a bullet each; a commit event names the repo", () => {
    const text = formatNotification(
      [
        notice("PROJ-1"),
        notice("PROJ-2", { event: "blocked", summary: "protected: Closed" }),
        notice("PROJ-3", { event: "released", prNumber: null, summary: "fix version 1.2" }),
      ],
      options,
    );
    expect(text).toBe(
      [
        "trackbridge: 3 updates",
        "• PROJ-1 moved Open → In progress — acme/web#7 https://github.com/acme/web/pull/7",
        "• PROJ-2 blocked: protected: Closed — acme/web#7 https://github.com/acme/web/pull/7",
        "• PROJ-3 released: fix version 1.2 — acme/web",
      ].join("\n"),
    );
  });

  it("names the tracker of the notice's connection when the server says what it is", () => {
    const trackerOf = (name: string) => (name === "yt" ? "YouTrack" : undefined);
    expect(
      formatNotification([notice("NP-98", { connection: "yt" })], { ...options, trackerOf }),
    ).toBe(
      "NP-98 moved Open → In progress in YouTrack — acme/web#7 https://github.com/acme/web/pull/7",
    );
    // An unknown connection (or a notice stored before connections were kept) names none.
    expect(
      formatNotification([notice("NP-98", { connection: "gone" }), notice("NP-99")], {
        ...options,
        trackerOf,
      }),
    ).not.toContain(" in ");
  });

  it("blanks secrets and cuts long summaries", () => {
    const text = formatNotification(
      [notice("PROJ-1", { event: "dead_letter", summary: `bad s3cr3t-value ${"x".repeat(400)}` })],
      options,
    );
    expect(text).not.toContain("s3cr3t-value");
    expect(text).toContain("failed: bad [REDACTED] ");
    expect(text).toContain("x…");
    expect(text.length).toBeLessThan(420);
  });
});

describe("changedStatus", () => {
  it.each([
    ["a move that moved", done(move(), "moved Open → In progress"), true],
    ["a move already there", done(move(), "already in In progress"), false],
    ["a protected status", done(move(), "protected: Closed"), false],
    ["a dead move", { ...done(move(), "moved Open → In progress"), state: "dead" }, false],
    ["no summary", { ...done(move(), ""), summary: null }, false],
  ])("%s: %s", (_name, job, expected) => {
    expect(changedStatus(job)).toBe(expected);
  });
});
