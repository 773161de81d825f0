/**
 * What people on the PR see on the `trackbridge` check run when things are not simple:
 * no-ops, protected statuses, missing transitions, unknown issues, invalid config.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  DEFAULT_REPO_CONFIG,
  startTestbed,
  type Testbed,
} from "../../src/simulators/scenario/testbed.js";
import { comment, deployed, latestCheckRun, openPr, prEvent, status } from "./world.js";

describe("the check run explains every outcome", () => {
  let bed: Testbed;
  let number = 100;
  beforeAll(async () => {
    bed = await startTestbed({ tracker: "yandex" });
  });
  afterAll(async () => bed.close());
  beforeEach(() => {
    number += 1;
    bed.github.setFile(bed.owner, bed.repo, ".github/trackbridge.yml", DEFAULT_REPO_CONFIG);
  });

  async function open(key: string) {
    const pr = openPr(bed, { number, branch: `feature/${key}-x`, title: `Work on ${key}` });
    await prEvent(bed, "opened", pr);
    const run = latestCheckRun(bed);
    expect(run.head_sha).toBe(pr.head.sha);
    return run;
  }

  it("already there: no move, one read", async () => {
    bed.tracker.createIssue("PROJ-11", { status: "inProgress" });
    bed.tracker.resetRequests();
    const run = await open("PROJ-11");
    expect(run.output.summary).toContain("already in In progress");
    expect(bed.tracker.requests.filter((r) => r.path.includes("_execute"))).toHaveLength(0);
  });

  it("protected: an issue in a protected status is never moved out of it", async () => {
    bed.tracker.createIssue("PROJ-12", { status: "closed" });
    const run = await open("PROJ-12");
    expect(status(bed, "PROJ-12")).toBe("Closed");
    expect(run.output.summary).toContain("protected: Closed");
  });

  it("no route: names the current status, the transitions that exist and the config that fixes it", async () => {
    bed.github.setFile(
      bed.owner,
      bed.repo,
      ".github/trackbridge.yml",
      "statuses:\n  opened: Deployed\n",
    );
    bed.tracker.createIssue("PROJ-13");
    const run = await open("PROJ-13");
    expect(status(bed, "PROJ-13")).toBe("Open");
    expect(run.output.summary).toMatch(
      /no route to Deployed from Open in the workflow of PROJ \(Task\) \(available: .*Start progress.*\): add `routes: \{ Deployed: \[<status>, …\] \}` to \.github\/trackbridge\.yml/,
    );
  });

  it("unknown issue: says not found, naming the connection", async () => {
    const run = await open("PROJ-999");
    expect(run.output.summary).toContain("issue PROJ-999 not found in yandex");
    expect(run.conclusion).toBe("neutral");
  });

  it("invalid config: reported with each bad field's path, nothing sent to the tracker", async () => {
    bed.github.setFile(
      bed.owner,
      bed.repo,
      ".github/trackbridge.yml",
      "statuses:\n  approved: 42\nkeys:\n  projects: PROJ\ntoken: abc\n",
    );
    bed.tracker.createIssue("PROJ-14");
    bed.tracker.resetRequests();
    const run = await open("PROJ-14");
    expect(run.conclusion).toBe("failure");
    const body = `${run.output.title}\n${run.output.summary}\n${run.output.text ?? ""}`;
    expect(body).toContain("statuses.approved");
    expect(body).toContain("keys.projects");
    expect(body).toContain("never name a tracker URL or token");
    expect(bed.tracker.requests).toHaveLength(0);
  });

  it("YAML that does not parse is reported too", async () => {
    bed.github.setFile(bed.owner, bed.repo, ".github/trackbridge.yml", "statuses: [unclosed\n");
    const run = await open("PROJ-15");
    expect(run.conclusion).toBe("failure");
    expect(`${run.output.summary}${run.output.text}`).toContain(".github/trackbridge.yml");
  });

  it("an unknown connection name is a config error listing the server's connections", async () => {
    bed.github.setFile(bed.owner, bed.repo, ".github/trackbridge.yml", "connection: jira-prod\n");
    const run = await open("PROJ-16");
    expect(run.conclusion).toBe("failure");
    expect(`${run.output.summary}${run.output.text}`).toContain(
      'connection "jira-prod" is not one of',
    );
  });

  it("require_key: a PR with no moving key fails the check, and a deployment does not lift it", async () => {
    bed.github.setFile(
      bed.owner,
      bed.repo,
      ".github/trackbridge.yml",
      `${DEFAULT_REPO_CONFIG}require_key: true\n`,
    );
    const pr = openPr(bed, { number, branch: "chore/update-readme", title: "Docs, see PROJ-1" });
    await prEvent(bed, "opened", pr);
    expect(latestCheckRun(bed).conclusion).toBe("failure");
    bed.github.addCommit(bed.owner, bed.repo, number, { sha: pr.head.sha, message: "docs" });
    await deployed(bed, {
      ref: pr.head.ref,
      sha: pr.head.sha,
      url: "https://docs.bench.example.com",
    });
    expect(latestCheckRun(bed).conclusion).toBe("failure");
  });

  it("later events keep earlier results: a failure stays visible after a comment adds a key", async () => {
    bed.github.setFile(
      bed.owner,
      bed.repo,
      ".github/trackbridge.yml",
      "keys: { projects: [PROJ] }\nstatuses:\n  opened: Deployed\n",
    );
    bed.tracker.createIssue("PROJ-18");
    bed.tracker.createIssue("PROJ-19");
    const pr = openPr(bed, { number, branch: "PROJ-18-x", title: "x" });
    await prEvent(bed, "opened", pr);
    expect(latestCheckRun(bed).output.summary).toContain("no route to Deployed");
    await comment(bed, pr, "Nothing to see here");
    await comment(bed, pr, "Also PROJ-19");
    const summary = latestCheckRun(bed).output.summary;
    expect(summary).toContain("no route to Deployed from Open");
    expect(summary).toMatch(/PROJ-19/);
  });

  it("an empty config file means defaults: keys are linked, nothing is moved", async () => {
    bed.github.setFile(bed.owner, bed.repo, ".github/trackbridge.yml", "");
    bed.tracker.createIssue("PROJ-17");
    const run = await open("PROJ-17");
    expect(status(bed, "PROJ-17")).toBe("Open");
    expect(run.output.summary).toContain("no status configured for");
    expect(bed.tracker.getIssue("PROJ-17").comments).toHaveLength(1);
  });
});

describe("without .github/trackbridge.yml", () => {
  it("does nothing: no tracker call, no check run", async () => {
    const bed = await startTestbed({ tracker: "yandex", repoConfig: null });
    try {
      bed.tracker.createIssue("PROJ-1");
      const pr = openPr(bed, { number: 1, branch: "PROJ-1", title: "x" });
      await prEvent(bed, "opened", pr);
      expect(bed.tracker.requests).toHaveLength(0);
      expect(bed.github.checkRuns(bed.owner, bed.repo)).toHaveLength(0);
    } finally {
      await bed.close();
    }
  });
});
