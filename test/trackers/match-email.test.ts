/**
 * `assignee.match: email` when the executor assigns: the people map first; else the tracker's
 * one user with the person's GitHub e-mail, asked of GitHub (`publicEmail`, a stand-in here)
 * only then (Jira Cloud's user search, over HTTP against its simulator); else a warning that
 * names why, never the e-mail, never an error. Yandex Tracker's user list is read once an hour.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { PlannedAction } from "../../src/core/types.js";
import { startJiraSimulator } from "../../src/simulators/jira/index.js";
import { startRedmineSimulator } from "../../src/simulators/redmine/index.js";
import type { TrackerSimulator } from "../../src/simulators/shared/admin.js";
import { startYandexSimulator } from "../../src/simulators/yandex/index.js";
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

/** GitHub's profiles as `publicEmail` answers them; `asked` lists every login asked for. */
function githubEmails(emails: Record<string, string>) {
  const asked: string[] = [];
  const publicEmail = async (login: string) => {
    asked.push(login);
    return emails[login] ?? null;
  };
  return { asked, publicEmail };
}

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
  const searched = () => sim.requests.some((r) => r.path.includes("user/search"));

  it("assigns the tracker's user with the person's GitHub e-mail", async () => {
    const github = githubEmails({ "alice-gh": "alice@acme.test" });
    const result = await applyAction(tracker, assign(), { publicEmail: github.publicEmail });
    expect(result.summary).toBe(`assigned to ${ALICE_ACCOUNT}`);
    expect(sim.getIssue("PROJ-1").assignee).toBe(ALICE_ACCOUNT);
    expect(github.asked).toEqual(["alice-gh"]);
    expect(sim.requests.map((r) => `${r.method} ${r.path}`)).toContain(
      "GET /rest/api/3/user/search",
    );
  });

  it("takes the people map first, asking neither GitHub nor the tracker", async () => {
    const github = githubEmails({ "alice-gh": "alice@acme.test" });
    await applyAction(tracker, assign(), {
      people: { "alice-gh": "mapped-account" },
      publicEmail: github.publicEmail,
    });
    expect(sim.getIssue("PROJ-1").assignee).toBe("mapped-account");
    expect(github.asked).toEqual([]);
    expect(searched()).toBe(false);
  });

  it("warns, without the e-mail, when nobody has it or GitHub shows none", async () => {
    const github = githubEmails({ "alice-gh": "zed@elsewhere.test" });
    const unknown = await applyAction(tracker, assign(), { publicEmail: github.publicEmail });
    expect(unknown.summary).toBe(
      "warning: not assigned: alice-gh is not in the people map of connection jira, and no single user of it has their GitHub e-mail",
    );
    expect(unknown.summary).not.toContain("zed@");
    const none = await applyAction(tracker, assign(), {
      publicEmail: githubEmails({}).publicEmail,
    });
    expect(none.summary).toBe(
      "warning: not assigned: alice-gh is not in the people map of connection jira, and shows no public e-mail on GitHub",
    );
    const people = await applyAction(tracker, assign({ match: undefined }), {
      publicEmail: github.publicEmail,
    });
    expect(people.summary).toBe(
      "warning: not assigned: alice-gh is not in the people map of connection jira",
    );
    expect(github.asked).toEqual(["alice-gh"]);
    expect(sim.getIssue("PROJ-1").assignee).toBeNull();
  });

  it("fails the job, to be retried, when GitHub cannot say: not a warning", async () => {
    const outage = Object.assign(new Error("GitHub: could not read the public e-mail"), {
      status: 502,
    });
    const failed = applyAction(tracker, assign(), { publicEmail: () => Promise.reject(outage) });
    await expect(failed).rejects.toBe(outage);
    expect(searched()).toBe(false);
  });
});

describe("match: email where the tracker cannot search users", () => {
  it("warns that it cannot (Redmine), without asking GitHub", async () => {
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
      const github = githubEmails({ "alice-gh": "alice@acme.test" });
      const result = await applyAction(tracker, assign({ key: "RM-1" }), {
        publicEmail: github.publicEmail,
      });
      expect(result.summary).toBe(
        "warning: not assigned: alice-gh is not in the people map of connection redmine, and redmine cannot find users by e-mail",
      );
      expect(github.asked).toEqual([]);
    } finally {
      await sim.close();
    }
  });
});

describe("match: email on Yandex Tracker", () => {
  it("reads the organization's user list once for several look-ups", async () => {
    const sim = await startYandexSimulator({ token: TOKEN, orgId: "4242" });
    try {
      const tracker = createTracker({
        name: "yandex",
        type: "yandex",
        url: sim.url,
        token: TOKEN,
        orgId: "4242",
      });
      const first = await tracker.findUserByEmail!("alice@acme.test");
      expect(first).not.toBeNull();
      expect(await tracker.findUserByEmail!("Alice@acme.test")).toEqual(first);
      expect(await tracker.findUserByEmail!("nobody@acme.test")).toBeNull();
      const pages = sim.requests.filter((r) => /^\/v[23]\/users\/?$/.test(r.path));
      expect(pages).toHaveLength(1);
    } finally {
      await sim.close();
    }
  });
});
