/**
 * Keys come from the branch, title, body, comments and commits. Events that only add keys
 * (an edit, a comment) act on the new keys and never move the others backwards.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appJson } from "../../src/simulators/github/index.js";
import {
  commentPayload,
  githubNow,
  pullRequestPayload,
} from "../../src/simulators/scenario/payloads.js";
import {
  DEFAULT_REPO_CONFIG,
  startTestbed,
  type Testbed,
} from "../../src/simulators/scenario/testbed.js";
import {
  comment,
  common,
  latestCheckRun,
  openPr,
  prEvent,
  review,
  send,
  status,
  user,
} from "./world.js";

describe("key sources", () => {
  let bed: Testbed;
  beforeAll(async () => {
    bed = await startTestbed({ tracker: "yandex" });
    for (const n of [1, 2, 3, 4, 5, 6, 7, 8, 9]) bed.tracker.createIssue(`PROJ-${n}`);
  });
  afterAll(async () => bed.close());

  it("a key in a comment is linked and gets the PR's state; earlier keys are not moved back", async () => {
    const pr = openPr(bed, { number: 1, branch: "feature/PROJ-1-a", title: "A" });
    await prEvent(bed, "opened", pr);
    await review(bed, "approved", pr);
    expect(status(bed, "PROJ-1")).toBe("Ready for test");

    await comment(bed, pr, "This also fixes PROJ-2");
    expect(status(bed, "PROJ-2")).toBe("In progress");
    expect(status(bed, "PROJ-1")).toBe("Ready for test");
    expect(latestCheckRun(bed).output.summary).toContain("PROJ-2");
  });

  it("an edited body picks up its new keys only", async () => {
    const pr = openPr(bed, { number: 2, branch: "feature/PROJ-3-b", title: "B", body: "Body" });
    await prEvent(bed, "opened", pr);
    await review(bed, "approved", pr);
    const edited = bed.github.updatePullRequest(bed.owner, bed.repo, 2, {
      body: "Body, and PROJ-4",
    });
    await send(
      bed,
      "pull_request",
      pullRequestPayload("edited", edited, common(bed), { body: { from: "Body" } }),
    );
    expect(status(bed, "PROJ-4")).toBe("In progress");
    expect(status(bed, "PROJ-3")).toBe("Ready for test");
  });

  it("keys in commit messages count", async () => {
    const pr = openPr(bed, {
      number: 3,
      branch: "cleanup",
      title: "Cleanup",
      commits: ["PROJ-5 tidy", "refs PROJ-6"],
    });
    await prEvent(bed, "opened", pr);
    expect(status(bed, "PROJ-5")).toBe("In progress");
    expect(status(bed, "PROJ-6")).toBe("Open");
    // The payload says the PR has no comments: they are not fetched.
    expect(bed.github.requests.some((r) => r.path.endsWith("/issues/3/comments"))).toBe(false);
    expect(bed.github.requests.some((r) => r.path.endsWith("/pulls/3/commits"))).toBe(true);
  });

  it("keys.from limits the sources", async () => {
    bed.github.setFile(
      bed.owner,
      bed.repo,
      ".github/trackbridge.yml",
      `${DEFAULT_REPO_CONFIG.replace("keys:\n  projects: [PROJ]", "keys:\n  projects: [PROJ]\n  from: [branch]")}`,
    );
    try {
      const pr = openPr(bed, { number: 4, branch: "PROJ-7-only", title: "PROJ-8 in the title" });
      await prEvent(bed, "opened", pr);
      expect(status(bed, "PROJ-7")).toBe("In progress");
      expect(status(bed, "PROJ-8")).toBe("Open");
    } finally {
      bed.github.setFile(bed.owner, bed.repo, ".github/trackbridge.yml", DEFAULT_REPO_CONFIG);
    }
  });

  it("the App's own comments are ignored", async () => {
    const pr = openPr(bed, { number: 5, branch: "docs", title: "Docs" });
    const payload = commentPayload(
      pr,
      {
        id: 99,
        body: "fixes PROJ-9",
        created_at: githubNow(),
        user: user("trackbridge[bot]", "Bot"),
      },
      common(bed, "trackbridge[bot]", "Bot"),
    );
    (payload.comment as Record<string, unknown>).performed_via_github_app = appJson({
      id: 4242,
      slug: "trackbridge",
      owner: "acme",
      createdAt: "2024-01-01T00:00:00Z",
    });
    await send(bed, "issue_comment", payload);
    expect(status(bed, "PROJ-9")).toBe("Open");
  });
});
