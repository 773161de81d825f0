/**
 * The key scanner: one left-to-right pass over the text with a few variables of state and
 * no regular expressions, so it is linear on any input (`A-A-A-…`, megabytes of digits,
 * `refs refs refs…`). Stretches where no key can start are skipped with `indexOf("-")`; the
 * scan resumes a few words before the next possible key (see settledFrom), and no character
 * is walked more than once each way. `extract-keys.ts` is the public face; this file only
 * knows characters.
 *
 * Grammar (ASCII only; "Latin letter" means A–Z/a–z):
 * - A *word* is a maximal run of Latin letters, digits and `_`. Leading underscores are
 *   Markdown emphasis (`_PROJ-1_`) and are dropped; the rest of the word is the PROJECT,
 *   which must start with a Latin letter and be at least 2 characters. Because the word is
 *   maximal, `JSP_JIR-123` yields `JSP_JIR-123` and never `JIR-123`, and `1_PROJ-1` or
 *   `xPROJ-1` yield nothing.
 * - Then `-` and a NUMBER: a digit 1–9, then digits, at most {@link MAX_NUMBER_DIGITS}.
 * - After the number: not a Latin letter (`PROJ-12abc` is no key), and not `.` followed by
 *   a letter or digit (`lodash-4.17.21`, `PROJ-12.5` are versions). `_` may follow
 *   (`proj-12_login`), as may `.` at a sentence end.
 * - Anything else around a key is a boundary, including non-Latin letters: in `ЖPROJ-1`
 *   the `Ж` is not a Latin letter or digit, so `PROJ-1` counts.
 *
 * Roles: after a referencing phrase ("refs", "see", "part of", …) the next key is a
 * reference, and so is every key that follows it in a list joined only by spaces, single
 * newlines, `and`/`or` and list punctuation (`, : # & * + - / ( ) [ ] < > \` " '`). Any
 * other word or punctuation (`.`, `;`, `!`, …) or a blank line ends the list. URLs and
 * Markdown link destinations are transparent: `refs [PROJ-1](https://t/browse/PROJ-1)`
 * keeps both occurrences a reference.
 */

import {
  COLON,
  charAt,
  classifyWord,
  HASH,
  isListPunctuation,
  isNonZeroDigit,
  isSpace,
  isUrlEnd,
  isWordChar,
  LEFT_PAREN,
  LIST,
  matchKey,
  matchNumber,
  NEWLINE,
  OF,
  OTHER,
  REDMINE_FIX,
  RIGHT_BRACKET,
  redmineKeyword,
  SINGLE,
  TO,
  UNDERSCORE,
  WANTS_OF,
  WANTS_TO,
} from "./scan-chars.js";
import type { KeyRole } from "./types.js";

export { MAX_NUMBER_DIGITS } from "./scan-chars.js";

export interface ScanSettings {
  /** Branch names match in any case; text needs an upper-case PROJECT unless ignoreCase. */
  anyCase: boolean;
  /** The text was cut short: a key touching the cut may be the prefix of a longer one. */
  truncated: boolean;
  /** Decides on the upper-cased PROJECT (allow-list or deny-list). */
  accepts: (project: string) => boolean;
  /** The connection numbers its tickets: `PREFIX#N` is `PREFIX-N`; `keywords`: `refs #N`, `fixes #N`. */
  numeric?: { prefix: string; keywords: boolean };
}

export interface KeyHit {
  key: string;
  role: KeyRole;
  /** Read from a Redmine keyword and a bare number (`fixes #12`): the check run says so. */
  keyword?: string;
}

/** Fewer characters than this before the next possible key are walked, not skipped. */
const MIN_SKIP = 64;
/** After this many possible keys in a row each within MIN_SKIP, walk MIN_SKIP before searching. */
const CLOSE_RUN = 4;

/**
 * Counts the characters read one by one before each possible key (the walk back and the walk
 * forward from where it stopped), so tests can check linearity without timing.
 */
export interface ScanWork {
  steps: number;
}

