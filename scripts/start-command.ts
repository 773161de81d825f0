/**
 * `npm start`'s command line, read from package.json, for what must run the server as it does:
 * the tests that start it as a process, and the bench (which runs a bundle, with the same V8
 * options). One place says how the server's heap is sized: the start script.
 */
import { readFileSync } from "node:fs";

const PACKAGE = new URL("../package.json", import.meta.url);

/** The words after `node`: V8's and Node's options, then the entry. */
export function startArgs(): string[] {
  const { scripts } = JSON.parse(readFileSync(PACKAGE, "utf8")) as { scripts: { start: string } };
  const [command, ...words] = scripts.start.trim().split(/\s+/);
  if (command !== "node") throw new Error(`npm start runs ${command}, not node: ${scripts.start}`);
  return words;
}

/** The options before the loader and the entry: those a bundle run on plain node needs too. */
export function startHeapOptions(): string[] {
  const args = startArgs();
  const end = args.findIndex((word) => !word.startsWith("--") || word === "--import");
  return args.slice(0, end === -1 ? args.length : end);
}
