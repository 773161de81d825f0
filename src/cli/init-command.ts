/**
 * `trackbridge init --connection NAME --queue PROJ [--out PATH] [--force] [--print]`: reads
 * the queue's/project's statuses and workflow through the server's tracker connection and
 * writes a commented `.github/trackbridge.yml` with a best guess for every PR event, matched
 * the way the App matches (key, display name, category). It says which guesses to check.
 *
 * The token comes from the server's environment or connections file, as for the App; no
 * message carries it (the adapters scrub it from every error).
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { parse as parseYaml } from "yaml";
import { loadServerConfig } from "../config/server-config.js";
import { guessStatuses } from "../core/guess-statuses.js";
import { DEFAULT_CONFIG_FILE, parseRepoConfig } from "../core/repo-config.js";
import { appGraphqlAccess } from "../github/app-graphql-access.js";
import type { Send } from "../http/send.js";
import type { TrackerConnection } from "../trackers/connection.js";
import { createTracker } from "../trackers/create-tracker.js";
import { TrackerError } from "../trackers/errors.js";
import { githubProject } from "../trackers/github-projects/kind.js";
import { kindOf, projectWords } from "../trackers/kinds.js";
import type { ProjectWorkflow, Tracker } from "../trackers/port.js";
import { findConnection, queueKey } from "./connection-options.js";
import { CliError, type CliIo } from "./io.js";
import { renderInitFile, renderInitSummary } from "./render-init-config.js";

export interface InitDeps {
  io: CliIo;
  /** Where the server's connections are read from: `process.env` at the entry point. */
  env: Record<string, string | undefined>;
  /** Relative `--out` paths resolve here; the process's working directory by default. */
  cwd?: string;
  now?: () => Date;
  send?: Send;
}

interface InitFlags {
  connection?: string;
  queue: string;
  out: string;
  force?: boolean;
  /** `--print` or `--dry-run`. */
  dryRun?: boolean;
}

export function registerInitCommand(program: Command, deps: InitDeps): void {
  program
    .command("init")
    .description(
      "Write .github/trackbridge.yml with a best-guess status for every PR event, read from the tracker.",
    )
    .option("--connection <name>", "the server's tracker connection (optional when there is one)")
    .requiredOption("--queue <key>", `the ${projectWords()}, e.g. PROJ`)
    .option("--out <path>", "where to write the file", DEFAULT_CONFIG_FILE)
    .option("--force", "overwrite the file when it exists")
    .option("--print, --dry-run", "print the file instead of writing it")
    .action((flags: InitFlags) => runInit(flags, deps));
}

async function runInit(flags: InitFlags, deps: InitDeps): Promise<void> {
  // Relative paths (the file written, a connections file, a token file) are the caller's.
  const cwd = deps.cwd ?? process.cwd();
  const out = path.resolve(cwd, flags.out);
  if (!flags.dryRun && !flags.force && existsSync(out)) throw alreadyThere(flags.out);
  const named = findConnection(loadServerConfig(deps.env, cwd).connections, flags.connection);
  const { connection, project } = queueOf(named, flags.queue);
  const tracker = createTracker(connection, {
    ...(deps.send ? { send: deps.send } : {}),
    // GitHub Projects: the App's installation on the project's organization, as the server.
    github: appGraphqlAccess(deps.env),
  });
  const { statuses, graph } = await readProject(tracker, project);
  if (statuses.length === 0) {
    throw new CliError(`${project} in connection "${connection.name}" lists no statuses`);
  }

  const guesses = guessStatuses(statuses, graph);
  const date = (deps.now?.() ?? new Date()).toISOString().slice(0, 10);
  const text = renderInitFile({
    connection: connection.name,
    project,
    date,
    statuses,
    graph,
    guesses,
    githubKeys: kindOf(connection.type).keys.style === "github",
  });
  // The file is read back as the App reads it: a guess the schema refuses is a bug here.
  const check = parseRepoConfig(parseYaml(text), flags.out);
  if (!check.ok) throw new Error(`init wrote an invalid config, please report it:\n${check.error}`);

  const summary = renderInitSummary(guesses);
  if (flags.dryRun) {
    deps.io.stdout.write(text);
    deps.io.stderr.write(summary);
    return;
  }
  mkdirSync(path.dirname(out), { recursive: true });
  try {
    writeFileSync(out, text, { flag: flags.force ? "w" : "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    throw alreadyThere(flags.out);
  }
  deps.io.stdout.write(
    `Wrote ${flags.out} from the ${statuses.length} statuses of ${project} (connection "${connection.name}").\n${summary}`,
  );
}

/**
 * The project init reads: a queue or project key, or for GitHub Projects the org project
 * (`acme/3`), which then replaces the connection's own.
 */
function queueOf(connection: TrackerConnection, queue: string) {
  if (!connection.project) return { connection, project: queueKey(queue) };
  const project = githubProject(queue);
  if (!project) {
    throw new CliError(
      `--queue must be an organization project as acme/3 or https://github.com/orgs/acme/projects/3 (got "${queue}")`,
    );
  }
  return { connection: { ...connection, project }, project: `${project.owner}/${project.number}` };
}

function alreadyThere(file: string): CliError {
  return new CliError(
    `${file} already exists: --force overwrites it, --print shows the new one without writing`,
  );
}

/** Tracker failures in words that say what to do; the adapter's message never holds the token. */
async function readProject(tracker: Tracker, project: string): Promise<ProjectWorkflow> {
  try {
    return await tracker.projectWorkflow(project);
  } catch (error) {
    if (!(error instanceof TrackerError)) throw error;
    const name = `connection "${tracker.connection}"`;
    switch (error.kind) {
      case "not_found":
        throw new CliError(
          `no queue or project ${project} in ${name}: check --queue (${error.message})`,
        );
      case "auth":
      case "forbidden":
        throw new CliError(error.message);
      default:
        throw new CliError(`${error.message}; nothing was written, try again later`);
    }
  }
}
