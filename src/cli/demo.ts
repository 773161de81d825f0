/**
 * `npm run demo`: the real App on its embedded defaults (SQLite store, Probot, the outbox
 * worker) against the GitHub and Yandex Tracker simulators on loopback (`-- --tracker linear`:
 * the Linear simulator; `github-projects`: a project of the GitHub simulator). One pull request
 * lives its life as signed webhooks over HTTP; each issue's status is printed as it moves.
 * Then the rest of the life (demo-life.ts), where a bench pipeline runs the bundled Action
 * (demo-action.ts). No GitHub App, no tracker account, no network.
 */
import { pathToFileURL } from "node:url";
import { type SimPullRequest, userJson } from "../simulators/github/index.js";
import { githubNow, pullRequestPayload, reviewPayload } from "../simulators/scenario/payloads.js";
import { INSTALLATION_ID, startTestbed, type Testbed } from "../simulators/scenario/testbed.js";
import { playDeliveryLife } from "./demo-life.js";
import { branchOf, demoTracker, refOf } from "./demo-trackers.js";

/** `tracker`: one of DEMO_TRACKERS (demo-trackers.ts); "yandex" by default. */
export async function runDemo(
  out: NodeJS.WritableStream = process.stdout,
  trackerName?: string,
): Promise<void> {
  const print = (line = "") => out.write(`${line}\n`);
  const tracker = demoTracker(trackerName);
  const { key: KEY, written } = refOf(tracker, 123);
  const { key: REFERENCED, written: referenced } = refOf(tracker, 7);
  const bed = await startTestbed({
    tracker: tracker.name,
    ...(tracker.env ? { extraEnv: tracker.env } : {}),
  });
  try {
    print(
      `trackbridge demo: the real App against simulated GitHub and ${tracker.label} on loopback`,
    );
    print(`  App server         ${bed.server!.url}${bed.config.webhookPath}`);
    print(`  GitHub simulator   ${bed.github.url}`);
    print(`  Tracker simulator  ${bed.tracker.url}`);
    print();
    print("Repository config (.github/trackbridge.yml):");
    for (const line of tracker.repoConfig.trimEnd().split("\n")) print(`  ${line}`);
    print();

    // Yandex: a strict workflow (Open leads only to In progress or In review), so moves are routed.
    bed.tracker.setWorkflow(tracker.workflow());
    for (const line of tracker.workflowLines) print(line);
    print();

    bed.tracker.createIssue(KEY);
    bed.tracker.createIssue(REFERENCED);
    const author = "alice";
    let pr = bed.github.addPullRequest(bed.owner, bed.repo, {
      number: 1,
      title: `${written}: login form`,
      body: `Adds the login form. Names are stored as UTF-8.\n\nRefs ${referenced}`,
      head: {
        ref: branchOf(tracker, 123, "login").toLowerCase(),
        sha: "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678",
      },
      user: author,
    });
    bed.github.addCommit(bed.owner, bed.repo, 1, {
      sha: pr.head.sha,
      message: `${written} add login form`,
    });
    print(`PR #1 "${pr.title}" from ${pr.head.ref}, body mentions UTF-8 and "Refs ${referenced}"`);
    print(
      `  ${KEY} starts in "${status(bed, KEY)}", ${REFERENCED} in "${status(bed, REFERENCED)}"`,
    );
    print();

    const steps: Array<{ label: string; send: () => Promise<void> }> = [
      {
        label: "opened",
        send: () =>
          deliver(bed, "pull_request", pullRequestPayload("opened", pr, common(bed, author))),
      },
      {
        label: "changes requested by bob",
        send: () =>
          deliver(
            bed,
            "pull_request_review",
            reviewPayload("changes_requested", pr, common(bed, "bob"), now()),
          ),
      },
      {
        label: "approved by carol",
        send: () =>
          deliver(
            bed,
            "pull_request_review",
            reviewPayload("approved", pr, common(bed, "carol"), now()),
          ),
      },
      {
        label: "merged",
        send: async () => {
          pr = bed.github.updatePullRequest(bed.owner, bed.repo, 1, {
            state: "closed",
            merged: true,
            mergedAt: now(),
            closedAt: now(),
          });
          await deliver(bed, "pull_request", pullRequestPayload("closed", pr, common(bed, author)));
        },
      },
    ];
    for (const [index, step] of steps.entries()) {
      const before = status(bed, KEY);
      await step.send();
      await bed.server!.worker.drain();
      const after = status(bed, KEY);
      const change = before === after ? `stays "${after}"` : `"${before}" → "${after}"`;
      const route = lastMove(bed);
      print(
        `  ${index + 1}. ${step.label.padEnd(26)} ${KEY}: ${change}${route ? `  (${route})` : ""}`,
      );
    }
    print();
    // GraphQL trackers (Linear) name the key in the body, not the path.
    const askedAbout = bed.tracker.requests.map(
      (request) => `${request.path} ${JSON.stringify(request.body ?? "")}`,
    );
    const utf8 = askedAbout.some((path) => path.includes("UTF-8"))
      ? "was asked about"
      : "was never asked about";
    print(
      `  ${REFERENCED} (a reference) is "${status(bed, REFERENCED)}"; the tracker ${utf8} UTF-8.`,
    );
    print(
      `  ${KEY} has ${tracker.prLinks(bed.tracker.getIssue(KEY))} after ${steps.length} events.`,
    );
    print();

    // The `trackbridge` check: the App also writes `trackbridge/issue` after each move.
    const run = bed.github
      .checkRuns(bed.owner, bed.repo)
      .filter((r) => r.name === "trackbridge")
      .at(-1);
    if (!run) throw new Error("the App wrote no check run");
    print(
      `Check run "${run.name}" on ${run.head_sha.slice(0, 7)}: ${run.conclusion} (updated ${run.history.length} times)`,
    );
    print(`  ${run.output?.title ?? ""}`);
    for (const line of (run.output?.summary ?? "").split("\n")) print(`  ${line}`);
    print();
    await playDeliveryLife(bed, print, { common, deliver, status, tracker });
  } finally {
    await bed.close();
  }
}

/** The route the App reported for the latest move, as its check run shows it. */
function lastMove(bed: Testbed): string | undefined {
  const run = bed.github
    .checkRuns(bed.owner, bed.repo)
    .filter((r) => r.name === "trackbridge")
    .at(-1);
  return /moved [^|]+?(?= \|)/.exec(run?.output?.summary ?? "")?.[0];
}

function common(bed: Testbed, login: string) {
  return {
    repository: bed.repository,
    installationId: INSTALLATION_ID,
    sender: userJson(login),
  };
}

async function deliver(bed: Testbed, event: string, payload: unknown): Promise<void> {
  const result = await bed.github.deliver({ event, payload });
  if (result.status_code >= 300) {
    throw new Error(`the App answered ${result.status_code} to ${event}: ${result.responseBody}`);
  }
}

function status(bed: Testbed, key: string): string {
  return bed.tracker.getIssue(key).status.display;
}

function now(): string {
  return githubNow();
}

export type { SimPullRequest };

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const at = process.argv.indexOf("--tracker");
  runDemo(process.stdout, at >= 0 ? process.argv[at + 1] : undefined).then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      process.exit(1);
    },
  );
}
