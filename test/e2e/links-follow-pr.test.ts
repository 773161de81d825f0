/**
 * Links follow the PR: a key removed from a PR's text no longer counts as linked to it, so it
 * cannot hold a wait_for_all_prs merge forever. Through the real App in-process.
 */
import { afterEach, expect, it } from "vitest";
import { pullRequestPayload } from "../../src/simulators/scenario/payloads.js";
import {
  DEFAULT_REPO_CONFIG,
  startTestbed,
  type Testbed,
} from "../../src/simulators/scenario/testbed.js";
import { common, merge, openPr, prEvent, send, status } from "./world.js";

let bed: Testbed | undefined;
afterEach(async () => {
  await bed?.close();
  bed = undefined;
});

it("a key edited out of the other PR's body no longer holds the wait_for_all_prs merge", async () => {
  bed = await startTestbed({ repoConfig: `${DEFAULT_REPO_CONFIG}wait_for_all_prs: true\n` });
  bed.tracker.createIssue("PROJ-7");
  const first = openPr(bed, { number: 11, branch: "PROJ-7-api", title: "API" });
  const second = openPr(bed, { number: 12, branch: "ui", title: "UI", body: "Also PROJ-7" });
  await prEvent(bed, "opened", first);
  await prEvent(bed, "opened", second);
  const runsBefore = bed.github.checkRuns(bed.owner, bed.repo).length;
  const edited = bed.github.updatePullRequest(bed.owner, bed.repo, 12, { body: "Only UI work" });
  await send(
    bed,
    "pull_request",
    pullRequestPayload("edited", edited, common(bed), { body: { from: "Also PROJ-7" } }),
  );
  // The edit added no key: it writes no check run, it only updates what #12 references.
  expect(bed.github.checkRuns(bed.owner, bed.repo)).toHaveLength(runsBefore);
  await merge(bed, 11);
  expect(status(bed, "PROJ-7")).toBe("Closed");
  const run = bed.github.checkRuns(bed.owner, bed.repo).find((r) => r.head_sha === first.head.sha);
  expect(run?.output.summary).not.toContain("waiting for #12");
});
