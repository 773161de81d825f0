/**
 * The demo's second half: the rest of the life. A second issue's branch is created (work
 * started), a push to it runs the bundled Action as a bench pipeline would (the bench URL
 * lands in the issue), its merge is deployed to staging, a release stamps the version, and a PR that was
 * approved before the repository had the App's config is brought in line by the sync that the
 * config's commit runs. Same App, same simulators, signed webhooks over HTTP.
 */
import {
  createPayload,
  deploymentStatusPayload,
  githubNow,
  pushPayload,
  releasePayload,
} from "../simulators/scenario/payloads.js";
import type { Testbed } from "../simulators/scenario/testbed.js";
import { runBenchPipeline, summaryRows } from "./demo-action.js";
import { branchOf, type DemoTracker, refOf } from "./demo-trackers.js";

interface DemoTools {
  common(bed: Testbed, login: string): Parameters<typeof createPayload>[1];
  deliver(bed: Testbed, event: string, payload: unknown): Promise<void>;
  status(bed: Testbed, key: string): string;
  tracker: DemoTracker;
}

export async function playDeliveryLife(
  bed: Testbed,
  print: (line?: string) => void,
  { common, deliver, status, tracker: demo }: DemoTools,
): Promise<void> {
  const { github, tracker, owner, repo } = bed;
  const step = async <T>(label: string, keys: string[], run: () => Promise<T>): Promise<T> => {
    const before = keys.map((key) => status(bed, key));
    const result = await run();
    await bed.server!.worker.drain();
    const changes = keys.map((key, i) => {
      const after = status(bed, key);
      return `${key}: ${before[i] === after ? `stays "${after}"` : `"${before[i]}" → "${after}"`}`;
    });
    print(`  ${label.padEnd(34)} ${changes.join(", ")}`);
    return result;
  };

  print(
    "The rest of the life (statuses.started, the Action in a bench pipeline, deployments, release, a sync):",
  );
  github.setFile(owner, repo, ".github/trackbridge.yml", demo.lifeConfig);
  const [profile, search] = [refOf(demo, 124), refOf(demo, 125)];
  tracker.createIssue(profile.key);
  tracker.createIssue(search.key);
  // A PR opened and approved before the config existed: the App never saw its events.
  github.addPullRequest(owner, repo, {
    number: 2,
    title: "Search",
    body: `Closes ${search.written}`,
    head: { ref: branchOf(demo, 125, "search"), sha: "b".repeat(40) },
    user: "dave",
  });
  github.addReview(owner, repo, 2, { user: "carol", state: "APPROVED" });

  await step("config committed → sync", [search.key], async () => {
    const after = github.pushCommits(owner, repo, "main", [
      { sha: "c".repeat(40), message: "Add .github/trackbridge.yml" },
    ]);
    const commits = [{ sha: after, message: "Add config", modified: [".github/trackbridge.yml"] }];
    await deliver(
      bed,
      "push",
      pushPayload({ branch: "main", before: "0".repeat(40), after, commits }, common(bed, "alice")),
    );
  });
  const branch = branchOf(demo, 124, "profile");
  const created = `branch ${branch.replace(/-profile$/, "")} created`;
  const branchHead = await step(created, [profile.key], async () => {
    const head = github.createBranch(owner, repo, branch);
    await deliver(bed, "create", createPayload(branch, common(bed, "alice")));
    return head;
  });
  // The deploy pipeline on the branch's next push: it deploys a bench, then runs the Action.
  const action = await step("pushed → bench pipeline → Action", [profile.key], () =>
    runBenchPipeline(bed, demo, { branch, before: branchHead }, common(bed, "alice")),
  );
  const outputs = Object.entries(action.outputs).map(([name, value]) => `${name}=${value}`);
  print(`    action/dist/index.js on push: exit ${action.code}, outputs ${outputs.join(" ")}`);
  for (const row of summaryRows(action)) print(`    job summary: ${row}`);
  print(`    ${profile.key}: ${demo.bench(tracker.getIssue(profile.key))}`);
  const merged = github.pushCommits(owner, repo, "main", [
    { sha: "d".repeat(40), message: `${profile.written} profile page` },
  ]);
  await step("deployed to staging", [profile.key], async () => {
    const input = {
      ref: "main",
      sha: merged,
      environment: "staging",
      url: "https://staging.example",
    };
    const deployment = github.addDeployment(owner, repo, input);
    await deliver(
      bed,
      "deployment_status",
      deploymentStatusPayload(
        { ...input, at: githubNow(), deploymentId: deployment.id },
        common(bed, "deploy-bot"),
      ),
    );
  });
  await step("release v1.0.0 published", [profile.key], async () => {
    const release = github.publishRelease(owner, repo, { tag: "v1.0.0" });
    await deliver(bed, "release", releasePayload(release, common(bed, "alice")));
  });
  const issue = tracker.getIssue(profile.key);
  print(`  ${profile.key}: ${demo.bench(issue)}, ${demo.versions(issue)}`);
}
