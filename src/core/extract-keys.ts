/**
 * Finds issue keys (`PROJ-123`) in a pull request's branch name, title, body, comments and
 * commit messages. Pure and linear-time; the grammar and the role rules live in
 * `scan-keys.ts`, the Markdown parts that are skipped in `mask-markdown.ts`.
 *
 * What is read is capped (per text and per list) so a 10 MB PR body or a 5,000-commit PR
 * costs a bounded amount of work; every cut is reported in `notes` so the check run can
 * say so instead of silently missing a key.
 */

import { DEFAULT_DENIED, DEFAULT_DENY_LIST } from "./deny-list.js";
import { maskIgnoredMarkdown } from "./mask-markdown.js";
import { githubBranchIssue, githubIssueKey, scanGitHubRefs } from "./scan-github-refs.js";
import { type KeyHit, scanKeys } from "./scan-keys.js";
import {
  type FoundKey,
  KEY_SOURCES,
  type KeyRole,
  type KeySource,
  type KeyStyle,
} from "./types.js";

export { DEFAULT_DENY_LIST } from "./deny-list.js";

export interface KeyOptions {
  /** Allow-list of PROJECT prefixes (any case). When set, the deny-list does not apply. */
  projects?: string[];
  /** Accept lower/mixed-case PROJECTs in text too (branch names always do). */
  ignoreCase?: boolean;
  /** Added to {@link DEFAULT_DENY_LIST} when there is no allow-list. */
  deny?: string[];
  /** Which sources to read; default all. */
  from?: KeySource[];
  /** Characters read from each text (the branch, title, body, each comment, each commit). */
  maxCharsPerSource?: number;
  /**
   * The repository's connection numbers its tickets (Redmine, Request Tracker): only
   * `PREFIX-N` and `PREFIX#N` are keys, and with `keywords` Redmine's `refs #N`/`fixes #N`.
   * A bare `#N` never is: it is GitHub's own issue or pull request.
   */
  numeric?: { prefix: string; connection: string; keywords: boolean };
  /** How keys are written; `PROJ-123` unless the connection says otherwise. */
  style?: KeyStyle;
}

export interface KeySourcesInput {
  branch?: string;
  title?: string;
  body?: string;
  comments?: string[];
  commits?: string[];
  /**
   * Issues GitHub says the PR closes (`closingIssuesReferences`: closing keywords and links
   * made by hand), as `owner/repo#12`; moving, counted with the body. Read with the GitHub style only.
   */
  closing?: string[];
}

export const DEFAULT_MAX_CHARS_PER_SOURCE = 65_536;
/** Comments and commits read per pull request; GitHub's own PR views page at 250 commits. */
export const MAX_ITEMS_PER_LIST = 250;

/**
 * All keys of a pull request, de-duplicated, in order of first appearance (branch, title,
 * body, comments, commits). A key is `moving` if any occurrence is moving.
 *
 * @example
 * extractKeys({ branch: "feature/proj-12-login", body: "Fixes PROJ-12, refs OPS-7" });
 * // → { keys: [{ key: "PROJ-12", role: "moving", source: "branch" },
 * //            { key: "OPS-7", role: "reference", source: "body" }], notes: [] }
 */
export function extractKeys(
  input: KeySourcesInput,
  options: KeyOptions = {},
): { keys: FoundKey[]; notes: string[] } {
  const from = new Set<KeySource>(options.from ?? KEY_SOURCES);
  const accepts = projectFilter(options);
  const max = maxChars(options);
  const found = new Map<string, FoundKey>();
  const notes: string[] = [];

  const told = new Set<string>();
  const record = (hits: KeyHit[], source: KeySource) => {
    for (const { key, role, keyword } of hits) {
      if (keyword && options.numeric && !told.has(key)) {
        told.add(key);
        notes.push(`"${keyword}" in ${source} → ${key} (connection ${options.numeric.connection})`);
      }
      const seen = found.get(key);
      if (!seen) found.set(key, { key, role, source });
      else if (role === "moving") seen.role = "moving";
    }
  };
  const readOne = (source: "branch" | "title" | "body", text: string | undefined) => {
    if (!from.has(source) || !text) return;
    const cut = capText(text, max);
    if (cut.truncated) {
      notes.push(`${source}: read the first ${max} of ${text.length} characters`);
    }
    record(
      source === "branch" ? scanBranch(cut, options, accepts) : scanText(cut, options, accepts),
      source,
    );
  };
  const readList = (source: "comments" | "commits", texts: string[] | undefined) => {
    if (!from.has(source) || !texts || texts.length === 0) return;
    if (texts.length > MAX_ITEMS_PER_LIST) {
      notes.push(`${source}: read ${MAX_ITEMS_PER_LIST} of ${texts.length}`);
    }
    let longer = 0;
    for (const text of texts.slice(0, MAX_ITEMS_PER_LIST)) {
      const cut = capText(text, max);
      if (cut.truncated) longer++;
      record(scanText(cut, options, accepts), source);
    }
    if (longer > 0) {
      notes.push(`${source}: read the first ${max} characters of each of ${longer} longer ones`);
    }
  };

  readOne("branch", input.branch);
  readOne("title", input.title);
  readOne("body", input.body);
  readList("comments", input.comments);
  readList("commits", input.commits);
  if (options.style?.kind === "github" && input.closing) {
    const keys = input.closing.map(githubIssueKey).filter((key) => key !== null);
    record(
      keys.map((key) => ({ key, role: "moving" as const })),
      "body",
    );
  }
  return { keys: [...found.values()], notes };
}

