/** Runs the CLI in this process with its output captured, as the command-line tests need it. */
import { type AddCommand, type CliIo, runCli } from "../../../src/cli/main.js";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runInProcess(
  args: readonly string[],
  extraCommands: AddCommand[] = [],
): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdin: (async function* () {})(),
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  };
  const code = await runCli(["node", "trackbridge", ...args], io, extraCommands);
  return { code, stdout, stderr };
}
