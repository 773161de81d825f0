/**
 * The sync of already-open pull requests, end to end: `trackbridge sync` against the App's
 * store and the simulators over real HTTP. Dry run, apply (never backwards, idempotent),
 * GitHub's rate limit waited out, a SIGKILLed run resumed, and the sync a config push runs.
 */
import { spawn } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { runSync } from "../../src/cli/sync-command.js";
import { githubNow } from "../../src/simulators/scenario/payloads.js";
import { startTestbed, type Testbed } from "../../src/simulators/scenario/testbed.js";
import { strictYandexWorkflow } from "../../src/simulators/shared/workflow.js";
import { childEnv, waitFor } from "./app-process.js";
import { openPr, pushed, status } from "./world.js";

let bed: Testbed | undefined;
afterEach(async () => {
  await bed?.close();
  bed = undefined;
});

const DAY = 86_400_000;

/** Eight PRs in every state the sync knows, with issues some of which are further along. */
function seed(testbed: Testbed) {
  const { github, tracker, owner, repo } = testbed;
  const pr = (number: number, key: string, extra: { draft?: boolean } = {}) =>
    openPr(testbed, { number, branch: `feature/${key}-x`, title: `Work on ${key}`, ...extra });
  for (const key of [41, 42, 43, 44, 47, 48].map((n) => `PROJ-${n}`)) tracker.createIssue(key);
  tracker.createIssue("PROJ-45", { status: "closed" });
  tracker.createIssue("PROJ-46", { status: "readyForTest" });
  pr(1, "PROJ-41");
  pr(2, "PROJ-42");
  github.addReview(owner, repo, 2, { user: "bob", state: "APPROVED" });
  pr(3, "PROJ-43");
  github.addReview(owner, repo, 3, {
    user: "bob",
    state: "APPROVED",
    submittedAt: githubNow(-5000),
  });
  github.addReview(owner, repo, 3, { user: "eve", state: "CHANGES_REQUESTED" });
  pr(4, "PROJ-44", { draft: true });
  pr(5, "PROJ-45");
  github.addReview(owner, repo, 5, { user: "bob", state: "APPROVED" });
  pr(6, "PROJ-46");
  pr(7, "PROJ-47");
  github.updatePullRequest(owner, repo, 7, { merged: true, mergedAt: githubNow(-3 * DAY) });
  pr(8, "PROJ-48");
  github.updatePullRequest(owner, repo, 8, { merged: true, mergedAt: githubNow(-30 * DAY) });
}

const EXPECTED: Record<string, string> = {
  "PROJ-41": "In progress",
  "PROJ-42": "Ready for test",
  "PROJ-43": "Needs improvement",
  "PROJ-44": "Open",
  "PROJ-45": "Closed", // protected
  "PROJ-46": "Ready for test", // further along than "opened": never backwards
  "PROJ-47": "Closed", // merged 3 days ago
  "PROJ-48": "Open", // merged 30 days ago: outside --since 14d
};

function output() {
  const chunks: string[] = [];
  return { write: (text: string) => void chunks.push(text), text: () => chunks.join("") };
}

