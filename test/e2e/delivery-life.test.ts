/**
 * The delivery life after the pull request, end to end over real HTTP: work started from a
 * branch, deployments per environment (globs, compare since the last deployment), releases
 * stamping fix versions (created when missing) in both trackers.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestbed, type Testbed } from "../../src/simulators/scenario/testbed.js";
import { branchCreated, deployedTo, latestCheckRun, pushed, released, status } from "./world.js";

const CONFIG = (field: string) => `keys: { projects: [PROJ] }
statuses:
  started: In progress
  opened: In review
  approved: Ready for test
  merged: Closed
  released: Closed
bench: { field: ${field} }
deployments:
  staging: { status: Ready for test }
  "review/*": { field: ${field} }
release: { version: "web {tag}", strip_v: true }
`;

describe.each([
  ["yandex", "benchLink", "customfield_10010"],
  ["jira", "Bench link", "customfield_10010"],
] as const)("the delivery life (%s)", (tracker, field, jiraField) => {
  let bed: Testbed;
  const fieldOf = (key: string) =>
    bed.tracker.getIssue(key).fields[tracker === "yandex" ? "benchLink" : jiraField];
  beforeAll(async () => {
    bed = await startTestbed({ tracker, repoConfig: CONFIG(field) });
    bed.github.pushCommits(bed.owner, bed.repo, "main", [
      { sha: "a".repeat(40), message: "initial" },
    ]);
  });
  afterAll(async () => bed.close());

  it("a created branch moves its issue to statuses.started, reported on the branch head", async () => {
    bed.tracker.createIssue("PROJ-1");
    await branchCreated(bed, "feature/PROJ-1-login");
    expect(status(bed, "PROJ-1")).toBe("In progress");
    expect(latestCheckRun(bed).output.summary).toContain("PROJ-1");
  });

  it("the first push moves; later pushes do not, and never move an issue back", async () => {
    bed.tracker.createIssue("PROJ-2");
    await pushed(bed, "PROJ-2-search", [{ message: "start" }], { created: true });
    expect(status(bed, "PROJ-2")).toBe("In progress");
    bed.tracker.updateIssue("PROJ-2", { status: "open" });
    await pushed(bed, "PROJ-2-search", [{ message: "more" }]);
    expect(status(bed, "PROJ-2")).toBe("Open");
    // A branch re-created for an issue already in review leaves it there.
    bed.tracker.createIssue("PROJ-3", { status: "inReview" });
    await pushed(bed, "PROJ-3", [{ message: "x" }], { created: true });
    expect(status(bed, "PROJ-3")).toBe("In review");
    expect(latestCheckRun(bed).output.summary).toMatch(
      /left in In review \(further along than In progress\)/,
    );
  });

  it("a deployment to staging moves the issues of every commit since the last staging deployment", async () => {
    for (const key of ["PROJ-4", "PROJ-5", "PROJ-6"])
      bed.tracker.createIssue(key, { status: "inReview" });
    const first = bed.github.pushCommits(bed.owner, bed.repo, "main", [
      { sha: "b".repeat(40), message: "PROJ-4: first feature" },
    ]);
    await deployedTo(bed, {
      ref: "main",
      sha: first,
      url: "https://staging.example",
      environment: "staging",
    });
    expect(status(bed, "PROJ-4")).toBe("Ready for test");
    const second = bed.github.pushCommits(bed.owner, bed.repo, "main", [
      { sha: "c".repeat(40), message: "PROJ-5: second feature" },
      { sha: "d".repeat(40), message: "Merge: tidy up" },
    ]);
    await deployedTo(bed, {
      ref: "main",
      sha: second,
      url: "https://staging.example",
      environment: "staging",
    });
    expect(status(bed, "PROJ-5")).toBe("Ready for test");
    expect(status(bed, "PROJ-6")).toBe("In review");
    // bench.field is still the default field for every environment.
    expect(fieldOf("PROJ-5")).toBe("https://staging.example");
  });

  it("an environment matching a glob writes its field and moves nothing", async () => {
    bed.tracker.createIssue("PROJ-7", { status: "inReview" });
    await deployedTo(bed, {
      ref: "PROJ-7-x",
      sha: "e".repeat(40),
      url: "https://pr-7.review.example",
      environment: "review/pr-7",
    });
    expect(fieldOf("PROJ-7")).toBe("https://pr-7.review.example");
    expect(status(bed, "PROJ-7")).toBe("In review");
  });

  it("a release stamps the version on the issues since the previous release, creating it once, and moves them", async () => {
    bed.tracker.createIssue("PROJ-8", { status: "readyForTest" });
    bed.tracker.createIssue("PROJ-9", { status: "readyForTest" });
    await released(bed, "v1.0.0");
    expect(bed.tracker.versions("PROJ")).toEqual(["web 1.0.0"]);
    expect(bed.tracker.getIssue("PROJ-4").fixVersions).toEqual(["web 1.0.0"]);
    bed.github.pushCommits(bed.owner, bed.repo, "main", [
      { sha: "f1".padEnd(40, "0"), message: "PROJ-8: fast search" },
      { sha: "f2".padEnd(40, "0"), message: "PROJ-9 and PROJ-8 again" },
    ]);
    await released(bed, "v1.1.0");
    expect(bed.tracker.versions("PROJ")).toEqual(["web 1.0.0", "web 1.1.0"]);
    const summary = latestCheckRun(bed).output.summary ?? "";
    expect(summary).toContain("fix version web 1.1.0");
    expect(bed.tracker.getIssue("PROJ-8").fixVersions).toEqual(["web 1.1.0"]);
    expect(bed.tracker.getIssue("PROJ-9").fixVersions).toEqual(["web 1.1.0"]);
    expect(bed.tracker.getIssue("PROJ-4").fixVersions).toEqual(["web 1.0.0"]);
    expect(status(bed, "PROJ-8")).toBe("Closed");
  });

  it("a release stamping many issues at once creates its version once, though the tracker would take two", async () => {
    bed.tracker.acceptDuplicateVersions(true);
    bed.tracker.setLatency(40); // the issues' jobs overlap, as on a real tracker
    try {
      const keys = Array.from({ length: 8 }, (_, i) => `PROJ-${20 + i}`);
      for (const key of keys) bed.tracker.createIssue(key, { status: "readyForTest" });
      bed.github.pushCommits(
        bed.owner,
        bed.repo,
        "main",
        keys.map((key, i) => ({ sha: `e${i}`.padEnd(40, "0"), message: `${key}: part ${i}` })),
      );
      await released(bed, "v3.0.0");
      expect(bed.tracker.versions("PROJ").filter((v) => v === "web 3.0.0")).toHaveLength(1);
      for (const key of keys) expect(bed.tracker.getIssue(key).fixVersions).toEqual(["web 3.0.0"]);
    } finally {
      bed.tracker.acceptDuplicateVersions(false);
      bed.tracker.setLatency(0);
    }
  });

  it("a prerelease does nothing unless the config opts in", async () => {
    bed.tracker.createIssue("PROJ-10", { status: "readyForTest" });
    bed.github.pushCommits(bed.owner, bed.repo, "main", [
      { sha: "f3".padEnd(40, "0"), message: "PROJ-10" },
    ]);
    await released(bed, "v1.2.0-rc.1", { prerelease: true });
    expect(bed.tracker.getIssue("PROJ-10").fixVersions).toEqual([]);
    expect(status(bed, "PROJ-10")).toBe("Ready for test");
  });
});
