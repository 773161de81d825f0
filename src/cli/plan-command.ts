/**
 * `trackbridge plan`: the dry run. Feeds a saved webhook payload and a repo config through
 * the same normalizer and planner the App uses and prints the plan; no network, no tracker.
 */
import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { parse as parseYaml } from "yaml";
import { withConnectionKeys } from "../core/connection-keys.js";
import { statusMatches } from "../core/match-status.js";
import { pullRequestAsks } from "../core/plan-create.js";
import { planDeployment } from "../core/plan-deployment.js";
import { earlierTextOf, planEvent } from "../core/plan-event.js";
import { planRelease } from "../core/plan-release.js";
import { planWorkStarted } from "../core/plan-work-started.js";
import { parseRepoConfig, type RepoConfig } from "../core/repo-config.js";
import {
  describeRoute,
  findRouteVia,
  noRouteMessage,
  statusOf,
  type WorkflowGraph,
} from "../core/route.js";
import type { Plan } from "../core/types.js";
import { normalizePullRequestEvent } from "../handlers/normalize-event.js";
import {
  normalizeBranchEvent,
  normalizeDeploymentStatus,
  normalizeRelease,
} from "../handlers/normalize-ref-event.js";
import { isTrackerType, kindOf, TRACKER_KINDS } from "../trackers/kinds.js";
import { CliError, type CliIo } from "./io.js";

interface PlanFlags {
  event: string;
  payload: string;
  config?: string;
  commits?: string;
  workflow?: string;
  from?: string;
  keyPrefix?: string;
  tracker?: string;
}

/**
 * Adds `plan` to the program.
 *
 * @example
 * // $ trackbridge plan --event pull_request --payload opened.json --config .github/trackbridge.yml
 * // { "keys": [...], "actions": [{ "kind": "move", "key": "PROJ-1", ... }], "skipped": [], "notes": [] }
 */
export function addPlanCommand(program: Command, io: CliIo): void {
  program
    .command("plan")
    .description("dry run: print the plan for a saved webhook payload (no network)")
    .requiredOption(
      "--event <name>",
      "the X-GitHub-Event name: pull_request, pull_request_review, create, push, deployment_status or release",
    )
    .requiredOption("--payload <file>", "the webhook payload, as JSON")
    .option("--config <file>", "the repository config, as YAML (default: all defaults)")
    .option(
      "--commits <file>",
      "deployment_status and release: a JSON array of the messages of the commits shipped (the App reads them from GitHub's compare)",
    )
    .option(
      "--workflow <file>",
      "a workflow as the tracker returns it (Yandex GET /v2/workflows/{id}, Jira Cloud POST /rest/api/3/workflows): print each move's route",
    )
    .option("--from <status>", "where the issues stand now (default: the workflow's start)")
    .option(
      "--key-prefix <prefix>",
      "plan as for a connection that numbers its tickets (Redmine, Request Tracker): keys are PREFIX-123 and PREFIX#123, a bare #123 never",
    )
    .option(
      "--tracker <type>",
      "the connection's tracker: with --key-prefix, redmine (the default) or request-tracker; github-projects: keys are GitHub issues (#12, owner/repo#12) of the payload's repository",
    )
    .action(async (flags: PlanFlags) => {
      const payload = parseJson(await readInput(flags.payload, "payload"), flags.payload);
      const rawConfig = flags.config
        ? parseConfigYaml(await readInput(flags.config, "config"), flags.config)
        : {};
      const parsed = parseRepoConfig(rawConfig, flags.config);
      if (!parsed.ok) throw new CliError(parsed.error);
      const config = flags.keyPrefix
        ? withConnectionKeys(
            parsed.config,
            flags.tracker ?? "redmine",
            [
              {
                name: flags.tracker ?? "redmine",
                type: flags.tracker ?? "redmine",
                prefix: flags.keyPrefix.toUpperCase(),
              },
            ],
            flags.config ?? "the config",
          )
        : parsed;
      if (!config.ok) throw new CliError(config.error);
      if (
        flags.tracker &&
        isTrackerType(flags.tracker) &&
        kindOf(flags.tracker).keys.style === "github"
      ) {
        // As the App does for a GitHub project's repositories: a bare #12 is this repository's.
        const repo = repositoryOf(payload) ?? fail(flags.payload, "names no repository");
        config.config.keys = { ...config.config.keys, style: { kind: "github", repo } };
      }
      const commits = flags.commits
        ? parseMessages(await readInput(flags.commits, "commits"), flags.commits)
        : [];
      const plan = planFor(flags, payload, config.config, commits);
      if (!flags.workflow) {
        io.stdout.write(`${JSON.stringify(plan, null, 2)}\n`);
        return;
      }
      const graph = readWorkflow(
        parseJson(await readInput(flags.workflow, "workflow"), flags.workflow),
        flags.workflow,
      );
      io.stdout.write(
        `${JSON.stringify({ ...plan, routes: planRoutes(plan, graph, flags.from) }, null, 2)}\n`,
      );
    });
}

