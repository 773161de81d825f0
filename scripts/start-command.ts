/**
 * `npm start`'s command line, read from package.json, for what must run the server as it does:
 * the tests that start it as a process, and the bench (which runs a bundle, with the same V8
 * options and environment). One place says how the server's memory is set up: the start script.
 */
import { readFileSync } from "node:fs";

const PACKAGE = new URL("../package.json", import.meta.url);

/** The environment a start script sets before `node` (`NAME=value` words), and the words after it. */
export function parseStartScript(script: string): { env: Record<string, string>; args: string[] } {
  const words = script.trim().split(/\s+/);
  const env: Record<string, string> = {};
  while (/^[A-Z_]+=/.test(words[0] ?? "")) {
    const word = words.shift() ?? "";
    const at = word.indexOf("=");
    env[word.slice(0, at)] = word.slice(at + 1);
  }
  const [command, ...args] = words;
  if (command !== "node") throw new Error(`npm start runs ${command}, not node: ${script}`);
  return { env, args };
}

function startCommand(): { env: Record<string, string>; args: string[] } {
  const { scripts } = JSON.parse(readFileSync(PACKAGE, "utf8")) as { scripts: { start: string } };
  return parseStartScript(scripts.start);
}

/** The words after `node`: V8's and Node's options, then the entry. */
export function startArgs(): string[] {
  return startCommand().args;
}

/** The variables npm start sets (glibc's allocator arenas): whoever starts the server as it does sets them too. */
export function startEnv(): Record<string, string> {
  return startCommand().env;
}

/** The options before the loader and the entry: those a bundle run on plain node needs too. */
export function startHeapOptions(): string[] {
  const args = startArgs();
  const end = args.findIndex((word) => !word.startsWith("--") || word === "--import");
  return args.slice(0, end === -1 ? args.length : end);
}
