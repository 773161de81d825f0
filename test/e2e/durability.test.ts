/**
 * Nothing lost, nothing twice — through the real App in-process: duplicate deliveries,
 * deliveries GitHub failed to hand us, dead letters and their retry, ordering under a slow
 * tracker, and several PRs for one issue.
 */
import { afterEach, describe, expect, it } from "vitest";
import { registerDeliveriesCommand } from "../../src/cli/deliveries-command.js";
import { runCli } from "../../src/cli/main.js";
import { openSqliteStore } from "../../src/delivery/open-store.js";
import {
  githubNow,
  pullRequestPayload,
  reviewPayload,
} from "../../src/simulators/scenario/payloads.js";
import {
  DEFAULT_REPO_CONFIG,
  startTestbed,
  type Testbed,
} from "../../src/simulators/scenario/testbed.js";
import { common, latestCheckRun, merge, openPr, prEvent, status } from "./world.js";

let bed: Testbed | undefined;
afterEach(async () => {
  await bed?.close();
  bed = undefined;
});

function executes(testbed: Testbed, key: string): number {
  return testbed.tracker.requests.filter(
    (r) => r.method === "POST" && r.path.includes(`/${key}/transitions/`),
  ).length;
}

async function cli(testbed: Testbed, args: string[]): Promise<{ code: number; out: string }> {
  let out = "";
  const append = (text: string) => {
    out += text;
    return true;
  };
  const io = {
    stdin: process.stdin,
    stdout: { write: append },
    stderr: { write: append },
  } as never;
  const code = await runCli(["node", "trackbridge", ...args], io, [
    (program) =>
      registerDeliveriesCommand(program, {
        write: (text) => void append(text),
        openStore: () => openSqliteStore({ path: testbed.config.databasePath }),
      }),
  ]);
  return { code, out };
}

