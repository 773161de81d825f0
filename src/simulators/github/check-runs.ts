/**
 * Check runs: create, update, read, list for a ref. Validation follows GitHub's rules that
 * an app can trip over (name and head_sha required, output needs title and summary of at
 * most 65535 characters, `completed` needs a conclusion), because a check run GitHub would
 * refuse is a report nobody sees. Every create and update is kept as history for tests.
 */
import { numberedPage } from "./paginate.js";
import { invalid, notFound, type Reply, type Route, repoRoute } from "./router.js";
import { nodeId } from "./shapes.js";
import type { CheckRunOutput, CheckRunState, RepoState, SimState } from "./state.js";

const STATUSES = ["queued", "in_progress", "completed", "waiting", "requested", "pending"];
const CONCLUSIONS = [
  "action_required",
  "cancelled",
  "failure",
  "neutral",
  "success",
  "skipped",
  "stale",
  "timed_out",
];
const MAX_OUTPUT_CHARS = 65535;

type Fields = Record<string, unknown>;

function asFields(body: unknown): Fields {
  return body && typeof body === "object" && !Array.isArray(body) ? (body as Fields) : {};
}

function optionalString(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

/** Returns an error message, or the output to store. */
function readOutput(value: unknown, previous: CheckRunOutput): CheckRunOutput | string {
  if (value === undefined) return previous;
  const output = asFields(value);
  if (typeof output.title !== "string") return "output.title wasn't supplied.";
  if (typeof output.summary !== "string") return "output.summary wasn't supplied.";
  for (const key of ["title", "summary", "text"] as const) {
    const text = output[key];
    if (typeof text === "string" && text.length > MAX_OUTPUT_CHARS) {
      return `output.${key} is too long (maximum is ${MAX_OUTPUT_CHARS} characters).`;
    }
  }
  return { title: output.title, summary: output.summary, text: optionalString(output.text) };
}

/** Applies create/update fields onto `run` (mutating it) or returns why GitHub would refuse them. */
function apply(state: SimState, run: CheckRunState, fields: Fields): string | null {
  if (fields.name !== undefined) {
    if (typeof fields.name !== "string" || !fields.name) return "name wasn't supplied.";
    run.name = fields.name;
  }
  if (fields.status !== undefined) {
    if (!STATUSES.includes(String(fields.status))) return `status "${fields.status}" is not valid.`;
    run.status = String(fields.status);
  }
  if (fields.conclusion !== undefined && fields.conclusion !== null) {
    if (!CONCLUSIONS.includes(String(fields.conclusion))) {
      return `conclusion "${fields.conclusion}" is not valid.`;
    }
    // Providing a conclusion completes the run.
    run.conclusion = String(fields.conclusion);
    run.status = "completed";
  }
  if (run.status === "completed" && !run.conclusion) {
    return "conclusion is required when status is completed.";
  }
  const output = readOutput(fields.output, run.output);
  if (typeof output === "string") return output;
  run.output = output;
  if (fields.details_url !== undefined) run.details_url = optionalString(fields.details_url);
  if (fields.external_id !== undefined) run.external_id = optionalString(fields.external_id);
  if (fields.started_at !== undefined) run.started_at = optionalString(fields.started_at);
  if (fields.completed_at !== undefined) run.completed_at = optionalString(fields.completed_at);
  if (run.status === "completed") run.completed_at ??= state.timestamp();
  return null;
}

function snapshot(run: CheckRunState, action: "created" | "updated", at: string, request: Fields) {
  run.history.push({
    action,
    at,
    status: run.status,
    conclusion: run.conclusion,
    output: { ...run.output },
    request,
  });
}

export function checkRunJson(
  state: SimState,
  repo: RepoState,
  run: CheckRunState,
  apiBase: string,
) {
  const api = `${apiBase}/repos/${repo.owner}/${repo.name}`;
  const pulls = [...repo.pulls.values()].filter((p) => p.head.sha === run.head_sha);
  return {
    id: run.id,
    node_id: nodeId("CheckRun", run.id),
    name: run.name,
    head_sha: run.head_sha,
    external_id: run.external_id,
    url: `${api}/check-runs/${run.id}`,
    html_url: `https://github.com/${repo.owner}/${repo.name}/runs/${run.id}`,
    details_url: run.details_url,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.started_at,
    completed_at: run.completed_at,
    output: {
      ...run.output,
      annotations_count: 0,
      annotations_url: `${api}/check-runs/${run.id}/annotations`,
    },
    check_suite: { id: run.id },
    app: { id: state.options.appId, slug: state.options.appSlug, name: state.options.appSlug },
    pull_requests: pulls.map((p) => ({
      url: `${api}/pulls/${p.number}`,
      id: p.number,
      number: p.number,
      head: { ref: p.head.ref, sha: p.head.sha, repo: { id: repo.id, name: repo.name, url: api } },
      base: { ref: p.base.ref, sha: p.base.sha, repo: { id: repo.id, name: repo.name, url: api } },
    })),
  };
}

/** `filter=latest` (GitHub's default) keeps only the newest run of each name. */
function latestPerName(runs: CheckRunState[]): CheckRunState[] {
  const newest = new Map<string, CheckRunState>();
  for (const run of runs) {
    const seen = newest.get(run.name);
    if (!seen || run.id > seen.id) newest.set(run.name, run);
  }
  return runs.filter((run) => newest.get(run.name) === run);
}

export function checkRunRoutes(state: SimState): Route[] {
  const find = (repo: RepoState, id: string | undefined) =>
    repo.checkRuns.find((run) => run.id === Number(id));

  return [
    repoRoute("POST /repos/:owner/:repo/check-runs", (ctx, repo): Reply => {
      const fields = asFields(ctx.body);
      if (typeof fields.head_sha !== "string" || !/^[0-9a-f]{7,40}$/i.test(fields.head_sha)) {
        return invalid("Invalid request.\n\nhead_sha wasn't supplied or is not a commit sha.");
      }
      if (typeof fields.name !== "string" || !fields.name) return invalid("name wasn't supplied.");
      const at = state.timestamp();
      const run: CheckRunState = {
        id: state.nextId(),
        name: fields.name,
        head_sha: fields.head_sha,
        status: "queued",
        conclusion: null,
        output: { title: null, summary: null, text: null },
        details_url: null,
        external_id: null,
        started_at: at,
        completed_at: null,
        history: [],
      };
      const problem = apply(state, run, fields);
      if (problem) return invalid(`Invalid request.\n\n${problem}`);
      snapshot(run, "created", at, fields);
      repo.checkRuns.push(run);
      return { status: 201, body: checkRunJson(state, repo, run, ctx.apiBase) };
    }),
    repoRoute("PATCH /repos/:owner/:repo/check-runs/:id", (ctx, repo): Reply => {
      const run = find(repo, ctx.params.id);
      if (!run) return notFound();
      // Validate on a copy so a refused update leaves the run untouched.
      const next = structuredClone(run);
      const fields = asFields(ctx.body);
      const problem = apply(state, next, fields);
      if (problem) return invalid(`Invalid request.\n\n${problem}`);
      Object.assign(run, next);
      snapshot(run, "updated", state.timestamp(), fields);
      return { status: 200, body: checkRunJson(state, repo, run, ctx.apiBase) };
    }),
    repoRoute("GET /repos/:owner/:repo/check-runs/:id", (ctx, repo): Reply => {
      const run = find(repo, ctx.params.id);
      return run ? { status: 200, body: checkRunJson(state, repo, run, ctx.apiBase) } : notFound();
    }),
    repoRoute("GET /repos/:owner/:repo/commits/:ref/check-runs", (ctx, repo): Reply => {
      const ref = ctx.params.ref!;
      // A branch name resolves to the head of the pull request that has it.
      const sha = [...repo.pulls.values()].find((p) => p.head.ref === ref)?.head.sha ?? ref;
      const name = ctx.url.searchParams.get("check_name");
      const status = ctx.url.searchParams.get("status");
      let runs = repo.checkRuns.filter(
        (run) =>
          run.head_sha === sha &&
          (!name || run.name === name) &&
          (!status || run.status === status),
      );
      if (ctx.url.searchParams.get("filter") !== "all") runs = latestPerName(runs);
      runs.sort((a, b) => b.id - a.id);
      const page = numberedPage(runs, ctx.url);
      return {
        status: 200,
        headers: page.headers,
        body: {
          total_count: runs.length,
          check_runs: page.items.map((run) => checkRunJson(state, repo, run, ctx.apiBase)),
        },
      };
    }),
  ];
}
