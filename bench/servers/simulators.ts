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
import { LifeMix, type LifeStep } from "../lib/pr-life.js";
import { prBody } from "../lib/pr-text.js";
import { loadRealPullRequestExample, overlay } from "../lib/realistic-payload.js";
import { SENDER } from "../lib/sender.js";
import { kindOf } from "../parts/github-requests.js";

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
/** The fairness part's noisy installation: its repository and the next PR number. */
let noisy:
  | { repository: ReturnType<typeof github.addRepo>; name: string; next: number }
  | undefined;
const NOISY_INSTALLATION = INSTALLATION_ID + 1;

/** A tracker request's kind: its method and path, keys and ids left out. */
function trackerKindOf(request: { method: string; path: string }): string {
  const path = request.path
    .split("?")[0]!
    .replace(/[A-Z][A-Z0-9]*-\d+/g, "{key}")
    .replace(/\/\d+(?=\/|$)/g, "/{id}");
  return `${request.method} ${path}`;
}

function tally<T>(items: readonly T[], kind: (item: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[kind(item)] = (out[kind(item)] ?? 0) + 1;
  return out;
}

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
      return mix.next(count).map(mixEvent);
    },
    /** The events that put the mix's lives at every stage (LifeMix.prime): sent before a window. */
    primeMix: () => {
      if (!mix) throw new Error("primeMix before startMix");
      return mix.prime().map(mixEvent);
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
    /** Requests by kind from these log positions on (what each event cost, call by call). */
    callsByKind: ({ github: g, tracker: t }: { github: number; tracker: number }) => ({
      github: tally(github.requests.slice(g), kindOf),
      tracker: tally(tracker.requests.slice(t), trackerKindOf),
    }),
    /**
     * The fairness part's noisy installation (another installation id, a repository of its
     * own); `noisyEvents` hands out PRs opened with `keys` keys each (issues created Open).
     */
    startNoisy: ({ base }: { base: number }) => {
      const name = `noisy-${base}`;
      const repository = github.addRepo({ owner, name, installationId: NOISY_INSTALLATION });
      github.setFile(owner, name, ".github/trackbridge.yml", DEFAULT_REPO_CONFIG);
      noisy = { repository, name, next: base };
      return {};
    },
    noisyEvents: ({ count, keys }: { count: number; keys: number }) => {
      if (!noisy) throw new Error("noisyEvents before startNoisy");
      const out: string[] = [];
      for (let i = 0; i < count; i++) {
        const n = noisy.next++;
        const names = Array.from({ length: keys }, (_, k) => `PROJ-${n * keys + k}`);
        for (const key of names) tracker.createIssue(key);
        const sha = n.toString(16).padStart(40, "0");
        const pr = github.addPullRequest(owner, noisy.name, {
          number: n,
          title: `Bulk change ${n}`,
          body: `Touches ${names.join(", ")}.`,
          head: { ref: `feature/${names[0]}-bulk`, sha },
          user: "alice",
        });
        const payload = pullRequestPayload("opened", pr, {
          repository: noisy.repository,
          installationId: NOISY_INSTALLATION,
          sender,
        });
        out.push(JSON.stringify(payload));
      }
      return out;
    },
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

/** A mix's event as the bench sends it. */
function mixEvent(step: LifeStep & { pr: number }) {
  return {
    event: step.event,
    // pull_request events as large as GitHub's: its own example under the simulator's PR.
    body: JSON.stringify(
      step.event === "pull_request" ? overlay(realExample, step.payload) : step.payload,
    ),
    headSha: step.headSha,
    pr: step.pr,
  };
}
