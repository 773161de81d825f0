/**
 * The `issue-key` input by the tracker's key style: `PROJ-123` (any case, upper-cased), or for
 * a GitHub project GitHub issues: `#12` (the workflow's repository's) and `acme/web#12`.
 */
import { githubIssueKey } from "../core/scan-github-refs.js";
import type { KindKeys } from "../trackers/kind.js";

/** A project key, a dash, a number without a leading zero. */
const ISSUE_KEY = /^[A-Za-z][A-Za-z0-9_]+-[1-9][0-9]{0,9}$/;
const BARE_GITHUB = /^#([1-9]\d{0,9})$/;

/** Why `key` is not one of this style's keys; undefined when it is. */
export function badIssueKey(key: string, keys: KindKeys): string | undefined {
  if (keys.style === "github") {
    return BARE_GITHUB.test(key) || githubIssueKey(key) !== null
      ? undefined
      : `must be GitHub issues such as #12 or acme/web#12, separated by commas (got ${JSON.stringify(key)})`;
  }
  return ISSUE_KEY.test(key)
    ? undefined
    : `must be issue keys such as PROJ-123, separated by commas (got ${JSON.stringify(key)})`;
}

/**
 * The key as the tracker names it; a bare `#12` is an issue of `repository` (GITHUB_REPOSITORY),
 * and without one it is a problem, returned as the input's message (as `badIssueKey` does).
 *
 * @example
 * normalizeIssueKey("#12", { style: "github" }, "Acme/Web") // { key: "acme/web#12" }
 * normalizeIssueKey("proj-1", { style: "project" }, undefined) // { key: "PROJ-1" }
 * normalizeIssueKey("#12", { style: "github" }, undefined) // { problem: 'input "issue-key" #12 is …' }
 */
export function normalizeIssueKey(
  key: string,
  keys: KindKeys,
  repository: string | undefined,
): { key: string; problem?: never } | { key?: never; problem: string } {
  if (keys.style !== "github") return { key: key.toUpperCase() };
  if (!BARE_GITHUB.test(key)) return { key: githubIssueKey(key) ?? key };
  if (repository === undefined) {
    return {
      problem: `input "issue-key" ${key} is an issue of the workflow's repository, but GITHUB_REPOSITORY is not set: write it as owner/repo${key}`,
    };
  }
  return { key: `${repository}${key}`.toLowerCase() };
}
