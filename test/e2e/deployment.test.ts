/** A successful deployment_status writes the environment URL into each issue's bench field. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestbed, type Testbed } from "../../src/simulators/scenario/testbed.js";
import { deployed, latestCheckRun, openPr, sha } from "./world.js";

describe.each([
  [
    "yandex",
    "benchLink",
    (bed: Testbed, key: string) => bed.tracker.getIssue(key).fields.benchLink,
  ],
  [
    "jira",
    "Bench link",
    (bed: Testbed, key: string) => bed.tracker.getIssue(key).fields.customfield_10010,
  ],
] as const)("deployments write the bench URL (%s)", (tracker, field, read) => {
  let bed: Testbed;
  beforeAll(async () => {
    bed = await startTestbed({
      tracker,
      repoConfig: `keys: { projects: [PROJ] }\nbench: { field: ${field} }\n`,
    });
  });
  afterAll(async () => bed.close());

  it("from the deployed branch and the head commit's message, reported on the commit", async () => {
    bed.tracker.createIssue("PROJ-31");
    bed.tracker.createIssue("PROJ-32");
    const pr = openPr(bed, { number: 1, branch: "feature/PROJ-31-bench", title: "Bench" });
    const head = sha();
    bed.github.addCommit(bed.owner, bed.repo, 1, { sha: head, message: "PROJ-32: wire the bench" });
    await deployed(bed, { ref: pr.head.ref, sha: head, url: "https://pr-31.bench.example.com" });
    expect(read(bed, "PROJ-31")).toBe("https://pr-31.bench.example.com");
    expect(read(bed, "PROJ-32")).toBe("https://pr-31.bench.example.com");
    const run = latestCheckRun(bed);
    expect(run.head_sha).toBe(head);
    expect(run.output.summary).toContain("PROJ-31");
  });

  it("a deployed commit GitHub cannot find still writes the URL for the ref's key, and says so", async () => {
    bed.tracker.createIssue("PROJ-34");
    const pr = openPr(bed, { number: 3, branch: "feature/PROJ-34-x", title: "x" });
    await deployed(bed, {
      ref: pr.head.ref,
      sha: "f".repeat(40),
      url: "https://pr-34.bench.example.com",
    });
    expect(read(bed, "PROJ-34")).toBe("https://pr-34.bench.example.com");
    expect(latestCheckRun(bed).output.summary).toContain("could not be read");
  });

  it("a field the tracker refuses is reported with the tracker's message", async () => {
    bed.github.setFile(
      bed.owner,
      bed.repo,
      ".github/trackbridge.yml",
      `keys: { projects: [PROJ] }\nbench: { field: ${tracker === "yandex" ? "resolvedBy" : "Team"} }\n`,
    );
    bed.tracker.createIssue("PROJ-33");
    const pr = openPr(bed, { number: 2, branch: "PROJ-33", title: "x" });
    const head = sha();
    bed.github.addCommit(bed.owner, bed.repo, 2, { sha: head, message: "deploy" });
    await deployed(bed, { ref: pr.head.ref, sha: head, url: "https://pr-33.bench.example.com" });
    const summary = latestCheckRun(bed).output.summary;
    expect(summary).toMatch(tracker === "yandex" ? /resolvedBy/ : /cannot be set/);
  });
});
