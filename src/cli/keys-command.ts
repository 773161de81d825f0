/**
 * `trackbridge keys`: shows which issue keys trackbridge would find, so people can check a
 * branch name or a PR description (and their allow-list) before pushing.
 */
import { type Command, InvalidArgumentError } from "commander";
import { extractBranchKeys, extractKeys, type KeyOptions } from "../core/extract-keys.js";
import type { KeyRole } from "../core/types.js";
import { type CliIo, readText, USAGE_EXIT_CODE } from "./io.js";

interface KeysFlags {
  branch?: string;
  projects?: string[];
  ignoreCase?: boolean;
  json?: boolean;
}

const PROJECT = /^[A-Za-z][A-Za-z0-9_]+$/;

/** Parses `--projects PROJ,OPS` the way the repo config's `keys.projects` is validated. */
export function parseProjectList(value: string): string[] {
  const projects = value
    .split(",")
    .map((project) => project.trim())
    .filter((project) => project !== "");
  const bad = projects.filter((project) => !PROJECT.test(project));
  if (bad.length > 0) {
    throw new InvalidArgumentError(`expected project keys such as PROJ,OPS; got ${bad.join(", ")}`);
  }
  return projects;
}

/**
 * Adds `keys` to the program.
 *
 * @example
 * // $ trackbridge keys --branch feature/proj-123-login
 * // PROJ-123
 * // $ echo "Fixes PROJ-1, refs OPS-2" | trackbridge keys --json
 * // [{"key":"PROJ-1","role":"moving"},{"key":"OPS-2","role":"reference"}]
 */
export function addKeysCommand(program: Command, io: CliIo): void {
  program
    .command("keys")
    .description("print the issue keys in a branch name (--branch) or in Markdown text on stdin")
    .option("--branch <name>", "read this branch name instead of stdin")
    .option("--projects <list>", "comma-separated allow-list of project keys", parseProjectList)
    .option("--ignore-case", "accept lower-case keys in text (branch names always do)")
    .option("--json", 'print [{"key","role"}] instead of one key per line')
    .addHelpText(
      "after",
      "\nExamples:\n  trackbridge keys --branch feature/proj-123-login\n  trackbridge keys --projects PROJ --json < pr-body.md",
    )
    .action(async (flags: KeysFlags, command: Command) => {
      const options: KeyOptions = {
        ...(flags.projects ? { projects: flags.projects } : {}),
        ignoreCase: flags.ignoreCase ?? false,
      };
      let found: Array<{ key: string; role: KeyRole }>;
      if (flags.branch !== undefined) {
        found = extractBranchKeys(flags.branch, options).map((key) => ({ key, role: "moving" }));
      } else {
        if (io.stdin.isTTY) {
          // Waiting on a terminal would look like a hang.
          command.error("error: pass --branch NAME or pipe text on stdin", {
            exitCode: USAGE_EXIT_CODE,
          });
        }
        const result = extractKeys(
          { body: await readText(io.stdin) },
          { ...options, from: ["body"] },
        );
        for (const note of result.notes)
          io.stderr.write(`note: ${note.replace(/^body:/, "stdin:")}\n`);
        found = result.keys.map(({ key, role }) => ({ key, role }));
      }
      io.stdout.write(
        flags.json ? `${JSON.stringify(found)}\n` : found.map(({ key }) => `${key}\n`).join(""),
      );
    });
}
