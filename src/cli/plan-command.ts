/**
 * `trackbridge plan`: the dry run. Feeds a saved webhook payload and a repo config through
 * the same normalizer and planner the App uses and prints the plan; no network, no tracker.
 */
import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { parse as parseYaml } from "yaml";
import { normalizePullRequestEvent } from "../app/normalize-event.js";
import { earlierTextOf, planEvent } from "../core/plan-event.js";
import { parseRepoConfig } from "../core/repo-config.js";
import { CliError, type CliIo } from "./io.js";

interface PlanFlags {
  event: string;
  payload: string;
  config?: string;
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
      io.stdout.write(`${JSON.stringify(plan, null, 2)}\n`);
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
