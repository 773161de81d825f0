/**
 * Issue 11: about one GitHub request per event. The real App against the GitHub simulator,
 * which answers conditional requests with 304 and sends x-ratelimit-* headers as GitHub does.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  commentPayload,
  githubNow,
  pullRequestPayload,
} from "../../src/simulators/scenario/payloads.js";
import {
  DEFAULT_REPO_CONFIG,
  INSTALLATION_ID,
  startTestbed,
  type Testbed,
} from "../../src/simulators/scenario/testbed.js";
import { comment, common, openPr, prEvent, pushed, send, sha, status, user } from "./world.js";

const CONFIG = ".github/trackbridge.yml";

function configReads(bed: Testbed) {
  return bed.github.requests.filter((r) => r.path.endsWith(CONFIG)).map((r) => r.status);
}

describe("GitHub requests", () => {
  let bed: Testbed;
  beforeAll(async () => {
    bed = await startTestbed({ tracker: "yandex" });
  });
  afterAll(async () => bed.close());

  it("the config is read conditionally: a 304 is served from the cache", async () => {
    bed.tracker.createIssue("PROJ-31");
    bed.tracker.createIssue("PROJ-32");
    bed.github.resetRequests();
    await prEvent(bed, "opened", openPr(bed, { number: 31, branch: "PROJ-31", title: "a" }));
    await prEvent(bed, "opened", openPr(bed, { number: 32, branch: "PROJ-32", title: "b" }));
    expect(configReads(bed)).toEqual([200, 304]);
    // The second event planned from the cached file: its issue moved as the config says.
    expect(status(bed, "PROJ-32")).toBe("In progress");
  });

  it("a push that changes the config is seen by the next event", async () => {
    bed.tracker.createIssue("PROJ-33");
    bed.github.setFile(
      bed.owner,
      bed.repo,
      CONFIG,
      DEFAULT_REPO_CONFIG.replace("opened: inProgress", "opened: needsImprovement"),
    );
    bed.github.resetRequests();
    // The push to the default branch that changes the config syncs the repository (issue 9),
    // which reads the new file; the next event's conditional read is then a 304 for it.
    await pushed(bed, "main", [{ message: "Ask for review on open", modified: [CONFIG] }]);
    await prEvent(bed, "opened", openPr(bed, { number: 33, branch: "PROJ-33", title: "c" }));
    expect(configReads(bed)).toEqual([200, 304]);
    expect(status(bed, "PROJ-33")).toBe("Needs improvement");
    bed.github.setFile(bed.owner, bed.repo, CONFIG, DEFAULT_REPO_CONFIG);
  });

  it("an _extends source is read conditionally too, and its change is seen", async () => {
    bed.github.addRepo({ owner: bed.owner, name: ".github", installationId: INSTALLATION_ID });
    bed.github.setFile(bed.owner, ".github", CONFIG, DEFAULT_REPO_CONFIG);
    bed.github.setFile(bed.owner, bed.repo, CONFIG, "_extends: .github\n");
    const shared = () =>
      bed.github.requests.filter((r) => r.path.includes("/.github/contents/")).map((r) => r.status);
    bed.tracker.createIssue("PROJ-38");
    bed.tracker.createIssue("PROJ-39");
    bed.github.resetRequests();
    await prEvent(bed, "opened", openPr(bed, { number: 38, branch: "PROJ-38", title: "f" }));
    await prEvent(bed, "opened", openPr(bed, { number: 39, branch: "PROJ-39", title: "g" }));
    expect(shared()).toEqual([200, 304]);
    expect(status(bed, "PROJ-39")).toBe("In progress");

    bed.github.setFile(
      bed.owner,
      ".github",
      CONFIG,
      DEFAULT_REPO_CONFIG.replace("opened: inProgress", "opened: needsImprovement"),
    );
    bed.tracker.createIssue("PROJ-40");
    bed.github.resetRequests();
    await prEvent(bed, "opened", openPr(bed, { number: 40, branch: "PROJ-40", title: "h" }));
    expect(shared()).toEqual([200]);
    expect(status(bed, "PROJ-40")).toBe("Needs improvement");
    bed.github.setFile(bed.owner, bed.repo, CONFIG, DEFAULT_REPO_CONFIG);
  });

  it("a synchronize with a new key in a new commit moves that issue, and only that one", async () => {
    bed.tracker.createIssue("PROJ-34");
    bed.tracker.createIssue("PROJ-35");
    const pr = openPr(bed, {
      number: 34,
      branch: "feature/PROJ-34",
      title: "d",
      commits: ["first"],
    });
    await prEvent(bed, "opened", pr);
    expect(status(bed, "PROJ-34")).toBe("In progress");
    bed.tracker.updateIssue("PROJ-34", { status: "readyForTest" }); // moved on by hand

    const head = sha();
    bed.github.addCommit(bed.owner, bed.repo, 34, { sha: head, message: "PROJ-35: trim input" });
    const pushed = bed.github.updatePullRequest(bed.owner, bed.repo, 34, {
      head: { ref: pr.head.ref, sha: head },
    });
    await send(bed, "pull_request", {
      ...pullRequestPayload("synchronize", pushed, common(bed)),
      before: pr.head.sha,
      after: head,
    });
    expect(status(bed, "PROJ-35")).toBe("In progress");
    expect(status(bed, "PROJ-34")).toBe("Ready for test"); // not moved back
  });

  it("PR text is read once per head: a comment event asks GitHub for nothing but the config", async () => {
    bed.tracker.createIssue("PROJ-36");
    bed.tracker.createIssue("PROJ-37");
    const pr = openPr(bed, { number: 36, branch: "PROJ-36", title: "e", commits: ["one"] });
    await prEvent(bed, "opened", pr);
    bed.github.resetRequests();
    await comment(bed, pr, "This is really PROJ-37");
    expect(status(bed, "PROJ-37")).toBe("In progress");
    const reads = bed.github.requests.filter((r) => r.method === "GET" && r.status !== 304);
    expect(reads.map((r) => r.path)).toEqual([]);
  });
  it("a deleted comment leaves the PR's remembered text", async () => {
    bed.tracker.createIssue("PROJ-51");
    const pr = openPr(bed, { number: 51, branch: "feature/x", title: "PROJ-51 x" });
    await prEvent(bed, "opened", pr);
    await comment(bed, pr, "and PROJ-52 too");
    const memo = bed.server!.store.memo;
    const [kept] = await memo.prComments("acme/web", 51);
    expect(kept?.body).toBe("and PROJ-52 too");
    const payload = commentPayload(
      pr,
      { id: kept!.id, body: kept!.body, created_at: githubNow(), user: user("dave") },
      common(bed, "dave"),
    );
    await send(bed, "issue_comment", { ...payload, action: "deleted" });
    expect(await memo.prComments("acme/web", 51)).toEqual([]);
  });

  it("a comment's created event processed after its deleted one does not bring it back", async () => {
    bed.tracker.createIssue("PROJ-54");
    bed.tracker.createIssue("PROJ-55");
    const pr = openPr(bed, { number: 54, branch: "feature/y", title: "PROJ-54 y" });
    await prEvent(bed, "opened", pr);
    const memo = bed.server!.store.memo;
    const gone = {
      id: 905_401,
      body: "and PROJ-55 too",
      created_at: githubNow(),
      user: user("dave"),
    };
    const payload = commentPayload(pr, gone, common(bed, "dave"));
    // GitHub sent both; the deleted one was processed first (a retry, another replica).
    await send(bed, "issue_comment", { ...payload, action: "deleted" });
    await send(bed, "issue_comment", { ...payload, action: "created" });
    expect(await memo.prComments("acme/web", 54)).toEqual([]);
    expect(status(bed, "PROJ-55")).toBe("Open");
    // A later event of the PR still reads its text without the deleted comment.
    await comment(bed, pr, "see PROJ-54");
    expect((await memo.prComments("acme/web", 54)).map((c) => c.body)).toEqual(["see PROJ-54"]);
    expect(status(bed, "PROJ-55")).toBe("Open");
  });
});

describe("GitHub rate limit", () => {
  let bed: Testbed;
  beforeAll(async () => {
    bed = await startTestbed({ tracker: "yandex" });
  });
  afterAll(async () => bed.close());

  async function retriedOnce(number: number, key: string) {
    bed.tracker.createIssue(key);
    bed.tracker.injectFaults({ status: 503, count: 1 });
    const pr = openPr(bed, { number, branch: key, title: key });
    await prEvent(bed, "opened", pr);
    expect(status(bed, key)).toBe("In progress");
    return bed.github.checkRuns(bed.owner, bed.repo).find((run) => run.head_sha === pr.head.sha)!;
  }

  it("with plenty left, a retry shows an in-progress update", async () => {
    const run = await retriedOnce(41, "PROJ-41");
    expect(run.history.map((h) => h.status)).toContain("in_progress");
  });

  it("with little left, the progress update is deferred and the final report still lands", async () => {
    bed.github.setRateLimitRemaining(INSTALLATION_ID, 40);
    const run = await retriedOnce(42, "PROJ-42");
    expect(run.history.map((h) => h.status)).not.toContain("in_progress");
    expect(run.status).toBe("completed");
    expect(run.output.summary).toContain("PROJ-42");
    expect(bed.server!.githubRateLimits.reading(INSTALLATION_ID)!.remaining).toBeLessThan(40);
  });
});
