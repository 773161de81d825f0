/**
 * The user's story over real HTTP: the real App server (Probot, SQLite store, worker) gets
 * signed webhooks from the GitHub simulator and moves issues in the tracker simulator.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { githubNow } from "../../src/simulators/scenario/payloads.js";
import { startTestbed, type Testbed } from "../../src/simulators/scenario/testbed.js";
import { latestCheckRun, merge, openPr, prEvent, review, status } from "./world.js";

// Jira exposes numeric status ids only, so its config names statuses by display name.
const CONFIGS = {
  yandex: `keys: { projects: [PROJ] }
statuses: { opened: inProgress, draft: open, ready: inReview, approved: readyForTest, changes_requested: needsImprovement, merged: closed, closed: open }
protect: [closed]
`,
  jira: `keys: { projects: [PROJ] }
statuses: { opened: In progress, draft: Open, ready: In review, approved: Ready for test, changes_requested: Needs improvement, merged: Closed, closed: Open }
protect: [Closed]
`,
} as const;

describe.each(["yandex", "jira"] as const)(
  "a pull request's life moves its issue (%s)",
  (tracker) => {
    let bed: Testbed;
    beforeAll(async () => {
      bed = await startTestbed({ tracker, repoConfig: CONFIGS[tracker] });
    });
    afterAll(async () => bed.close());

    it("opened → changes requested → approved → merged", async () => {
      bed.tracker.createIssue("PROJ-123");
      bed.tracker.createIssue("PROJ-7");
      const pr = openPr(bed, {
        number: 1,
        branch: "feature/PROJ-123-login",
        title: "Login form",
        body: "Stores names as UTF-8. Refs PROJ-7",
      });
      await prEvent(bed, "opened", pr);
      expect(status(bed, "PROJ-123")).toBe("In progress");
      expect(latestCheckRun(bed).output.summary).toContain("moved Open → In progress");

      await review(bed, "changes_requested", pr);
      expect(status(bed, "PROJ-123")).toBe("Needs improvement");
      await review(bed, "approved", pr);
      expect(status(bed, "PROJ-123")).toBe("Ready for test");
      await review(bed, "commented", pr);
      expect(status(bed, "PROJ-123")).toBe("Ready for test");
      await merge(bed, 1);
      expect(status(bed, "PROJ-123")).toBe("Closed");

      // A reference is linked, never moved; UTF-8 is not an issue.
      expect(status(bed, "PROJ-7")).toBe("Open");
      expect(bed.tracker.requests.some((r) => r.path.includes("UTF-8"))).toBe(false);

      const run = latestCheckRun(bed);
      expect(run.name).toBe("trackbridge");
      expect(run.conclusion).toBe("neutral");
      expect(run.output.summary).toContain("moved Ready for test → Closed");
      // One check run on the head commit, updated in place.
      expect(
        bed.github
          .checkRuns(bed.owner, bed.repo)
          .filter((r) => r.name === "trackbridge" && r.head_sha === pr.head.sha),
      ).toHaveLength(1);
    });

    it("links the PR from each issue once, however many events", async () => {
      const issue = bed.tracker.getIssue("PROJ-123");
      const linkCount =
        tracker === "yandex"
          ? issue.comments.filter((c) => c.text.includes("/acme/web/pull/1")).length
          : issue.links.filter((l) => JSON.stringify(l).includes("/acme/web/pull/1")).length;
      expect(linkCount).toBe(1);
      expect(
        bed.tracker.getIssue("PROJ-7").comments.length +
          bed.tracker.getIssue("PROJ-7").links.length,
      ).toBe(1);
    });

    it("a draft PR moves to the draft status, ready for review to ready", async () => {
      bed.tracker.createIssue("PROJ-200");
      const pr = openPr(bed, { number: 2, branch: "proj-200-draft", title: "WIP", draft: true });
      await prEvent(bed, "opened", pr);
      expect(status(bed, "PROJ-200")).toBe("Open");
      const ready = bed.github.updatePullRequest(bed.owner, bed.repo, 2, { draft: false });
      await prEvent(bed, "ready_for_review", ready);
      expect(status(bed, "PROJ-200")).toBe("In review");
      const draft = bed.github.updatePullRequest(bed.owner, bed.repo, 2, { draft: true });
      await prEvent(bed, "converted_to_draft", draft);
      expect(status(bed, "PROJ-200")).toBe("Open");
    });

    it("closed without merge, then reopened", async () => {
      bed.tracker.createIssue("PROJ-300");
      const pr = openPr(bed, { number: 3, branch: "PROJ-300", title: "Try" });
      await prEvent(bed, "opened", pr);
      expect(status(bed, "PROJ-300")).toBe("In progress");
      const closed = bed.github.updatePullRequest(bed.owner, bed.repo, 3, {
        state: "closed",
        closedAt: githubNow(),
      });
      await prEvent(bed, "closed", closed);
      expect(status(bed, "PROJ-300")).toBe("Open");
      const reopened = bed.github.updatePullRequest(bed.owner, bed.repo, 3, {
        state: "open",
        closedAt: null,
      });
      await prEvent(bed, "reopened", reopened);
      expect(status(bed, "PROJ-300")).toBe("In progress");
    });

    it("merges by bots and merge queues count like anyone's", async () => {
      bed.tracker.createIssue("PROJ-400");
      const pr = openPr(bed, { number: 4, branch: "PROJ-400-deps", title: "Bump deps" });
      await prEvent(bed, "opened", pr, "dependabot[bot]");
      await review(bed, "approved", pr, "github-actions[bot]", "Bot");
      expect(status(bed, "PROJ-400")).toBe("Ready for test");
      await merge(bed, 4, "github-merge-queue[bot]", "Bot");
      expect(status(bed, "PROJ-400")).toBe("Closed");
    });
  },
);