/**
 * Every key occurrence in `text`, in order, with its role (duplicates kept). `work`, when
 * given, counts the characters read one by one (see {@link ScanWork}).
 *
 * @example
 * scanKeys("PROJ-1, refs OPS-2", { anyCase: false, truncated: false, accepts: () => true });
 * // → [{ key: "PROJ-1", role: "moving" }, { key: "OPS-2", role: "reference" }]
 */
export function scanKeys(text: string, settings: ScanSettings, work?: ScanWork): KeyHit[] {
  const hits: KeyHit[] = [];
  const n = text.length;
  let armed = false; // the next key continues a "refs …" list
  let newlines = 0; // newlines since the last visible character; two make a blank line
  let awaited = OTHER; // the second word ("to", "of") a two-word phrase waits for
  let inUrl = false; // inside a URL or link destination: roles neither start nor end
  // A key needs a word character, `-` and 1–9 in a row. Until the next such place only the
  // state it will be read in matters, and that is set by the last words before it (see
  // settledFrom): the text in between is skipped by a native search instead of walked.
  let candidate = -1; // the hyphen of the next place a key may be
  let searchAt = 0; // where keys were close together, walk on to here before searching again
  let close = 0; // possible keys in a row found close together
  const hashes = { at: -1 }; // the next `#` a numeric key may use (see nextCandidate)
  let keyword = OTHER; // the last word was a Redmine keyword (REDMINE_REF, REDMINE_FIX), then spaces
  let keywordAt = -1;
  let i = 0;
  while (i < n) {
    if (i > candidate && i >= searchAt) {
      candidate = nextCandidate(text, i, settings.numeric ? hashes : undefined);
      if (candidate === -1) break;
      if (candidate - i > MIN_SKIP) {
        close = 0;
        const from = settledFrom(text, i, candidate - 1);
        if (work) work.steps += candidate - from; // the walk back, and the walk forward to come
        if (from > i) {
          i = from;
          inUrl = false; // the rest of the state is set by the word at `from`
        }
      } else if (++close >= CLOSE_RUN) {
        // Keys close together (`AB-1x` over and over): a skip would save little, and a
        // search per key would cost more than walking.
        if (work) work.steps += candidate + MIN_SKIP - i;
        searchAt = candidate + MIN_SKIP;
        close = 0;
      } else if (work) {
        work.steps += candidate - i;
      }
    }
    const c = text.charCodeAt(i);
    if (c === HASH && keyword !== OTHER && keywordAt !== -1 && settings.numeric) {
      const end = matchNumber(text, i + 1, settings);
      if (end !== -1) {
        const key = `${settings.numeric.prefix}-${text.slice(i + 1, end)}`;
        const role = keyword === REDMINE_FIX ? "moving" : "reference";
        hits.push({
          key,
          role,
          keyword: `${text.slice(keywordAt, i).trim()} #${key.slice(key.indexOf("-") + 1)}`,
        });
        keyword = OTHER;
        armed = false;
        awaited = OTHER;
        newlines = 0;
        i = end;
        continue;
      }
    }
    if (!isWordChar(c)) {
      if (!isSpace(c)) keyword = OTHER;
      if (inUrl && !isSpace(c) && !isUrlEnd(c)) {
        i++;
        continue;
      }
      inUrl = false;
      if (isSpace(c)) {
        if (c === NEWLINE && ++newlines >= 2) armed = false;
        i++;
        continue;
      }
      newlines = 0;
      awaited = OTHER;
      if (c === RIGHT_BRACKET && i + 1 < n && text.charCodeAt(i + 1) === LEFT_PAREN) {
        inUrl = true;
        i += 2;
        continue;
      }
      if (!isListPunctuation(c)) armed = false;
      i++;
      continue;
    }

    let wordEnd = i + 1;
    while (wordEnd < n && isWordChar(text.charCodeAt(wordEnd))) wordEnd++;
    let projectStart = i;
    while (projectStart < wordEnd && text.charCodeAt(projectStart) === UNDERSCORE) projectStart++;
    newlines = 0;

    keyword = OTHER;
    const keyEnd = matchKey(text, projectStart, wordEnd, settings);
    if (keyEnd !== -1) {
      const project = text.slice(projectStart, wordEnd).toUpperCase();
      // `PREFIX#N` is a key of the numeric connection only; `OTHER#N` is no key at all.
      const hashed = text.charCodeAt(wordEnd) === HASH;
      if (settings.accepts(project) && (!hashed || project === settings.numeric?.prefix)) {
        const key = `${project}-${text.slice(wordEnd + 1, keyEnd)}`;
        hits.push({ key, role: armed ? "reference" : "moving" });
      }
      // A key, even one the allow/deny list drops, continues a list and starts none.
      awaited = OTHER;
      i = keyEnd;
      continue;
    }

    if (wordEnd < n && text.charCodeAt(wordEnd) === COLON && text.startsWith("://", wordEnd)) {
      inUrl = true;
      i = wordEnd + 3;
      continue;
    }
    if (!inUrl && settings.numeric?.keywords) {
      keyword = redmineKeyword(text, i, wordEnd);
      keywordAt = i;
    }
    if (!inUrl) {
      const word = classifyWord(text, i, wordEnd);
      if (awaited !== OTHER && word === awaited) {
        armed = true;
        awaited = OTHER;
      } else if (word === SINGLE) {
        armed = true;
        awaited = OTHER;
      } else if (word === LIST) {
        awaited = OTHER;
      } else {
        armed = false;
        awaited = word === WANTS_TO ? TO : word === WANTS_OF ? OF : OTHER;
      }
    }
    i = wordEnd;
  }
  return hits;
}

