/**
 * What a CLI command may touch, passed in so tests can run commands in-process and the
 * entry point is the only place that names `process`.
 */

export interface CliIo {
  /** Text piped to the command; `isTTY` tells a terminal (nothing piped) apart. */
  stdin: AsyncIterable<string | Uint8Array> & { isTTY?: boolean };
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
}

/** Exit code for a command line that is wrong (unknown option, missing argument). */
export const USAGE_EXIT_CODE = 2;

/**
 * A failure the user can act on: printed as `trackbridge: <message>` without a stack, with
 * its own exit code (1 unless said otherwise).
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = "CliError";
  }
}

/** Reads all of stdin as UTF-8 text. */
export async function readText(stream: CliIo["stdin"]): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk, "utf8") : Buffer.from(chunk));
  }
  return Buffer.concat(chunks).toString("utf8");
}