/**
 * Keys in a branch name: any case, upper-cased, always moving.
 *
 * @example
 * extractBranchKeys("feature/proj-123-login"); // → ["PROJ-123"]
 */
export function extractBranchKeys(branch: string, options: KeyOptions = {}): string[] {
  const hits = scanBranch(capText(branch, maxChars(options)), options, projectFilter(options));
  return [...new Set(hits.map((hit) => hit.key))];
}

/**
 * Keys in one Markdown text with their roles, de-duplicated (moving wins), skipping fenced
 * code, block quotes and HTML comments. Text beyond `maxCharsPerSource` is not read; use
 * {@link extractKeys} to be told when that happens.
 *
 * @example
 * extractTextKeys("PROJ-1 done, part of OPS-2. `utf-8` UTF-8");
 * // → [{ key: "PROJ-1", role: "moving" }, { key: "OPS-2", role: "reference" }]
 */
export function extractTextKeys(
  text: string,
  options: KeyOptions = {},
): Array<{ key: string; role: KeyRole }> {
  const hits = scanText(capText(text, maxChars(options)), options, projectFilter(options));
  const byKey = new Map<string, { key: string; role: KeyRole }>();
  for (const { key, role } of hits) {
    const seen = byKey.get(key);
    if (!seen) byKey.set(key, { key, role });
    else if (role === "moving") seen.role = "moving";
  }
  return [...byKey.values()];
}

interface CutText {
  text: string;
  truncated: boolean;
}

function capText(text: string, max: number): CutText {
  return text.length > max
    ? { text: text.slice(0, max), truncated: true }
    : { text, truncated: false };
}

function maxChars(options: KeyOptions): number {
  const max = options.maxCharsPerSource ?? DEFAULT_MAX_CHARS_PER_SOURCE;
  return Number.isNaN(max) ? DEFAULT_MAX_CHARS_PER_SOURCE : Math.max(0, max);
}

function scanBranch(
  cut: CutText,
  options: KeyOptions,
  accepts: (project: string) => boolean,
): KeyHit[] {
  // GitHub issues are named in text only, unless the caller reads GitHub's issue branches.
  if (options.style?.kind === "github") {
    return options.style.branches ? githubBranchIssue(cut.text, options.style.repo) : [];
  }
  // Branch names carry no prose, so no roles and no keywords: every key found is moving.
  const numeric = options.numeric ? { prefix: options.numeric.prefix, keywords: false } : undefined;
  return scanKeys(cut.text, {
    anyCase: true,
    truncated: cut.truncated,
    accepts,
    ...(numeric ? { numeric } : {}),
  }).map(({ key }) => ({ key, role: "moving" as const }));
}

function scanText(
  cut: CutText,
  options: KeyOptions,
  accepts: (project: string) => boolean,
): KeyHit[] {
  if (options.style?.kind === "github") {
    // A reference cut at the end could be the start of a longer number: not read.
    const text = cut.truncated ? cut.text.replace(/[\w#/-]*$/, "") : cut.text;
    return scanGitHubRefs(maskIgnoredMarkdown(text), options.style.repo);
  }
  const { numeric } = options;
  return scanKeys(maskIgnoredMarkdown(cut.text), {
    anyCase: options.ignoreCase ?? false,
    truncated: cut.truncated,
    accepts,
    ...(numeric ? { numeric: { prefix: numeric.prefix, keywords: numeric.keywords } } : {}),
  });
}

/**
 * The allow-list when one is given (an empty list counts as none: a config that allows no
 * project at all would only ever do nothing), otherwise the deny-list.
 */
function projectFilter(options: KeyOptions): (project: string) => boolean {
  // A numbered tracker's keys are its prefix's and nothing else.
  if (options.numeric) {
    const prefix = normalizeProject(options.numeric.prefix);
    return (project) => project === prefix;
  }
  const allowed = (options.projects ?? []).map(normalizeProject).filter((p) => p !== "");
  if (allowed.length > 0) {
    const allow = new Set(allowed);
    return (project) => allow.has(project);
  }
  const extra = options.deny ?? [];
  // The usual case, no extra words: the shared set, not ~90 strings hashed again per PR.
  const deny =
    extra.length === 0
      ? DEFAULT_DENIED
      : new Set([...DEFAULT_DENY_LIST, ...extra.map(normalizeProject)]);
  return (project) => !deny.has(project);
}

function normalizeProject(project: string): string {
  return project.trim().toUpperCase();
}
