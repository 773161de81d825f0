/** The other direction's planning, table-driven: commands, creates, unlinks and assignees. */
import { describe, expect, it } from "vitest";
import { parseCommand, planCreate } from "../../src/core/plan-create.js";
import { planEvent } from "../../src/core/plan-event.js";
import { parseRepoConfig, type RepoConfig } from "../../src/core/repo-config.js";
import type { PrEvent, Trigger } from "../../src/core/types.js";

function config(raw: unknown): RepoConfig {
  const result = parseRepoConfig(raw);
  if (!result.ok) throw new Error(result.error);
  return result.config;
}

function event(
  overrides: Partial<PrEvent["pr"]> & { trigger?: Trigger | null; comments?: string[] } = {},
): PrEvent {
  const { trigger, comments, ...pr } = overrides;
  return {
    repo: { owner: "acme", name: "web" },
    pr: {
      number: 7,
      url: "https://github.com/acme/web/pull/7",
      branch: "main-work",
      title: "Improve login",
      body: "",
      merged: false,
      draft: false,
      state: "open",
      headSha: "0".repeat(40),
      author: "alice",
      assignees: ["bob"],
      mergedBy: null,
      ...pr,
    },
    trigger: trigger === undefined ? "opened" : trigger,
    currentState: "opened",
    actor: { login: "alice", isBot: false },
    at: "2026-12-06T10:00:00Z",
    comments: comments ?? [],
    commits: [],
  };
}

const BASE = { keys: { projects: ["PROJ"] }, statuses: { opened: "inProgress", merged: "closed" } };

describe("parseCommand", () => {
  it.each([
    ["/trackbridge create", { name: "create" }],
    ["/trackbridge create ops bug", { name: "create", queue: "OPS", type: "bug" }],
    [
      "thanks!\n/trackbridge unlink proj-12 PROJ-3",
      { name: "unlink", keys: ["PROJ-12", "PROJ-3"] },
    ],
    ["please /trackbridge create", null],
    ["/trackbridgecreate", null],
    ["/trackbridge frobnicate", null],
  ])("%j → %j", (body, command) => {
    expect(parseCommand(body)).toEqual(command);
  });
});

describe("planCreate", () => {
  const withCreate = config({ ...BASE, create: { queue: "PROJ", type: "task" } });

  it("summary is the PR's title, the description links the PR, one marker per PR", () => {
    const result = planCreate(event(), withCreate, { via: "no_key" }, false);
    expect(result).toEqual({
      action: expect.objectContaining({
        kind: "create",
        project: "PROJ",
        type: "task",
        summary: "Improve login",
        marker: "trackbridge:acme/web#7",
        writeBack: "title",
        via: "no_key",
      }),
    });
    const action = result && "action" in result ? result.action : undefined;
    expect(action?.kind === "create" && action.description).toContain(
      "https://github.com/acme/web/pull/7",
    );
  });

  it.each([
    ["a label on a PR that names an issue", { via: "label" } as const, true, null],
    ["no_key on a PR that names an issue", { via: "no_key" } as const, true, null],
  ])("%s creates nothing", (_, ask, named, expected) => {
    expect(planCreate(event(), withCreate, ask, named)).toEqual(expected);
  });

  it("the command creates as asked, in the queue it names", () => {
    const result = planCreate(event(), withCreate, { via: "command", queue: "OPS" }, true);
    expect(result && "action" in result && result.action).toMatchObject({
      project: "OPS",
      key: "OPS (new)",
    });
  });

  it("the command without a queue anywhere says what to do", () => {
    const result = planCreate(event(), config(BASE), { via: "command" }, false);
    expect(result).toEqual({ note: expect.stringContaining("name a queue") });
  });
});

describe("planEvent: unlinks and assignees", () => {
  it("a key edited out of the title is unlinked, never moved", () => {
    const plan = planEvent(event({ trigger: null, title: "Improve login" }), config(BASE), {
      title: "PROJ-1: Improve login",
    });
    expect(plan.actions).toEqual([
      expect.objectContaining({ kind: "unlink", key: "PROJ-1", yandexComment: "edit" }),
    ]);
  });

  it("a key still named elsewhere stays linked", () => {
    const plan = planEvent(
      event({ trigger: null, title: "Improve login", branch: "feature/PROJ-1-login" }),
      config(BASE),
      { title: "PROJ-1: Improve login" },
    );
    expect(plan.actions).toEqual([]);
  });

  it("a deleted comment's keys are unlinked; the config may delete Yandex's link comment", () => {
    const plan = planEvent(
      event({ trigger: null }),
      config({ ...BASE, unlink: { yandex_comment: "delete" } }),
      { removedComment: "Part of PROJ-9" },
    );
    expect(plan.actions).toEqual([
      expect.objectContaining({ kind: "unlink", key: "PROJ-9", yandexComment: "delete" }),
    ]);
  });

  it("`/trackbridge unlink` unlinks what it names", () => {
    const plan = planEvent(event({ trigger: null }), config(BASE), {}, { unlink: ["PROJ-4"] });
    expect(plan.actions.map((a) => `${a.kind} ${a.key}`)).toEqual(["unlink PROJ-4"]);
  });

  it.each([
    ["author", "alice"],
    ["assignees", "bob"],
  ] as const)("every move assigns the %s (%s)", (from, person) => {
    const plan = planEvent(
      event({ branch: "feature/PROJ-1" }),
      config({ ...BASE, assignee: { from } }),
    );
    expect(plan.actions.map((a) => a.kind)).toEqual(["move", "assign", "link"]);
    expect(plan.actions[1]).toEqual({
      kind: "assign",
      key: "PROJ-1",
      person,
      from,
      overwrite: false,
    });
  });

  it("match: email asks the executor to look the person up by e-mail (people stays the default)", () => {
    const plan = planEvent(
      event({ branch: "feature/PROJ-1" }),
      config({ ...BASE, assignee: { from: "author", match: "email" } }),
    );
    expect(plan.actions[1]).toEqual({
      kind: "assign",
      key: "PROJ-1",
      person: "alice",
      from: "author",
      overwrite: false,
      match: "email",
    });
  });

  it("the merger is known only once merged", () => {
    const rules = config({ ...BASE, assignee: { from: "merger", overwrite: true } });
    const open = planEvent(event({ branch: "feature/PROJ-1" }), rules);
    expect(open.actions.map((a) => a.kind)).toEqual(["move", "link"]);
    const merged = planEvent(
      event({ branch: "feature/PROJ-1", trigger: "merged", merged: true, mergedBy: "carol" }),
      rules,
    );
    expect(merged.actions[1]).toMatchObject({ kind: "assign", person: "carol", overwrite: true });
  });

  it("a create rides along with what else the event plans", () => {
    const plan = planEvent(
      event(),
      config({ ...BASE, create: { queue: "PROJ", when: "no_key" } }),
      {},
      { create: { via: "no_key" } },
    );
    expect(plan.actions.map((a) => `${a.kind} ${a.key}`)).toEqual(["create PROJ (new)"]);
  });
});
