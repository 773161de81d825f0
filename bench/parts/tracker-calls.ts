/**
 * Part 3 — tracker API calls per action, counted from each tracker simulator's request log
 * while the real App (in-process testbed: only counts are taken here, no timings) handles:
 * a PR opened on an Open issue (a move), the same event delivered again (the issue is
 * already there: a no-op), and a successful deployment (a bench-field write). Link calls
 * (comment, remote link, Linear attachment) are counted apart from the move. Linear's calls
 * all go to `POST /graphql`: they are told apart by the document's operation name.
 */
import { type SimPullRequest, userJson } from "../../src/simulators/github/index.js";
import {
  deploymentStatusPayload,
  pullRequestPayload,
} from "../../src/simulators/scenario/payloads.js";
import {
  INSTALLATION_ID,
  startTestbed,
  type Testbed,
} from "../../src/simulators/scenario/testbed.js";
import type { BenchContext } from "../lib/context.js";
import { SENDER } from "../lib/sender.js";
import { markdownTable, type PartOutput, type Row } from "../lib/table.js";

const ISSUES = 10;
const TRACKERS = ["yandex", "jira", "linear", "youtrack"] as const;
type TrackerKind = (typeof TRACKERS)[number];
type Category = "move" | "link" | "field" | "other";
type Counts = Record<Category, number>;

const CONFIGS: Record<TrackerKind, string> = {
  yandex:
    "keys: { projects: [PROJ] }\nstatuses: { opened: inProgress, merged: closed }\nbench: { field: benchLink }\n",
  jira: "keys: { projects: [PROJ] }\nstatuses: { opened: In progress, merged: Closed }\nbench: { field: customfield_10010 }\n",
  linear:
    "keys: { projects: [PROJ] }\nstatuses: { opened: In progress, merged: Closed }\nbench: { field: Bench link }\n",
  youtrack:
    "keys: { projects: [PROJ] }\nstatuses: { opened: In progress, merged: Closed }\nbench: { field: Bench link }\n",
};
const LABEL: Record<TrackerKind, string> = {
  yandex: "Yandex",
  jira: "Jira",
  linear: "Linear",
  youtrack: "YouTrack",
};
const IDEAL: Record<"move" | "noop" | "field", number> = { move: 2, noop: 1, field: 1 };

interface Scenario {
  name: "move" | "noop" | "field";
  label: string;
  perIssue: Counts;
}

export async function benchTrackerCalls(ctx: BenchContext): Promise<PartOutput> {
  const results: Record<TrackerKind, Scenario[]> = {
    yandex: [],
    jira: [],
    linear: [],
    youtrack: [],
  };
  for (const tracker of TRACKERS) {
    const bed = await startTestbed({ tracker, repoConfig: CONFIGS[tracker] });
    try {
      results[tracker] = await countScenarios(bed);
    } finally {
      await bed.close();
    }
    for (const s of results[tracker]) {
      ctx.say(`  ${tracker} ${s.name}: ${JSON.stringify(s.perIssue)} calls per issue`);
    }
  }
  return { rows: rowsOf(results), data: results, detail: detailOf(results) };
}

async function countScenarios(bed: Testbed): Promise<Scenario[]> {
  const sender = SENDER;
  const common = { repository: bed.repository, installationId: INSTALLATION_ID, sender };
  const prs: SimPullRequest[] = [];
  for (let n = 1; n <= ISSUES; n++) {
    const sha = n.toString(16).padStart(40, "0");
    bed.tracker.createIssue(`PROJ-${n}`);
    prs.push(
      bed.github.addPullRequest(bed.owner, bed.repo, {
        number: n,
        title: "Login form",
        body: "",
        head: { ref: `feature/PROJ-${n}-login`, sha },
        user: "alice",
      }),
    );
    bed.github.addCommit(bed.owner, bed.repo, n, { sha, message: "validate the login form" });
  }
  const run = async (send: () => Promise<void>) => {
    await bed.server!.worker.drain();
    bed.tracker.resetRequests();
    await send();
    await bed.server!.worker.drain();
    return perIssue(bed);
  };
  const opened = async () => {
    for (const pr of prs)
      await deliver(bed, "pull_request", pullRequestPayload("opened", pr, common));
  };
  const move = await run(opened);
  expectEveryIssue(
    (n) => bed.tracker.getIssue(`PROJ-${n}`).status.display === "In progress",
    "moved to In progress",
  );
  const noop = await run(opened);
  const field = await run(async () => {
    for (const pr of prs) {
      const payload = deploymentStatusPayload(
        {
          ref: pr.head.ref,
          sha: pr.head.sha,
          environment: "bench",
          url: `https://pr-${pr.number}.bench.example`,
          at: new Date().toISOString(),
        },
        { ...common, sender: userJson("deploy-bot", "Bot") },
      );
      await deliver(bed, "deployment_status", payload);
    }
  });
  const type = bed.config.connections[0]?.type;
  const fieldId =
    type === "jira" ? "customfield_10010" : type === "youtrack" ? "Bench link" : "benchLink";
  expectEveryIssue((n) => {
    const issue = bed.tracker.getIssue(`PROJ-${n}`);
    const url = `https://pr-${n}.bench.example`;
    // Linear has no custom fields: the bench URL is an attachment titled with the field.
    return type === "linear"
      ? issue.links.some((link) => link.title === "Bench link" && link.url === url)
      : issue.fields[fieldId] === url;
  }, "bench field written");
  return [
    { name: "move", label: "PR opened, issue Open → In progress", perIssue: move },
    { name: "noop", label: "same event again: already there", perIssue: noop },
    { name: "field", label: "deployment: bench URL into the field", perIssue: field },
  ];
}