/**
 * The first hyphen after `from` with a word character before it and 1–9 after it, or -1.
 * `indexOf` finds hyphens at native speed; most are then a glance away from rejected. With
 * `hashes` (a numeric connection), a `#` before 1–9 is a candidate too (`RM#12`, `refs #12`);
 * `hashes.at` keeps the next one found, so no text is searched twice for it.
 */
function nextCandidate(text: string, from: number, hashes?: { at: number }): number {
  const last = text.length - 1;
  let hyphen = text.indexOf("-", from + 1);
  while (hyphen !== -1 && hyphen < last) {
    const next = text.charCodeAt(hyphen + 1);
    if (next >= 49 && next <= 57 && isWordChar(text.charCodeAt(hyphen - 1))) break;
    hyphen = text.indexOf("-", hyphen + 1);
  }
  if (hyphen >= last) hyphen = -1;
  if (!hashes) return hyphen;
  if (hashes.at !== -2 && hashes.at <= from) {
    let hash = text.indexOf("#", from + 1);
    while (hash !== -1 && hash < last && !isNonZeroDigit(text.charCodeAt(hash + 1))) {
      hash = text.indexOf("#", hash + 1);
    }
    // -2: no `#` before a number is left in the text.
    hashes.at = hash === -1 || hash >= last ? -2 : hash;
  }
  if (hashes.at < 0) return hyphen;
  return hyphen === -1 ? hashes.at : Math.min(hyphen, hashes.at);
}

/**
 * The start of the last word before the one at `last` that sets the scanner's state whatever
 * the state was: a word after a space or a URL end (so not inside a URL), which is neither a
 * key nor a URL's scheme nor a word whose meaning depends on the one before ("and", "or",
 * "to", "of"). Scanning from there gives the same roles as scanning from `from`. Answers
 * `from` when there is none after it, so the walk back never passes where the scan stands.
 * The caller ensures no key can start in `[from, last)`.
 */
function settledFrom(text: string, from: number, last: number): number {
  let start = last;
  while (start > from && isWordChar(text.charCodeAt(start - 1))) start--;
  for (;;) {
    let end = start;
    while (end > from && !isWordChar(text.charCodeAt(end - 1))) end--;
    start = end;
    while (start > from && isWordChar(text.charCodeAt(start - 1))) start--;
    if (start <= from) return from;
    const before = text.charCodeAt(start - 1);
    const outsideUrl =
      isSpace(before) ||
      (isUrlEnd(before) && !(before === LEFT_PAREN && charAt(text, start - 2) === RIGHT_BRACKET));
    if (outsideUrl && !text.startsWith("://", end)) {
      const word = classifyWord(text, start, end);
      if (word !== LIST && word !== TO && word !== OF) return start;
    }
  }
}
