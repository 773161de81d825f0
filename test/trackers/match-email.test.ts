/**
 * `assignee.match: email` when the executor assigns: the people map first; else the tracker's
 * one user with the person's GitHub e-mail (Jira Cloud's user search, over HTTP against its
 * simulator); else a warning that names why, never the e-mail, never an error.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { PlannedAction } from "../../src/core/types.js";
import { startJiraSimulator } from "../../src/simulators/jira/index.js";
import { startRedmineSimulator } from "../../src/simulators/redmine/index.js";
import type { TrackerSimulator } from "../../src/simulators/shared/admin.js";
import { applyAction } from "../../src/trackers/apply-action.js";
import { createTracker } from "../../src/trackers/create-tracker.js";
import type { Tracker } from "../../src/trackers/port.js";

const TOKEN = "match-email-token-0123456789";
const ALICE_ACCOUNT = "5b10ac8d82e05b22cc7d4ef5";

const assign = (
  extra: Partial<Extract<PlannedAction, { kind: "assign" }>> = {},
): PlannedAction => ({
  kind: "assign",
  key: "PROJ-1",
  person: "alice-gh",
  from: "author",
  overwrite: false,
  match: "email",
  ...extra,
});

describe("match: email on Jira Cloud", () => {
  let sim: TrackerSimulator;
  let tracker: Tracker;
  beforeAll(async () => {
    sim = await startJiraSimulator({ token: TOKEN, email: "bot@acme.test", apiVersion: 3 });
    tracker = createTracker({
      name: "jira",
      type: "jira",
      url: sim.url,
      token: TOKEN,
      email: "bot@acme.test",
    });
  });
  afterAll(() => sim.close());
  beforeEach(() => {
    sim.reset();
    sim.createIssue("PROJ-1");
  });

  it("assigns the tracker's user with the person's GitHub e-mail", async () => {
    const result = await applyAction(tracker, assign({ email: "alice@acme.test" }), {});
    expect(result.summary).toBe(`assigned to ${ALICE_ACCOUNT}`);
    expect(sim.getIssue("PROJ-1").assignee).toBe(ALICE_ACCOUNT);
    expect(sim.requests.map((r) => `${r.method} ${r.path}`)).toContain(
      "GET /rest/api/3/user/search",
    );
  });

  it("takes the people map first, without a search", async () => {
    await applyAction(tracker, assign({ email: "alice@acme.test" }), {
      people: { "alice-gh": "mapped-account" },
    });
    expect(sim.getIssue("PROJ-1").assignee).toBe("mapped-account");
    expect(sim.requests.some((r) => r.path.includes("user/search"))).toBe(false);
  });

  it("warns, without the e-mail, when nobody has it or GitHub shows none", async () => {
    const unknown = await applyAction(tracker, assign({ email: "zed@elsewhere.test" }), {});
    expect(unknown.summary).toBe(
      "warning: not assigned: alice-gh is not in the people map of connection jira, and no single user of it has their GitHub e-mail",
    );
    expect(unknown.summary).not.toContain("zed@");
    const none = await applyAction(tracker, assign(), {});
    expect(none.summary).toBe(
      "warning: not assigned: alice-gh is not in the people map of connection jira, and shows no public e-mail on GitHub",
    );
    const people = await applyAction(
      tracker,
      assign({ match: undefined, email: "alice@acme.test" }),
      {},
    );
    expect(people.summary).toBe(
      "warning: not assigned: alice-gh is not in the people map of connection jira",
    );
    expect(sim.getIssue("PROJ-1").assignee).toBeNull();
  });
});

describe("match: email where the tracker cannot search users", () => {
  it("warns that it cannot (Redmine)", async () => {
    const sim = await startRedmineSimulator({ token: TOKEN });
    try {
      sim.createIssue("WEB-1");
      const tracker = createTracker({
        name: "redmine",
        type: "redmine",
        url: sim.url,
        token: TOKEN,
        keyPrefix: "RM",
      });
      const result = await applyAction(
        tracker,
        assign({ key: "RM-1", email: "alice@acme.test" }),
        {},
      );
      expect(result.summary).toBe(
        "warning: not assigned: alice-gh is not in the people map of connection redmine, and redmine cannot find users by e-mail",
      );
    } finally {
      await sim.close();
    }
  });
});