/** Counts mean nothing if the work did not happen: check it did. */
function expectEveryIssue(ok: (n: number) => boolean, what: string): void {
  for (let n = 1; n <= ISSUES; n++) {
    if (!ok(n))
      throw new Error(`tracker-calls: PROJ-${n} was not ${what}; the counts would be wrong`);
  }
}

async function deliver(bed: Testbed, event: string, payload: unknown): Promise<void> {
  const result = await bed.github.deliver({ event, payload });
  if (result.status_code >= 300)
    throw new Error(`App answered ${result.status_code}: ${result.responseBody}`);
}

/** Linear's documents by operation name (src/trackers/linear/queries.ts). */
const GRAPHQL: Record<string, Category> = {
  TrackbridgeIssue: "move",
  TrackbridgeMove: "move",
  TrackbridgeAttachment: "link",
  TrackbridgeComments: "link",
  TrackbridgeComment: "link",
};

/**
 * Which action a request served, by its path (the REST trackers' URL shapes) or GraphQL
 * operation. YouTrack moves and writes fields with the same POST to the issue: a State in the
 * body is a move; its read of a project's field types is a field call.
 */
function categoryOf(method: string, path: string, body: unknown, search = ""): Category {
  const { query, variables } = (body ?? {}) as { query?: string; variables?: { title?: string } };
  const operation = query ? /\b(?:query|mutation)\s+(\w+)/.exec(query)?.[1] : undefined;
  if (operation === "TrackbridgeLink") return variables?.title === "Bench link" ? "field" : "link";
  if (operation) return GRAPHQL[operation] ?? "other";
  if (/\/transitions(\/[^/]+\/_execute)?$/.test(path)) return "move";
  if (/\/(comments?|remotelink)$/.test(path)) return "link";
  if (/\/fields?$/.test(path)) return "field";
  if (/^\/api\/issues\/[^/]+$/.test(path)) {
    if (method === "GET") return decodeURIComponent(search).includes("$type)") ? "field" : "move";
    const fields = (body as { customFields?: Array<{ name?: unknown }> } | undefined)?.customFields;
    return fields?.some((f) => f.name === "State") ? "move" : "field";
  }
  if (/\/issues?\/[^/]+$/.test(path)) return method === "GET" ? "move" : "field";
  return "other";
}

function perIssue(bed: Testbed): Counts {
  const counts: Counts = { move: 0, link: 0, field: 0, other: 0 };
  for (const request of bed.tracker.requests) {
    counts[categoryOf(request.method, request.path, request.body, request.query)]++;
  }
  for (const key of Object.keys(counts) as Category[]) counts[key] /= ISSUES;
  return counts;
}

function rowsOf(results: Record<TrackerKind, Scenario[]>): Row[] {
  return (["move", "noop", "field"] as const).map((name) => {
    const actual = (tracker: TrackerKind) => {
      const s = results[tracker].find((x) => x.name === name)!;
      return name === "field" ? s.perIssue.field : s.perIssue.move;
    };
    const links = (tracker: TrackerKind) =>
      results[tracker].find((x) => x.name === name)!.perIssue.link;
    const each = (value: (t: TrackerKind) => number) =>
      TRACKERS.map((t) => `${LABEL[t]} ${value(t)}`).join(", ");
    const linkNote = name === "field" ? "" : ` (+ link: ${each(links)})`;
    const met = TRACKERS.every((t) => actual(t) <= IDEAL[name]);
    const metric = {
      move: "calls per moved issue",
      noop: "calls per no-op (already there)",
      field: "calls per field write",
    }[name];
    return {
      part: "3 tracker calls",
      metric,
      result: `${each(actual)}${linkNote}`,
      target: `${IDEAL[name]}`,
      met,
    };
  });
}

function detailOf(results: Record<TrackerKind, Scenario[]>): string {
  const lines = TRACKERS.flatMap((tracker) =>
    results[tracker].map((s) => [
      tracker,
      s.label,
      String(s.perIssue.move),
      String(s.perIssue.field),
      String(s.perIssue.link),
      String(s.perIssue.other),
    ]),
  );
  return markdownTable(
    ["tracker", "scenario", "move calls", "field calls", "link calls", "other"],
    lines,
  );
}
