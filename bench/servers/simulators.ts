/**
 * The GitHub simulator and a Yandex Tracker simulator in a process of their own, so the
 * requests the App's worker makes to them cost neither the App under test nor the load
 * generator. The parent seeds pull requests and issues and reads the tracker's request log
 * over IPC.
 */
import { startGitHubSimulator } from "../../src/simulators/github/index.js";
import { pullRequestPayload } from "../../src/simulators/scenario/payloads.js";
import {
  APP_ID,
  DEFAULT_REPO_CONFIG,
  INSTALLATION_ID,
} from "../../src/simulators/scenario/testbed.js";

import { startYandexSimulator } from "../../src/simulators/yandex/index.js";
import { serveIpc } from "../lib/ipc.js";
import { LifeMix } from "../lib/pr-life.js";
import { prBody } from "../lib/pr-text.js";
import { loadRealPullRequestExample, overlay } from "../lib/realistic-payload.js";
import { SENDER } from "../lib/sender.js";

const env = process.env;
const github = await startGitHubSimulator({ appId: APP_ID, publicKey: env.BENCH_PUBLIC_KEY });
const tracker = await startYandexSimulator({ token: env.BENCH_TRACKER_TOKEN ?? "", orgId: "4242" });
const owner = "acme";
const repo = "web";
const repository = github.addRepo({ owner, name: repo, installationId: INSTALLATION_ID });
github.setFile(owner, repo, ".github/trackbridge.yml", DEFAULT_REPO_CONFIG);
const realExample = loadRealPullRequestExample();
const sender = SENDER;
let mix: LifeMix | undefined;

export interface TrackerRequest {
  method: string;
  path: string;
  at: number;
  status: number | undefined;
}

serveIpc(
  {
    /**
     * PRs #from… with branch `feature/PROJ-<n>-…`, each with issue PROJ-<n> (Open). Returns,
     * PR by PR, one `pull_request` payload per action asked for (default: `opened`).
     */
    seed: ({
      from,
      count,
      actions = ["opened"],
    }: {
      from: number;
      count: number;
      actions?: string[];
    }) => {
      const bodies: string[] = [];
      for (let n = from; n < from + count; n++) {
        const sha = n.toString(16).padStart(40, "0");
        const pr = github.addPullRequest(owner, repo, {
          number: n,
          title: `Login form validation for the signup page (#${n})`,
          body: prBody(n),
          head: { ref: `feature/PROJ-${n}-login-form`, sha },
          user: "alice",
        });
        github.addCommit(owner, repo, n, {
          sha,
          message: `PROJ-${n}: validate the login form\n\nUses UTF-8 throughout.`,
        });
        tracker.createIssue(`PROJ-${n}`);
        for (const action of actions) {
          const payload = {
            ...pullRequestPayload(action, pr, {
              repository,
              installationId: INSTALLATION_ID,
              sender,
            }),
            ...extraFields(action, pr.title),
          };
          bodies.push(JSON.stringify(overlay(realExample, payload)));
        }
      }
      return { bodies };
    },
    trackerRequests: ({ from }: { from: number }): TrackerRequest[] =>
      tracker.requests
        .slice(from)
        .map((r) => ({ method: r.method, path: r.path, at: r.at, status: r.status })),
    /**
     * A mix of realistic PR lives (bench/lib/pr-life.ts) in a repository of its own, `active`
     * at once, PR numbers from `base`; `mixEvents` takes the next events, changing the
     * simulators' PRs just before each is handed out, as GitHub does before it sends.
     */
    startMix: ({ base, active }: { base: number; active: number }) => {
      const name = `life-${base}`;
      const world = {
        github,
        tracker,
        repository: github.addRepo({ owner, name, installationId: INSTALLATION_ID }),
        owner,
        repo: name,
      };
      github.setFile(owner, name, ".github/trackbridge.yml", DEFAULT_REPO_CONFIG);
      mix = new LifeMix(world, active, base);
      return {};
    },
    mixEvents: ({ count }: { count: number }) => {
      if (!mix) throw new Error("mixEvents before startMix");
      return mix.next(count).map((step) => ({
        event: step.event,
        // pull_request events as large as GitHub's: its own example under the simulator's PR.
        body: JSON.stringify(
          step.event === "pull_request" ? overlay(realExample, step.payload) : step.payload,
        ),
        headSha: step.headSha,
        pr: step.pr,
      }));
    },
    /** Check-run writes (create or update) from request `from` on: the commit and when. */
    checkRunWrites: ({ from, repo: name }: { from: number; repo: string }) => {
      const shaOf = new Map(github.checkRuns(owner, name).map((run) => [run.id, run.head_sha]));
      const prefix = `/repos/${owner}/${name}/check-runs`;
      return github.requests.slice(from).flatMap((r) => {
        if (!r.path.startsWith(prefix) || r.status >= 300) return [];
        if (r.method === "POST") {
          const sha = (r.body as { head_sha?: string } | null)?.head_sha;
          return sha ? [{ sha, at: r.at }] : [];
        }
        const sha =
          r.method === "PATCH" ? shaOf.get(Number(r.path.slice(prefix.length + 1))) : undefined;
        return sha ? [{ sha, at: r.at }] : [];
      });
    },
    counts: () => ({ github: github.requests.length, tracker: tracker.requests.length }),
    reset: () => {
      github.resetRequests();
      tracker.resetRequests();
      return {};
    },
  },
  { githubUrl: github.url, trackerUrl: tracker.url },
);

/** The fields GitHub adds for some actions. */
function extraFields(action: string, title: string): Record<string, unknown> {
  switch (action) {
    case "synchronize":
      return { before: "a".repeat(40), after: "b".repeat(40) };
    case "labeled":
      return {
        label: {
          id: 1,
          node_id: "LA_1",
          name: "needs review",
          color: "fbca04",
          default: false,
          description: null,
        },
      };
    case "edited":
      return { changes: { title: { from: title } } };
    default:
      return {};
  }
}