describe("trackbridge sync", () => {
  it("dry run prints PR, key, status → target and why, and changes nothing", async () => {
    bed = await startTestbed({ withoutServer: true });
    seed(bed);
    const out = output();
    await runSync(
      { repo: "acme/web", since: "14d", dryRun: true },
      { env: bed.env, write: out.write, isTTY: false },
    );
    const text = out.text();
    expect(text).toMatch(/#2\s+PROJ-42\s+Open\s+→\s+readyForTest\s+approved/);
    expect(text).toMatch(/#3\s+PROJ-43\s+Open\s+→\s+needsImprovement\s+changes requested/);
    expect(text).toMatch(/#5\s+PROJ-45\s+Closed\s+→\s+\(stays\)\s+approved: never backwards/);
    expect(text).toMatch(/#6\s+PROJ-46\s+Ready for test\s+→\s+\(stays\)\s+opened: never backwards/);
    expect(text).toMatch(/#7\s+PROJ-47\s+Open\s+→\s+closed\s+merged/);
    expect(text).not.toContain("PROJ-48");
    expect(text).toContain("dry run: nothing was changed");
    for (const key of Object.keys(EXPECTED)) {
      if (key !== "PROJ-45" && key !== "PROJ-46") expect(status(bed, key)).toBe("Open");
    }
    expect(bed.tracker.requests.filter((r) => r.method !== "GET")).toEqual([]);
  });

  it("dry run on a repository without a config says so, as the console does", async () => {
    bed = await startTestbed({ withoutServer: true, repoConfig: null });
    seed(bed);
    const run = runSync(
      { repo: "acme/web", since: "14d", dryRun: true },
      { env: bed.env, write: () => undefined, isTTY: false },
    );
    await expect(run).rejects.toThrow(
      expect.objectContaining({
        name: "CliError",
        message: "the default branch has no .github/trackbridge.yml: nothing to sync",
      }),
    );
    await expect(
      runSync(
        { repo: "acme", since: "14d", dryRun: true },
        { env: bed.env, write: () => undefined, isTTY: false },
      ),
    ).rejects.toThrow("the repository must be owner/name");
  });

  it("dry run says what the worker does: QA's Testing, further along in the workflow, stays", async () => {
    bed = await startTestbed({ withoutServer: true });
    bed.tracker.setWorkflow(strictYandexWorkflow());
    bed.tracker.createIssue("PROJ-51", { status: "testing" });
    openPr(bed, { number: 11, branch: "feature/PROJ-51-x", title: "Work on PROJ-51" });
    bed.github.addReview(bed.owner, bed.repo, 11, { user: "bob", state: "APPROVED" });
    const deps = { env: bed.env, isTTY: false, githubThrottle: false };
    const out = output();
    await runSync({ repo: "acme/web", since: "14d", dryRun: true }, { ...deps, write: out.write });
    expect(out.text()).toMatch(
      /#11\s+PROJ-51\s+Testing\s+→\s+\(stays\)\s+approved: never backwards/,
    );
    await runSync({ repo: "acme/web", since: "14d" }, { ...deps, write: () => undefined });
    expect(status(bed, "PROJ-51")).toBe("Testing");
  });

  it("applies through the outbox, never backwards, reports on each PR, and is idempotent", async () => {
    bed = await startTestbed({ withoutServer: true });
    seed(bed);
    const deps = { env: bed.env, isTTY: false, githubThrottle: false };
    const out = output();
    await runSync({ repo: "acme/web", since: "14d" }, { ...deps, write: out.write });
    for (const [key, expected] of Object.entries(EXPECTED))
      expect([key, status(bed, key)]).toEqual([key, expected]);
    expect(out.text()).toMatch(/synced acme\/web: .*done/);
    const pr2 = bed.github.pullRequest(bed.owner, bed.repo, 2);
    const run = bed.github.checkRuns(bed.owner, bed.repo).find((r) => r.head_sha === pr2.head.sha);
    expect(run?.output.summary).toContain("moved Open → Ready for test");
    expect(run?.output.summary).toContain("sync: brought in line");
    const linkComments = () => bed!.tracker.getIssue("PROJ-42").comments.length;
    expect(linkComments()).toBe(1);

    const writes = () => bed!.tracker.requests.filter((r) => r.method !== "GET").length;
    const before = writes();
    await runSync({ repo: "acme/web", since: "14d" }, { ...deps, write: () => undefined });
    expect(writes()).toBe(before);
    expect(linkComments()).toBe(1);
    for (const [key, expected] of Object.entries(EXPECTED)) expect(status(bed, key)).toBe(expected);
  });

  it("waits out GitHub's rate limit instead of failing", async () => {
    bed = await startTestbed({ withoutServer: true });
    seed(bed);
    bed.github.rateLimit({ remaining: 3, resetInMs: 1_500 });
    await runSync(
      { repo: "acme/web", since: "14d" },
      { env: bed.env, isTTY: false, githubThrottle: false, write: () => undefined },
    );
    expect(bed.github.requests.some((r) => r.status === 403)).toBe(true);
    for (const [key, expected] of Object.entries(EXPECTED)) expect(status(bed, key)).toBe(expected);
  });

  it("a run killed mid-way resumes where it was: every move lands, each link once", async () => {
    bed = await startTestbed({
      withoutServer: true,
      extraEnv: { TRACKBRIDGE_JOB_LEASE_SECONDS: "1", LOG_LEVEL: "warn" },
    });
    seed(bed);
    bed.tracker.setLatency(150);
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "src/cli/main.ts", "sync", "--repo", "acme/web"],
      {
        env: childEnv({ ...bed.env }),
        stdio: "ignore",
      },
    );
    const tracker = bed.tracker;
    await waitFor(() => tracker.requests.filter((r) => r.method === "POST").length >= 2, 30_000);
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    const movedBefore = Object.keys(EXPECTED).filter((key) => status(bed!, key) !== "Open").length;
    expect(movedBefore).toBeLessThan(Object.keys(EXPECTED).length);
    bed.tracker.setLatency(0);
    const out = output();
    await runSync(
      { repo: "acme/web", since: "14d" },
      { env: bed.env, isTTY: false, githubThrottle: false, write: out.write },
    );
    expect(out.text()).toMatch(/^resuming sync:acme\/web:/);
    for (const [key, expected] of Object.entries(EXPECTED)) expect(status(bed, key)).toBe(expected);
    for (const key of ["PROJ-41", "PROJ-42", "PROJ-43"]) {
      expect(bed.tracker.getIssue(key).comments).toHaveLength(1);
    }
  }, 60_000);

  it("runs by itself when a push to the default branch adds the config file", async () => {
    bed = await startTestbed({ repoConfig: null });
    seed(bed);
    bed.github.setFile(
      bed.owner,
      bed.repo,
      ".github/trackbridge.yml",
      "keys: { projects: [PROJ] }\nstatuses: { approved: readyForTest, opened: inProgress }\n",
    );
    await pushed(bed, "main", [{ message: "Add trackbridge", added: [".github/trackbridge.yml"] }]);
    expect(status(bed, "PROJ-42")).toBe("Ready for test");
    expect(status(bed, "PROJ-41")).toBe("In progress");
    const pr2 = bed.github.pullRequest(bed.owner, bed.repo, 2);
    const run = bed.github.checkRuns(bed.owner, bed.repo).find((r) => r.head_sha === pr2.head.sha);
    expect(run?.output.summary).toContain("sync: brought in line");
    // A push that does not touch the config syncs nothing.
    bed.tracker.updateIssue("PROJ-42", { status: "open" });
    await pushed(bed, "main", [{ message: "README", modified: ["README.md"] }]);
    expect(status(bed, "PROJ-42")).toBe("Open");
  });
});
