/**
 * GitHub issue references as keys, for a repository whose connection is a GitHub project:
 * `#12` (an issue of the pull request's own repository), `owner/repo#12`, and issue URLs
 * (`https://github.com/owner/repo/issues/12`). Every key comes out as `owner/repo#12` in lower
 * case, so the three spellings of one issue are one key. A bare `#12` means this only here:
 * for every other tracker it is no key at all.
 *
 * Roles follow the text scanner's words: after "refs", "see", "related to", "part of" … a
 * reference is only linked; otherwise (closing keywords, a bare mention) it is moving.
 * Linear: one regular-expression pass with bounded quantifiers, and a look back of at most
 * {@link LOOK_BACK} characters before each reference.
 */
import type { KeyHit } from "./scan-keys.js";

const LOOK_BACK = 120;

const REF =
  /(?<![\w/#&-])(?:https?:\/\/github\.com\/([A-Za-z0-9][A-Za-z0-9-]{0,38})\/([A-Za-z0-9._-]{1,100})\/issues\/([1-9]\d{0,9})(?![\w/])|(?:([A-Za-z0-9][A-Za-z0-9-]{0,38})\/([A-Za-z0-9._-]{1,100}))?#([1-9]\d{0,9})(?![\w-]))/g;

/** "and", "or", other references and list punctuation may stand between a phrase and a key. */
const LIST_TAIL =
  /(?:[\s,:&*+()[\]<>`"'-]|\band\b|\bor\b|(?:[A-Za-z0-9-]+\/[A-Za-z0-9._-]+)?#\d+|https?:\/\/\S+)*$/i;
const REFERENCE_PHRASE = /\b(?:refs?|references|see|towards|related to|relates to|part of)$/i;

/**
 * @example
 * scanGitHubRefs("Closes #12, refs acme/api#3", "acme/web")
 * // → [{ key: "acme/web#12", role: "moving" }, { key: "acme/api#3", role: "reference" }]
 */
export function scanGitHubRefs(text: string, repo: string): KeyHit[] {
  const hits: KeyHit[] = [];
  for (const match of text.matchAll(REF)) {
    const owner = match[1] ?? match[4];
    const name = match[2] ?? match[5];
    const number = match[3] ?? match[6];
    const where = owner && name ? `${owner}/${name}` : repo;
    const before = text.slice(Math.max(0, match.index - LOOK_BACK), match.index);
    const phrase = before.replace(LIST_TAIL, "");
    hits.push({
      key: `${where.toLowerCase()}#${number}`,
      role: REFERENCE_PHRASE.test(phrase) ? "reference" : "moving",
    });
  }
  return hits;
}

/**
 * `acme/web#12` as a key (lower case), or null when `text` is not one.
 *
 * @example
 * githubIssueKey("Acme/Web#12") // "acme/web#12"
 */
export function githubIssueKey(text: string): string | null {
  const match = /^([A-Za-z0-9][A-Za-z0-9-]*)\/([A-Za-z0-9._-]+)#([1-9]\d{0,9})$/.exec(text.trim());
  return match ? `${match[1]}/${match[2]}#${match[3]}`.toLowerCase() : null;
}

/**
 * The issue of a branch named as GitHub names one made from an issue ("Create a branch" on
 * issue #12 suggests `12-login-form`), under a folder or not; moving, in `repo`.
 *
 * @example
 * githubBranchIssue("feature/12-login-form", "acme/web") // → [{ key: "acme/web#12", role: "moving" }]
 * githubBranchIssue("release-2024", "acme/web") // → []
 */
export function githubBranchIssue(branch: string, repo: string): KeyHit[] {
  const match = /(?:^|\/)([1-9]\d{0,9})-[^/]*$/.exec(branch);
  return match ? [{ key: `${repo.toLowerCase()}#${match[1]}`, role: "moving" }] : [];
}
