/**
 * `trackbridge plan`: the dry run. Feeds a saved webhook payload and a repo config through
 * the same normalizer and planner the App uses and prints the plan; no network, no tracker.
 */
import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { parse as parseYaml } from "yaml";
import { normalizePullRequestEvent } from "../app/normalize-event.js";
import { statusMatches } from "../core/match-status.js";
import { earlierTextOf, planEvent } from "../core/plan-event.js";
import { parseRepoConfig } from "../core/repo-config.js";
import {
  describeRoute,
  findRouteVia,
  noRouteMessage,
  statusOf,
  type WorkflowGraph,
} from "../core/route.js";
import type { Plan } from "../core/types.js";
import { mapWorkflows as mapJiraWorkflows } from "../trackers/jira/map.js";
import { mapWorkflow as mapYandexWorkflow } from "../trackers/yandex/map.js";
import { CliError, type CliIo } from "./io.js";

interface PlanFlags {
  event: string;
  payload: string;
  config?: string;
  workflow?: string;
  from?: string;
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
      "the X-GitHub-Event name: pull_request or pull_request_review",
    )
    .requiredOption("--payload <file>", "the webhook payload, as JSON")
    .option("--config <file>", "the repository config, as YAML (default: all defaults)")
    .option(
      "--workflow <file>",
      "a workflow as the tracker returns it (Yandex GET /v2/workflows/{id}, Jira Cloud POST /rest/api/3/workflows): print each move's route",
    )
    .option("--from <status>", "where the issues stand now (default: the workflow's start)")
    .action(async (flags: PlanFlags) => {
      const payload = parseJson(await readInput(flags.payload, "payload"), flags.payload);
      const rawConfig = flags.config
        ? parseConfigYaml(await readInput(flags.config, "config"), flags.config)
        : {};
      const config = parseRepoConfig(rawConfig, flags.config);
      if (!config.ok) throw new CliError(config.error);
      const event = normalizePullRequestEvent(flags.event, payload);
      if (!event.ok) throw new CliError(`${flags.payload}: ${event.reason}`);
      const plan = planEvent(event.event, config.config, earlierTextOf(payload));
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

function readWorkflow(json: unknown, file: string): WorkflowGraph {
  const body = (json ?? {}) as { steps?: unknown; workflows?: unknown };
  const graph = Array.isArray(body.steps)
    ? mapYandexWorkflow(json, [])
    : Array.isArray(body.workflows)
      ? mapJiraWorkflows(json)
      : undefined;
  if (!graph) {
    throw new CliError(
      `${file} is neither a Yandex Tracker workflow (steps) nor a Jira workflows answer (workflows)`,
    );
  }
  return graph;
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