describe("durable delivery through the App", () => {
  it("the same delivery sent twice, and concurrently, is applied once", async () => {
    bed = await startTestbed();
    bed.tracker.createIssue("PROJ-1");
    const pr = openPr(bed, { number: 1, branch: "PROJ-1", title: "x" });
    const payload = pullRequestPayload("opened", pr, common(bed));
    const guid = "11111111-2222-3333-4444-555555555555";
    const answers = await Promise.all(
      [1, 2, 3, 4].map(() => bed!.github.deliver({ event: "pull_request", payload, guid })),
    );
    expect(answers.map((a) => a.status_code)).toEqual([202, 202, 202, 202]);
    await bed.github.deliver({ event: "pull_request", payload, guid });
    await bed.server!.worker.drain();
    expect(status(bed, "PROJ-1")).toBe("In progress");
    expect(executes(bed, "PROJ-1")).toBe(1);
    expect(bed.tracker.getIssue("PROJ-1").comments).toHaveLength(1);
  });

  it("a delivery GitHub failed to hand us is asked for again and applied", async () => {
    bed = await startTestbed({
      withoutServer: true,
      extraEnv: { TRACKBRIDGE_REDELIVERY_INTERVAL_SECONDS: "3600" },
    });
    bed.tracker.createIssue("PROJ-2");
    const pr = openPr(bed, { number: 2, branch: "PROJ-2", title: "x" });
    const missed = bed.github.recordDelivery({
      event: "pull_request",
      action: "opened",
      payload: pullRequestPayload("opened", pr, common(bed)),
      statusCode: 502,
    });
    // The server polls at start-up: it lists deliveries, finds the failed one and asks for it.
    await bed.restart();
    await waitFor(() => bed!.github.deliveryAttempts.length > 0);
    await bed.github.whenIdle();
    await bed.server!.worker.drain();
    expect(bed.github.deliveryAttempts).toEqual([missed.id]);
    expect(status(bed, "PROJ-2")).toBe("In progress");
  });

  it("a permanent 404 is a dead letter at once; `deliveries retry` runs it after the issue exists", async () => {
    bed = await startTestbed({ workerPolicy: { idlePollMs: 100 } });
    const pr = openPr(bed, { number: 3, branch: "PROJ-404-ghost", title: "x" });
    await prEvent(bed, "opened", pr);
    expect(latestCheckRun(bed).output.summary).toContain("issue PROJ-404 not found in yandex");
    // Not retried: one read of the issue for the move.
    expect(
      bed.tracker.requests.filter((r) => r.path.endsWith("/PROJ-404") && r.method === "GET"),
    ).toHaveLength(1);

    const listed = await cli(bed, ["deliveries", "--json"]);
    expect(listed.code).toBe(0);
    const overview = JSON.parse(listed.out) as {
      dead: Array<{ id: number; key: string; summary: string }>;
    };
    const dead = overview.dead.filter((job) => job.key === "PROJ-404");
    expect(dead.length).toBeGreaterThan(0);
    expect(dead[0]!.summary).toContain("not found");

    bed.tracker.createIssue("PROJ-404");
    const retried = await cli(bed, ["deliveries", "retry", "--all"]);
    expect(retried.code).toBe(0);
    await waitFor(() => status(bed!, "PROJ-404") === "In progress");
    await bed.server!.worker.drain();
    expect(latestCheckRun(bed).output.summary).toContain("moved Open → In progress");
  });

  // No `protect` here: a wrongly ordered approval would really move the issue back.
  const UNPROTECTED =
    "keys: { projects: [PROJ] }\nstatuses: { opened: inProgress, approved: readyForTest, merged: inReview }\n";

  it("an approve followed at once by a merge, with a slow tracker, ends in the merge's status", async () => {
    bed = await startTestbed({ repoConfig: UNPROTECTED });
    bed.tracker.createIssue("PROJ-5");
    const pr = openPr(bed, { number: 5, branch: "PROJ-5", title: "x" });
    await prEvent(bed, "opened", pr);
    bed.tracker.setLatency(150);
    const approve = reviewPayload("approved", pr, common(bed, "bob"), githubNow());
    const merged = bed.github.updatePullRequest(bed.owner, bed.repo, 5, {
      state: "closed",
      merged: true,
      mergedAt: githubNow(),
      closedAt: githubNow(),
    });
    await Promise.all([
      bed.github.deliver({ event: "pull_request_review", payload: approve }),
      bed.github.deliver({
        event: "pull_request",
        payload: pullRequestPayload("closed", merged, common(bed)),
      }),
    ]);
    await bed.server!.worker.drain();
    expect(status(bed, "PROJ-5")).toBe("In review");
  });

  it("an approval stamped the same second as the merge but delivered after it never moves the issue back", async () => {
    bed = await startTestbed({ repoConfig: UNPROTECTED });
    bed.tracker.createIssue("PROJ-9");
    const pr = openPr(bed, { number: 9, branch: "PROJ-9", title: "x" });
    await prEvent(bed, "opened", pr);
    const second = githubNow();
    const merged = bed.github.updatePullRequest(bed.owner, bed.repo, 9, {
      state: "closed",
      merged: true,
      mergedAt: second,
      closedAt: second,
    });
    await bed.github.deliver({
      event: "pull_request",
      payload: pullRequestPayload("closed", merged, common(bed)),
    });
    await bed.server!.worker.drain();
    expect(status(bed, "PROJ-9")).toBe("In review");
    await bed.github.deliver({
      event: "pull_request_review",
      payload: reviewPayload("approved", pr, common(bed, "bob"), second),
    });
    await bed.server!.worker.drain();
    expect(status(bed, "PROJ-9")).toBe("In review");
  });

  it("an event older than the one applied is skipped, and the check run says why", async () => {
    bed = await startTestbed();
    bed.tracker.createIssue("PROJ-6");
    const pr = openPr(bed, { number: 6, branch: "PROJ-6", title: "x" });
    await prEvent(bed, "opened", pr);
    await merge(bed, 6);
    expect(status(bed, "PROJ-6")).toBe("Closed");
    // A review submitted a minute before the merge, delivered late.
    await bed.github.deliver({
      event: "pull_request_review",
      payload: reviewPayload("approved", pr, common(bed, "bob"), githubNow(-60_000)),
    });
    await bed.server!.worker.drain();
    expect(status(bed, "PROJ-6")).toBe("Closed");
    expect(latestCheckRun(bed).output.summary).toMatch(/older than/);
  });

  it("a tracker outage shows on the check run while it is retried, then completes", async () => {
    bed = await startTestbed({ workerPolicy: { baseMs: 100, capMs: 200 } });
    bed.tracker.createIssue("PROJ-8");
    const pr = openPr(bed, { number: 8, branch: "PROJ-8", title: "x" });
    bed.tracker.injectFaults({ status: 503, count: 2 });
    await prEvent(bed, "opened", pr);
    const run = bed.github.checkRuns(bed.owner, bed.repo).find((r) => r.head_sha === pr.head.sha)!;
    const retrying = run.history.find((h) => h.status === "in_progress");
    expect(retrying?.output?.title).toMatch(/^Retrying \d of \d actions$/);
    expect(retrying?.output?.summary).toMatch(/retrying \(attempt 1\): .*503/);
    expect(retrying?.output?.summary).toMatch(/still queued; this check run is updated when/);
    expect(run.status).toBe("completed");
    expect(run.output.summary).toContain("moved Open → In progress");
  });

  it("wait_for_all_prs: the first merge waits for the other PR, the second applies", async () => {
    bed = await startTestbed({ repoConfig: `${DEFAULT_REPO_CONFIG}wait_for_all_prs: true\n` });
    bed.tracker.createIssue("PROJ-7");
    const first = openPr(bed, { number: 11, branch: "PROJ-7-api", title: "API" });
    const second = openPr(bed, { number: 12, branch: "PROJ-7-ui", title: "UI" });
    await prEvent(bed, "opened", first);
    await prEvent(bed, "opened", second);
    await merge(bed, 11);
    expect(status(bed, "PROJ-7")).toBe("In progress");
    const firstRun = bed.github
      .checkRuns(bed.owner, bed.repo)
      .find((r) => r.head_sha === first.head.sha);
    expect(firstRun?.output.summary).toContain("waiting for #12");
    await merge(bed, 12);
    expect(status(bed, "PROJ-7")).toBe("Closed");
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
