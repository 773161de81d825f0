/**
 * The `trackbridge` command line: `keys` and `plan`, plus whatever commands the caller adds
 * (`deliveries`, `demo`). Usage errors exit 2 with the usage; errors the user can act on
 * exit 1 with one line; success exits 0.
 */
import { existsSync, realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { Command, CommanderError } from "commander";
import { DEFAULT_SYNC_DAYS } from "../core/plan-sync.js";
import { registerConnectWebhooksCommand } from "./connect-webhooks-command.js";
import { registerDeliveriesCommand } from "./deliveries-command.js";
import { addDoctorCommand } from "./doctor-command.js";
import { registerInitCommand } from "./init-command.js";
import { CliError, type CliIo, USAGE_EXIT_CODE } from "./io.js";
import { addKeysCommand } from "./keys-command.js";
import { addPlanCommand } from "./plan-command.js";

export type { CliIo } from "./io.js";
export { CliError, USAGE_EXIT_CODE } from "./io.js";

/** Adds one subcommand; it inherits the program's output and exit handling. */
export type AddCommand = (program: Command, io: CliIo) => void;

/**
 * The program with its subcommands. Errors are thrown, never `process.exit`ed, so
 * {@link runCli} decides the exit code and tests can run commands in-process.
 *
 * @example
 * const program = buildProgram(io, [addDeliveriesCommand]);
 * await program.parseAsync(["keys", "--branch", "proj-1"], { from: "user" });
 */
export function buildProgram(io: CliIo, extraCommands: AddCommand[] = []): Command {
  // Settings first: commander copies them into each subcommand when it is created.
  const program = new Command("trackbridge")
    .description("Find issue keys and dry-run trackbridge plans.")
    .exitOverride()
    .showHelpAfterError()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });
  addKeysCommand(program, io);
  addPlanCommand(program, io);
  for (const add of extraCommands) add(program, io);
  return program;
}

/**
 * Runs the program on a `process.argv`-style array and returns the exit code.
 *
 * @example
 * process.exitCode = await runCli(process.argv, { stdin, stdout, stderr });
 */
export async function runCli(
  argv: readonly string[],
  io: CliIo,
  extraCommands: AddCommand[] = [],
): Promise<number> {
  try {
    await buildProgram(io, extraCommands).parseAsync([...argv], { from: "node" });
    return 0;
  } catch (error) {
    // Commander has already printed its message and the usage.
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : USAGE_EXIT_CODE;
    if (error instanceof CliError) {
      io.stderr.write(`trackbridge: ${error.message}\n`);
      return error.exitCode;
    }
    io.stderr.write(`trackbridge: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

/**
 * The commands that need the server's environment: `deliveries` opens the store the server
 * uses (TRACKBRIDGE_DB), `demo` starts the simulators. Imported lazily so `keys` and `plan`
 * stay quick.
 */
const serverCommands: AddCommand[] = [
  (program, io) => addDoctorCommand(program, io, process.env),
  (program, io) =>
    registerDeliveriesCommand(program, {
      write: (text) => void io.stdout.write(text),
      openStore: async () => {
        const { loadServerConfig } = await import("../config/server-config.js");
        const { openStore } = await import("../delivery/open-store.js");
        return openStore(loadServerConfig(process.env));
      },
    }),
  (program, io) =>
    registerConnectWebhooksCommand(program, {
      write: (text) => void io.stdout.write(text),
      loadConfig: async () => {
        const { loadServerConfig } = await import("../config/server-config.js");
        return loadServerConfig(process.env);
      },
    }),
  (program, io) => registerInitCommand(program, { io, env: process.env }),
  (program, io) =>
    program
      .command("sync")
      .description("bring the issues of already-open pull requests in line with each PR's state")
      .requiredOption("--repo <owner/name>", "the repository to sync")
      .option(
        "--since <days>",
        `also sync PRs merged in the last N days (default: ${DEFAULT_SYNC_DAYS}d)`,
      )
      .option("--dry-run", "print what would change, change nothing")
      .action(async (flags: { repo: string; since?: string; dryRun?: boolean }) => {
        const { runSync } = await import("./sync-command.js");
        await runSync(flags, {
          env: process.env,
          write: (text) => void io.stdout.write(text),
          isTTY: Boolean((io.stdout as { isTTY?: boolean }).isTTY),
        });
      }),
  (program) =>
    program
      .command("demo")
      .description(
        "Run the App against simulated GitHub and Yandex Tracker (or --tracker linear|youtrack) and print one PR's life.",
      )
      .option(
        "--tracker <name>",
        "the tracker simulator to play on: yandex, linear or youtrack",
        "yandex",
      )
      .action(async (flags: { tracker: string }) => {
        const { runDemo } = await import("./demo.js");
        await runDemo(process.stdout, flags.tracker);
      }),
];

/** The entry point: real argv and streams; `.env` as the server reads it. */
export async function main(extraCommands: AddCommand[] = serverCommands): Promise<void> {
  if (existsSync(".env")) process.loadEnvFile(".env");
  const io: CliIo = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };
  process.exitCode = await runCli(process.argv, io, extraCommands);
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return pathToFileURL(realpathSync(script)).href === import.meta.url;
  } catch {
    return false;
  }
}

if (isEntryPoint()) await main();
