/**
 * The scanner's characters and words: character classes read by code (no regular
 * expressions), the role words ("refs", "part of", …), Redmine's commit keywords, and the
 * key and issue-number grammar. `scan-keys.ts` walks the text with them.
 */
import type { ScanSettings } from "./scan-keys.js";

/** Issue numbers longer than this are not issue numbers (and would make absurd API paths). */
export const MAX_NUMBER_DIGITS = 10;

// What a word means for roles (see classifyWord). Words are compared in place by character
// code: slicing and lower-casing every word of the text was half of the scanner's time.
export const OTHER = 0;
/** "refs", "ref", "references", "see", "towards": the next key is a reference. */
export const SINGLE = 1;
/** "and", "or": continue a list. */
export const LIST = 2;
/** "related", "relates": a reference phrase once "to" follows. */
export const WANTS_TO = 3;
/** "part": a reference phrase once "of" follows. */
export const WANTS_OF = 4;
export const TO = 5;
export const OF = 6;

export const NEWLINE = 10;
export const HASH = 35;
export const HYPHEN = 45;
export const DOT = 46;
export const UNDERSCORE = 95;
export const RIGHT_BRACKET = 93;
export const LEFT_PAREN = 40;
export const COLON = 58;

/**
 * Stands for "past the end of the text". `charCodeAt` there gives `NaN`, and each new place
 * that did so made V8 throw the scanner's optimized code away (out-of-bounds and not-a-Smi
 * deopts) and compile it again, pass after pass over a corpus. So every read that may pass
 * the end is guarded, here or in charAt.
 */
export const END = -1;

export const charAt = (text: string, i: number) =>
  i >= 0 && i < text.length ? text.charCodeAt(i) : END;

export const isDigit = (c: number) => c >= 48 && c <= 57;
export const isLower = (c: number) => c >= 97 && c <= 122;
export const isLetter = (c: number) => (c >= 65 && c <= 90) || isLower(c);
export const isAlnum = (c: number) => isLetter(c) || isDigit(c);
export const isWordChar = (c: number) => isAlnum(c) || c === UNDERSCORE;
export const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13) || c === 0xa0;
/** `& * + - / : , # ( ) [ ] < > \` " '`: may sit between the keys of one list. */
export const isListPunctuation = (c: number) =>
  c === 38 || // &
  c === 42 || // *
  c === 43 || // +
  c === 45 || // -
  c === 47 || // /
  c === 58 || // :
  c === 44 || // ,
  c === 35 || // #
  c === 40 || // (
  c === 41 || // )
  c === 91 || // [
  c === 93 || // ]
  c === 60 || // <
  c === 62 || // >
  c === 96 || // `
  c === 34 || // "
  c === 39; // '
/** `< > ( ) [ ] " '`: end a URL. */
export const isUrlEnd = (c: number) =>
  c === 60 || c === 62 || c === 40 || c === 41 || c === 91 || c === 93 || c === 34 || c === 39;

export const isNonZeroDigit = (c: number) => c >= 49 && c <= 57;

export const REDMINE_REF = 1;
export const REDMINE_FIX = 2;

/** Redmine's default commit keywords: refs, references, IssueID (referencing); fixes, closes. */
export function redmineKeyword(text: string, start: number, end: number): number {
  switch (end - start) {
    case 4:
      return isWord(text, start, "refs") ? REDMINE_REF : OTHER;
    case 5:
      return isWord(text, start, "fixes") ? REDMINE_FIX : OTHER;
    case 6:
      return isWord(text, start, "closes") ? REDMINE_FIX : OTHER;
    case 7:
      return isWord(text, start, "issueid") ? REDMINE_REF : OTHER;
    case 10:
      return isWord(text, start, "references") ? REDMINE_REF : OTHER;
    default:
      return OTHER;
  }
}

/**
 * The role-word `text[start, end)` is, in any case. Only a word whose length and first
 * letter fit one of the phrase words is compared further, letter by letter.
 */
export function classifyWord(text: string, start: number, end: number): number {
  const length = end - start;
  if (length < 2 || length > 10) return OTHER;
  // `| 32` lower-cases a Latin letter and maps no digit or `_` onto one.
  switch (text.charCodeAt(start) | 32) {
    case 97: // a
      return length === 3 && isWord(text, start, "and") ? LIST : OTHER;
    case 111: // o
      if (length !== 2) return OTHER;
      if (isWord(text, start, "or")) return LIST;
      return isWord(text, start, "of") ? OF : OTHER;
    case 112: // p
      return length === 4 && isWord(text, start, "part") ? WANTS_OF : OTHER;
    case 114: // r
      if (length === 3) return isWord(text, start, "ref") ? SINGLE : OTHER;
      if (length === 4) return isWord(text, start, "refs") ? SINGLE : OTHER;
      if (length === 10) return isWord(text, start, "references") ? SINGLE : OTHER;
      if (length !== 7) return OTHER;
      return isWord(text, start, "related") || isWord(text, start, "relates") ? WANTS_TO : OTHER;
    case 115: // s
      return length === 3 && isWord(text, start, "see") ? SINGLE : OTHER;
    case 116: // t
      if (length === 2) return isWord(text, start, "to") ? TO : OTHER;
      return length === 7 && isWord(text, start, "towards") ? SINGLE : OTHER;
    default:
      return OTHER;
  }
}

/** Whether `text` at `start` spells the lower-case `word` in any case (for words already cut). */
export function isWord(text: string, start: number, word: string): boolean {
  for (let k = 0; k < word.length; k++) {
    if ((text.charCodeAt(start + k) | 32) !== word.charCodeAt(k)) return false;
  }
  return true;
}

/**
 * The end of the key whose PROJECT is `text[start, wordEnd)`, or -1 when there is none.
 * `wordEnd` is the first character after the word.
 */
export function matchKey(
  text: string,
  start: number,
  wordEnd: number,
  settings: ScanSettings,
): number {
  if (wordEnd - start < 2 || !isLetter(text.charCodeAt(start))) return -1;
  const n = text.length;
  const separator = charAt(text, wordEnd);
  if (wordEnd + 1 >= n) return -1;
  if (separator !== HYPHEN && !(separator === HASH && settings.numeric)) return -1;
  const end = matchNumber(text, wordEnd + 1, settings);
  if (end === -1) return -1;
  if (!settings.anyCase) {
    for (let i = start; i < wordEnd; i++) if (isLower(text.charCodeAt(i))) return -1;
  }
  return end;
}

/**
 * The end of the issue number starting at `from`, or -1: 1–9 then digits, at most
 * {@link MAX_NUMBER_DIGITS}, and no letter or version tail after it.
 */
export function matchNumber(text: string, from: number, settings: ScanSettings): number {
  const n = text.length;
  if (!isNonZeroDigit(charAt(text, from))) return -1; // 1–9: no leading zero
  let end = from + 1;
  while (end < n && isDigit(text.charCodeAt(end))) end++;
  if (end - from > MAX_NUMBER_DIGITS) return -1;
  // At a cut (END), the unread rest could have continued the number or made it a version.
  const after = charAt(text, end);
  if (after === DOT) {
    const next = charAt(text, end + 1);
    if (next === END && settings.truncated) return -1;
    if (isAlnum(next)) return -1; // node-20.x, lodash-4.17.21
  } else if (after === END) {
    if (settings.truncated) return -1;
  } else if (isLetter(after)) {
    return -1;
  }
  return end;
}
