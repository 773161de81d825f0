/**
 * The simulator's payloads carry what the App reads (~3.5 KB); GitHub's real `pull_request`
 * payloads are ~23 KB (every URL of the repository, twice more under head and base). Size
 * matters to what is measured (the HMAC, JSON.parse, the SQLite row), so each simulator
 * payload is laid over a real one from @octokit/webhooks-examples: the simulator's fields win.
 */
import { createRequire } from "node:module";

type Json = Record<string, unknown>;

/** The real `pull_request.opened` example with an installation (loaded once per call site). */
export function loadRealPullRequestExample(): Json {
  const require = createRequire(import.meta.url);
  const examples = require("@octokit/webhooks-examples") as Array<{
    name: string;
    examples: Json[];
  }>;
  const found = examples
    .find((definition) => definition.name === "pull_request")
    ?.examples.find((example) => example.action === "opened" && "installation" in example);
  if (!found)
    throw new Error(
      "@octokit/webhooks-examples has no pull_request.opened example with an installation",
    );
  return found;
}

/** `over` laid on `under`, recursively for plain objects; arrays and scalars of `over` win. */
export function overlay(under: unknown, over: unknown): unknown {
  if (!isObject(under) || !isObject(over)) return over === undefined ? under : over;
  const out: Json = { ...under };
  for (const [key, value] of Object.entries(over)) out[key] = overlay(under[key], value);
  return out;
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
