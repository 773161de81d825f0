/**
 * A commit's first check run, written by two replicas at the same moment: one creates it,
 * the other updates that one. Two stores on one database stand for the replicas, writing
 * to the GitHub simulator over HTTP through Probot's Octokit.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportCheckRun } from "../../src/reports/report-check-run.js";
import { type GitHubSimulator, startGitHubSimulator } from "../../src/simulators/github/index.js";
import { backends, submission, workerBed } from "../delivery/helpers.js";
import { APP_ID, appKeyPair, probotOctokit } from "../simulators/github-fixtures.js";

const { privateKey, publicKey } = appKeyPair();
const INSTALLATION = 7;
let sim: GitHubSimulator;

beforeAll(async () => {
  sim = await startGitHubSimulator({ appId: APP_ID, publicKey });
  sim.addRepo({ owner: "acme", name: "web", installationId: INSTALLATION });
});
afterAll(() => sim.close());

const octokit = () => probotOctokit({ baseUrl: sim.url, privateKey, installationId: INSTALLATION });
const runsOn = (sha: string) => sim.checkRuns("acme", "web").filter((r) => r.head_sha === sha);

describe.each(backends())("a commit's first check run ($name)", (backend) => {
  const bed = workerBed(backend);

  it("two replicas at once create one run, and both write to it", async () => {
    const replicas = [bed.store, await bed.db.open()];
    for (let round = 0; round < 5; round++) {
      const sha = `${round}${"c".repeat(39)}`;
      const report = submission("d1", [], {
        report: {
          installationId: INSTALLATION,
          repo: "acme/web",
          headSha: sha,
          prNumber: 1,
          requireKey: false,
        },
      });
      await Promise.all(replicas.map((store) => reportCheckRun(octokit(), store.memo, report, [])));
      expect(runsOn(sha)).toHaveLength(1);
      expect(await replicas[0]!.memo.checkRunId("acme/web", sha)).toBe(runsOn(sha)[0]!.id);
    }
  });

  it("a claim left by a replica that died is taken over", async () => {
    const store = bed.store;
    const sha = "d".repeat(40);
    const minuteAgo = Date.now() - 60_000;
    expect(await store.memo.claimCheckRun("acme/web", sha, minuteAgo, minuteAgo - 30_000)).toBe(
      true,
    );
    const report = submission("d2", [], {
      report: {
        installationId: INSTALLATION,
        repo: "acme/web",
        headSha: sha,
        prNumber: 1,
        requireKey: false,
      },
    });
    await reportCheckRun(octokit(), store.memo, report, []);
    expect(runsOn(sha)).toHaveLength(1);
    expect(await store.memo.checkRunId("acme/web", sha)).toBe(runsOn(sha)[0]!.id);
  });
});
