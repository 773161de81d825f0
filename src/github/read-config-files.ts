/**
 * Reads a repository's config file with Probot's conventions, as
 * @probot/octokit-plugin-config does for `context.config`: the repository's own file; when it
 * has none, the one in the organization's `.github` repository; then the `_extends` chain
 * (`repo`, `owner/repo` or `owner/repo:path.yml`), a loop being an error.
 *
 * Unlike the plugin, a text seen before is not parsed again: a 304 (answered from the
 * conditional-request cache with the very same text) costs no YAML parse.
 */
import type { Octokit } from "@octokit/core";
import yaml from "yaml";
import type { Lru } from "../core/lru.js";
import { tokenRefusal } from "./installation-token.js";

export interface ConfigFile {
  owner: string;
  repo: string;
  path: string;
  /** The file's text; null when it does not exist. */
  text: string | null;
  /** The parsed YAML (`_extends` left in); null when the file does not exist. */
  config: Record<string, unknown> | null;
}

type Parsed = { config: Record<string, unknown> } | { error: string };

/** The last text read at each location and what parsing it gave. */
export type ParsedTexts = Lru<string, { text: string; parsed: Parsed }>;

type Where = { owner: string; repo: string; path: string };
type Reader = Pick<Octokit, "request">;

/** The files in the order Probot merges them over each other: the first one wins. */
export async function readConfigFiles(
  octokit: Reader,
  { owner, repo, path }: Where,
  parsedTexts: ParsedTexts,
): Promise<ConfigFile[]> {
  const read = (where: Where) => readConfigFile(octokit, where, parsedTexts);
  const files = [await read({ owner, repo, path })];
  if (files[0]!.config === null) {
    if (repo === ".github") return files;
    files.push(await read({ owner, repo: ".github", path }));
  }
  let from = files.at(-1)!;
  // As the plugin does: the first hop is taken unchecked, every later one is checked for a loop.
  for (let hop = 0; from.config?._extends; hop++) {
    const next = extendsTarget(from, { owner, path });
    const seen = files.find(
      (file) => file.owner === next.owner && file.repo === next.repo && file.path === next.path,
    );
    if (hop > 0 && seen) {
      throw new Error(
        `Recursion detected: "_extends: ${String(from.config._extends)}" in ${describe(from)} leads back to ${describe(seen)}`,
      );
    }
    from = await read(next);
    files.push(from);
  }
  return files;
}

async function readConfigFile(
  octokit: Reader,
  { owner, repo, path }: Where,
  parsedTexts: ParsedTexts,
): Promise<ConfigFile> {
  let response: Awaited<ReturnType<Reader["request"]>>;
  try {
    response = await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", {
      owner,
      repo,
      path,
      mediaType: { format: "raw" },
    });
  } catch (error) {
    // A 404 from the token request is no answer about the file.
    const refused = tokenRefusal(error);
    if (refused) throw refused;
    if ((error as { status?: number }).status === 404) {
      return { owner, repo, path, text: null, config: null };
    }
    throw error;
  }
  const file = { owner, repo, path };
  if (response.headers["content-type"] === "application/json; charset=utf-8") {
    throw new Error(`${describe(file)} exists, but is either a directory or a submodule`);
  }
  const text = String(response.data);
  const where = `${owner}/${repo}:${path}`;
  let kept = parsedTexts.get(where);
  if (kept?.text !== text) {
    kept = { text, parsed: parseYaml(text, describe(file)) };
    parsedTexts.set(where, kept);
  }
  if ("error" in kept.parsed) throw new Error(kept.parsed.error);
  return { ...file, text, config: kept.parsed.config };
}

function parseYaml(text: string, file: string): Parsed {
  let config: unknown;
  try {
    config = yaml.parse(text, { logLevel: "error" }) || {};
  } catch {
    return { error: `Configuration could not be parsed from ${file} (invalid YAML)` };
  }
  if (typeof config === "string") {
    return { error: `Configuration could not be parsed from ${file} (YAML is not an object)` };
  }
  return { config: config as Record<string, unknown> };
}

const EXTENDS =
  /^(?:([a-z\d](?:[a-z\d]|-(?=[a-z\d])){0,38})\/)?([-_.\w\d]+)(?::([-_./\w\d]+\.ya?ml))?$/i;

/** Where `_extends` points: an owner left out is the repository's, a path left out the same file. */
function extendsTarget(from: ConfigFile, defaults: { owner: string; path: string }): Where {
  const value = from.config?._extends;
  if (typeof value !== "string") {
    throw new Error(`Invalid value ${JSON.stringify(value)} for _extends in ${describe(from)}`);
  }
  const match = EXTENDS.exec(value);
  if (!match) throw new Error(`Invalid value "${value}" for _extends in ${describe(from)}`);
  return { owner: match[1] || defaults.owner, repo: match[2]!, path: match[3] || defaults.path };
}

function describe(file: Pick<ConfigFile, "owner" | "repo" | "path">): string {
  return `${file.owner}/${file.repo}:${file.path}`;
}