/** The same normalizer and planner the App runs for the event, fed only the files given. */
function planFor(flags: PlanFlags, payload: unknown, config: RepoConfig, commits: string[]): Plan {
  const fail = (reason: string): never => {
    throw new CliError(`${flags.payload}: ${reason}`);
  };
  switch (flags.event) {
    case "create":
    case "push": {
      const event = normalizeBranchEvent(flags.event, payload, "");
      return event.ok ? planWorkStarted(event.event, config) : fail(event.reason);
    }
    case "deployment_status": {
      const event = normalizeDeploymentStatus(payload);
      if (!event.ok) return fail(event.reason);
      return planDeployment({ ...event.event, commits }, config);
    }
    case "release": {
      const event = normalizeRelease(payload, commits);
      return event.ok ? planRelease(event.event, config) : fail(event.reason);
    }
    default: {
      const event = normalizePullRequestEvent(flags.event, payload);
      if (!event.ok) return fail(event.reason);
      // Creates (`when: no_key`, the label), unlinks (a key edited out) and assignees too.
      const asks = flags.event === "pull_request" ? pullRequestAsks(payload ?? {}, config) : {};
      return planEvent(event.event, config, earlierTextOf(payload), asks);
    }
  }
}

/** `owner/name` of the payload's repository. */
function repositoryOf(payload: unknown): string | undefined {
  const repository = (payload as { repository?: { name?: unknown; owner?: { login?: unknown } } })
    ?.repository;
  const [owner, name] = [repository?.owner?.login, repository?.name];
  return typeof owner === "string" && typeof name === "string" ? `${owner}/${name}` : undefined;
}

function fail(file: string, reason: string): never {
  throw new CliError(`${file}: ${reason}`);
}

function parseMessages(text: string, file: string): string[] {
  const value = parseJson(text, file);
  if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) {
    throw new CliError(`${file} must be a JSON array of commit messages`);
  }
  return value;
}

function readWorkflow(json: unknown, file: string): WorkflowGraph {
  for (const kind of TRACKER_KINDS) {
    const graph = kind.workflowFile?.read(json);
    if (graph) return graph;
  }
  const whats = TRACKER_KINDS.flatMap((kind) =>
    kind.workflowFile ? [kind.workflowFile.what] : [],
  );
  throw new CliError(`${file} is none of: ${whats.join(", ")}`);
}

/** Each move's route from `from` (default: the workflow's start), as the check run would show it. */
function planRoutes(plan: Plan, graph: WorkflowGraph, from: string | undefined) {
  const start = from ?? graph.initial;
  const status = start === undefined ? undefined : statusOf(graph, start);
  if (!status) {
    throw new CliError(
      start === undefined
        ? "the workflow does not say where issues start: pass --from <status>"
        : `--from ${start}: no such status in the workflow`,
    );
  }
  return plan.actions.flatMap((action) => {
    if (action.kind !== "move") return [];
    if (statusMatches(status, action.target))
      return [{ key: action.key, route: `already in ${status.display}` }];
    const route = findRouteVia(graph, status, action.target, action.via);
    return [
      {
        key: action.key,
        route: route.ok
          ? describeRoute(status, route.steps)
          : noRouteMessage({ target: action.target, from: status, graph, reason: route.reason }),
      },
    ];
  });
}

async function readInput(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(`cannot read the ${what} file ${file}${code ? ` (${code})` : ""}`);
  }
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError(`${file} is not JSON: ${(error as Error).message}`);
  }
}

function parseConfigYaml(text: string, file: string): unknown {
  try {
    return parseYaml(text);
  } catch (error) {
    throw new CliError(`${file} is not valid YAML: ${(error as Error).message}`);
  }
}
