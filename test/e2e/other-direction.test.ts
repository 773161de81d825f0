/**
 * The other direction over real HTTP, with the App as a child process (as `npm start` runs
 * it) against the GitHub and Jira simulators: a PR with no key gets exactly one issue even
 * when Jira commits the create and the answer is lost; the key is written back into the
 * title and the PR's life then moves that issue; the assignee follows the author through the
 * people map, and one a person set is left alone; a key edited out takes its remote link.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  githubNow,
  pullRequestPayload,
  reviewPayload,
} from "../../src/simulators/scenario/payloads.js";
import type { Testbed } from "../../src/simulators/scenario/testbed.js";
import {
  type AppProcess,
  jiraConnectionsFile,
  startJiraConnectionsApp,
  waitFor,
} from "./app-process.js";
import { common, latestCheckRun, openPr } from "./world.js";

const ACCOUNT = { alice: "5b10ac8d82e05b22cc7d4ef5", bob: "5b10a2844c20165700ede21g" };
const CONFIG = `connection: jira
keys: { projects: [PROJ] }
statuses: { opened: In progress, approved: Ready for test, changes_requested: Needs improvement, merged: Closed }
create: { queue: PROJ, when: no_key }
assignee: { from: author }
`;

describe("create, unlink and assignees with the App as a process (jira)", {
  timeout: 240_000,
}, () => {
  let bed: Testbed;
  let app: AppProcess;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "trackbridge-other-"));
    ({ bed, app } = await startJiraConnectionsApp({
      file: path.join(dir, "connections.yml"),
      connections: jiraConnectionsFile(ACCOUNT),
      repoConfig: CONFIG,
    }));
  }, 120_000);
  afterAll(async () => {
    if (process.env.DEBUG_APP) console.log(app?.output().slice(-6000));
    app?.child.kill("SIGKILL");
    await bed?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const deliver = async (event: string, payload: unknown) => {
    const answer = await bed.github.deliver({ event, payload });
    expect(answer.status_code).toBe(202);
  };
  const title = (number: number) => bed.github.pullRequest(bed.owner, bed.repo, number).title;

  it("a PR with no key gets exactly one issue though Jira drops the answer to the create", async () => {
    // Jira commits the create, then the connection drops: the job's outcome is unknown.
    bed.tracker.injectFaults({
      count: 1,
      drop: true,
      afterCommit: true,
      method: "POST",
      pathIncludes: "/rest/api/3/issue",
    });
    const pr = openPr(bed, { number: 1, branch: "feature/login", title: "Login form" });
    await deliver("pull_request", pullRequestPayload("opened", pr, common(bed, "alice")));

    // Written back into the title; GitHub's `edited` (sent by the App's bot) then links the
    // issue, moves it to where an opened PR puts it and assigns the author.
    await waitFor(() => title(1) === "PROJ-1: Login form");
    await waitFor(
      () =>
        bed.tracker.hasIssue("PROJ-1") &&
        bed.tracker.getIssue("PROJ-1").status.display === "In progress",
    );
    await waitFor(() => bed.tracker.getIssue("PROJ-1").assignee === ACCOUNT.alice);
    expect(bed.tracker.issueKeys("PROJ")).toEqual(["PROJ-1"]);
    const issue = bed.tracker.getIssue("PROJ-1");
    expect(issue.fields.summary).toBe("Login form");
    expect(issue.links.map((link) => link.url)).toEqual(["https://github.com/acme/web/pull/1"]);
    // The retry asked Jira for the marker before creating again, and created nothing.
    const creates = bed.tracker.requests.filter(
      (r) => r.method === "POST" && r.path === "/rest/api/3/issue",
    );
    expect(creates).toHaveLength(1);
    expect(bed.tracker.requests.some((r) => r.query.includes("labels"))).toBe(true);
  });

  it("its life then moves that issue; an assignee a person set is left alone", async () => {
    const pr = bed.github.pullRequest(bed.owner, bed.repo, 1);
    await deliver(
      "pull_request_review",
      reviewPayload("approved", pr, common(bed, "bob"), githubNow(2000)),
    );
    await waitFor(() => bed.tracker.getIssue("PROJ-1").status.display === "Ready for test");
    expect(bed.tracker.getIssue("PROJ-1").assignee).toBe(ACCOUNT.alice);

    bed.tracker.updateIssue("PROJ-1", { assignee: "carol-by-hand" });
    await deliver(
      "pull_request_review",
      reviewPayload("changes_requested", pr, common(bed, "bob"), githubNow(4000)),
    );
    await waitFor(() => bed.tracker.getIssue("PROJ-1").status.display === "Needs improvement");
    await waitFor(() => /assigned by a person/.test(latestCheckRun(bed).output.summary ?? ""));
    expect(bed.tracker.getIssue("PROJ-1").assignee).toBe("carol-by-hand");
    expect(bed.tracker.issueKeys("PROJ")).toEqual(["PROJ-1"]);
  });

  it("a key edited out of the title removes the Jira remote link and moves nothing back", async () => {
    bed.tracker.createIssue("PROJ-50");
    const pr = openPr(bed, { number: 2, branch: "fix/typo", title: "PROJ-50: Fix typo" });
    await deliver("pull_request", pullRequestPayload("opened", pr, common(bed, "bob")));
    await waitFor(() => bed.tracker.getIssue("PROJ-50").links.length === 1);
    await waitFor(() => bed.tracker.getIssue("PROJ-50").status.display === "In progress");
    // The author (alice) is assigned, not who sent the event.
    expect(bed.tracker.getIssue("PROJ-50").assignee).toBe(ACCOUNT.alice);

    const edited = bed.github.updatePullRequest(bed.owner, bed.repo, 2, { title: "Fix typo" });
    await deliver(
      "pull_request",
      pullRequestPayload("edited", edited, common(bed, "bob"), {
        title: { from: "PROJ-50: Fix typo" },
      }),
    );
    await waitFor(() => bed.tracker.getIssue("PROJ-50").links.length === 0);
    await waitFor(() => /unlinked/.test(latestCheckRun(bed).output.summary ?? ""));
    expect(bed.tracker.getIssue("PROJ-50").status.display).toBe("In progress");
    // A key edited out is not a PR without a key: `when: no_key` acts on opening only.
    expect(bed.tracker.issueKeys("PROJ")).toEqual(["PROJ-1", "PROJ-50"]);
  });
});
