/**
 * The port's other direction on both adapters, over real HTTP against their simulators:
 * creating an issue exactly once (even when the tracker commits and the answer is lost),
 * taking a PR's link off, and reading and setting the assignee.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startJiraSimulator } from "../../src/simulators/jira/index.js";
import type { TrackerSimulator } from "../../src/simulators/shared/admin.js";
import { startYandexSimulator } from "../../src/simulators/yandex/index.js";
import { createTracker } from "../../src/trackers/create-tracker.js";
import type { Tracker } from "../../src/trackers/port.js";

const TOKEN = "other-direction-token-123456";
const PR = {
  url: "https://github.com/acme/web/pull/12",
  title: "Login form",
  globalId: "https://github.com/acme/web/pull/12",
};
const NEW_ISSUE = {
  project: "PROJ",
  summary: "Login form",
  description: `Pull request: ${PR.url}`,
  marker: "trackbridge:acme/web#12",
};

describe.each(["yandex", "jira"] as const)("%s: create, unlink, assignee", (kind) => {
  let sim: TrackerSimulator;
  let tracker: Tracker;
  beforeAll(async () => {
    sim =
      kind === "yandex"
        ? await startYandexSimulator({ token: TOKEN })
        : await startJiraSimulator({ token: TOKEN, email: "bot@acme.test", apiVersion: 3 });
    tracker = createTracker(
      kind === "yandex"
        ? { name: kind, type: kind, url: sim.url, token: TOKEN }
        : { name: kind, type: kind, url: sim.url, token: TOKEN, email: "bot@acme.test" },
      { timeoutMs: 2_000 },
    );
  });
  afterAll(async () => sim.close());
  beforeEach(() => sim.reset());

  it("creates an issue with the PR's title and a description that links it", async () => {
    sim.createIssue("PROJ-7");
    const result = await tracker.createIssue!(NEW_ISSUE);
    expect(result).toEqual({ key: "PROJ-8", created: true });
    const issue = sim.getIssue("PROJ-8");
    expect(issue.fields.summary).toBe("Login form");
    expect(String(issue.fields.description)).toContain(PR.url);
  });

  it("creates exactly one issue when the tracker commits and the answer is lost", async () => {
    sim.injectFaults({ count: 1, drop: true, afterCommit: true, method: "POST" });
    const first = await tracker.createIssue!(NEW_ISSUE).catch((error: unknown) => error);
    expect(first).toMatchObject({ kind: "network" });
    // The retry: the earlier try's outcome is unknown.
    const again = await tracker.createIssue!(NEW_ISSUE, { earlierTryUnknown: true });
    expect(again).toEqual({ key: "PROJ-1", created: false });
    expect(sim.issueKeys("PROJ")).toEqual(["PROJ-1"]);
  });

  it("a first try never searches", async () => {
    await tracker.createIssue!(NEW_ISSUE);
    expect(sim.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      kind === "yandex" ? "POST /v2/issues/" : "POST /rest/api/3/issue",
    ]);
  });

  it("takes the PR's link off the issue, and says when there was none", async () => {
    sim.createIssue("PROJ-1");
    await tracker.linkPullRequest("PROJ-1", PR);
    expect(await tracker.unlink!("PROJ-1", PR)).toBe("removed");
    const issue = sim.getIssue("PROJ-1");
    if (kind === "jira") expect(issue.links).toEqual([]);
    else expect(issue.comments[0]!.text).toMatch(/^No longer refers to this issue/);
    expect(await tracker.unlink!("PROJ-1", PR)).toBe("absent");
    // Linked again later, the PR gets a live link again.
    expect(await tracker.linkPullRequest("PROJ-1", PR)).toBe("created");
  });

  it("reads and sets the assignee", async () => {
    sim.createIssue("PROJ-1");
    expect(await tracker.getAssignee!("PROJ-1")).toBeNull();
    const set = await tracker.setAssignee!("PROJ-1", "alice");
    expect(await tracker.getAssignee!("PROJ-1")).toEqual(set);
    expect(sim.getIssue("PROJ-1").assignee).toBe("alice");
  });
});

describe("yandex: the link comment may be deleted instead", () => {
  it("deletes the comment when the config says so", async () => {
    const sim = await startYandexSimulator({ token: TOKEN });
    try {
      const tracker = createTracker({ name: "y", type: "yandex", url: sim.url, token: TOKEN });
      sim.createIssue("PROJ-1");
      await tracker.linkPullRequest("PROJ-1", PR);
      expect(await tracker.unlink!("PROJ-1", PR, { yandexComment: "delete" })).toBe("removed");
      expect(sim.getIssue("PROJ-1").comments).toEqual([]);
    } finally {
      await sim.close();
    }
  });
});
