/**
 * The App's GitHub simulator's projects seen as the testbed's tracker: an assignee set over
 * GraphQL shows in the snapshot, the repository's issues are listed as its queue, and a fault
 * the GitHub simulator cannot inject is refused rather than silently reduced to a status.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type GitHubSimulator, startGitHubSimulator } from "../../src/simulators/github/index.js";
import { projectsAsTracker } from "../../src/simulators/github-projects/tracker-view.js";
import type { TrackerSimulator } from "../../src/simulators/shared/admin.js";
import { APP_ID } from "./github-fixtures.js";

let github: GitHubSimulator;
let tracker: TrackerSimulator;
beforeAll(async () => {
  github = await startGitHubSimulator({ appId: APP_ID });
  github.addRepo({ owner: "acme", name: "web", installationId: 7 });
  tracker = projectsAsTracker(github);
});
afterAll(() => github.close());
beforeEach(() => {
  tracker.reset();
  github.clearFaults();
});

describe("GitHub Projects as the testbed's tracker", () => {
  it("shows the first assignee set over GraphQL", async () => {
    tracker.createIssue("acme/web#3");
    expect(tracker.getIssue("acme/web#3").assignee).toBeNull();
    const answer = await fetch(`${github.url}/graphql`, {
      method: "POST",
      headers: {
        authorization: `bearer ${github.installationToken(7)}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({
        query:
          'mutation($id: ID!) { updateIssue(input: { id: $id, assigneeIds: ["U_alice", "U_bob"] }) { issue { id } } }',
        variables: { id: github.projects.getIssue("acme/web#3").id },
      }),
    });
    expect(await answer.json()).not.toHaveProperty("errors");
    expect(tracker.getIssue("acme/web#3").assignee).toBe("alice");
  });

  it("lists the repository's issues as its queue", () => {
    tracker.createIssue("acme/web#1");
    tracker.createIssue("acme/web#2");
    expect([...tracker.issueKeys("acme/web")].sort()).toEqual(["acme/web#1", "acme/web#2"]);
  });

  it("injects a status fault and refuses the fields it cannot honour", () => {
    expect(() => tracker.injectFaults({ status: 503, count: 1 })).not.toThrow();
    expect(() => tracker.injectFaults({ count: 1, drop: true, afterCommit: true })).toThrow(
      "GitHub Projects faults take only status and count, not drop, afterCommit",
    );
    expect(() => tracker.injectFaults({ status: 429, count: 1, retryAfterSeconds: 3 })).toThrow(
      /retryAfterSeconds/,
    );
  });
});
