/**
 * Blanks the parts of a Markdown text where a key-shaped string does not mean "this PR is
 * about that issue": fenced code blocks (logs, stack traces, lockfile diffs), block-quote
 * lines (someone else's words) and HTML comments (PR-template instructions such as
 * `<!-- write PROJ-123 here -->`). Inline code still counts: people write `PROJ-1` in
 * backticks on purpose.
 *
 * Blanked characters become spaces and newlines stay, so the scanner still sees word and
 * line boundaries. One pass over the text, no regular expressions, so the work is linear
 * in the input whatever it contains.
 *
 * Deliberate simplifications of CommonMark: fences and quotes nested in list items indented
 * by 4+ spaces are not recognised; a quote line is blanked whole (a `<!--` on it opens
 * nothing); code spans are recognised within one line only (so `` `<!--` `` opens no
 * comment); indented (4-space) code blocks are read as text.
 */

const BACKTICK = 96;
const TILDE = 126;
const SPACE = 32;
const TAB = 9;
const CR = 13;
const GT = 62;
const LT = 60;

interface Fence {
  char: number;
  length: number;
}

/**
 * Returns `text` with fenced code, block-quote lines and HTML comments replaced by spaces.
 *
 * @example
 * maskIgnoredMarkdown("PROJ-1\n> PROJ-2\n<!-- PROJ-3 -->");
 * // → "PROJ-1\n        \n               "
 */
export function maskIgnoredMarkdown(text: string): string {
  const out: string[] = [];
  let fence: Fence | null = null;
  let inComment = false;
  let start = 0;
  for (;;) {
    const newline = text.indexOf("\n", start);
    const line = text.slice(start, newline === -1 ? text.length : newline);
    if (inComment) {
      const close = line.indexOf("-->");
      if (close === -1) {
        out.push(blank(line.length));
      } else {
        out.push(blank(close + 3));
        const rest = maskInline(line.slice(close + 3));
        out.push(rest.text);
        inComment = rest.openComment;
      }
    } else if (fence) {
      if (closesFence(line, fence)) fence = null;
      out.push(blank(line.length));
    } else {
      const opened = opensFence(line);
      if (opened) {
        fence = opened;
        out.push(blank(line.length));
      } else if (isBlockQuote(line)) {
        out.push(blank(line.length));
      } else {
        const masked = maskInline(line);
        out.push(masked.text);
        inComment = masked.openComment;
      }
    }
    if (newline === -1) break;
    out.push("\n");
    start = newline + 1;
  }
  return out.join("");
}

function blank(length: number): string {
  return " ".repeat(length);
}

/** Up to three leading spaces, as CommonMark allows before a fence or a `>`; -1 for more. */
function indentOf(line: string): number {
  let i = 0;
  while (i < line.length && line.charCodeAt(i) === SPACE) {
    i++;
    if (i > 3) return -1;
  }
  return i;
}

function runLength(line: string, from: number, char: number): number {
  let end = from;
  while (end < line.length && line.charCodeAt(end) === char) end++;
  return end - from;
}

function opensFence(line: string): Fence | null {
  const indent = indentOf(line);
  if (indent === -1) return null;
  const char = line.charCodeAt(indent);
  if (char !== BACKTICK && char !== TILDE) return null;
  const length = runLength(line, indent, char);
  if (length < 3) return null;
  // A backtick fence's info string may not contain a backtick (that is inline code).
  if (char === BACKTICK && line.indexOf("`", indent + length) !== -1) return null;
  return { char, length };
}

function closesFence(line: string, fence: Fence): boolean {
  const indent = indentOf(line);
  if (indent === -1) return false;
  const length = runLength(line, indent, fence.char);
  if (length < fence.length) return false;
  for (let i = indent + length; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c !== SPACE && c !== TAB && c !== CR) return false;
  }
  return true;
}

function isBlockQuote(line: string): boolean {
  const indent = indentOf(line);
  return indent !== -1 && line.charCodeAt(indent) === GT;
}

/**
 * Blanks HTML comments on one line, skipping over code spans. Returns whether a comment
 * is still open at the end of the line.
 */
function maskInline(line: string): { text: string; openComment: boolean } {
  const closing = codeSpanClosers(line);
  const pieces: string[] = [];
  let last = 0;
  let i = 0;
  while (i < line.length) {
    const c = line.charCodeAt(i);
    if (c === BACKTICK) {
      const run = runLength(line, i, BACKTICK);
      const closer = closing.get(i);
      i = closer === undefined ? i + run : closer + run;
      continue;
    }
    if (c === LT && line.startsWith("<!--", i)) {
      pieces.push(line.slice(last, i));
      // `<!-->` and `<!--->` are complete comments in CommonMark 0.31, hence `i + 2`.
      const close = line.indexOf("-->", i + 2);
      if (close === -1) {
        pieces.push(blank(line.length - i));
        return { text: pieces.join(""), openComment: true };
      }
      pieces.push(blank(close + 3 - i));
      i = last = close + 3;
      continue;
    }
    i++;
  }
  pieces.push(line.slice(last));
  return { text: pieces.join(""), openComment: false };
}

/**
 * Maps the start of every backtick run to the start of the next run of the same length
 * (the code span's closer). Built right to left in one pass, so finding closers stays
 * linear even for lines full of unmatched runs.
 */
function codeSpanClosers(line: string): Map<number, number> {
  const starts: number[] = [];
  const lengths: number[] = [];
  let i = line.indexOf("`");
  while (i !== -1) {
    const run = runLength(line, i, BACKTICK);
    starts.push(i);
    lengths.push(run);
    i = line.indexOf("`", i + run);
  }
  const closers = new Map<number, number>();
  const nextOfLength = new Map<number, number>();
  for (let r = starts.length - 1; r >= 0; r--) {
    const start = starts[r]!;
    const length = lengths[r]!;
    const next = nextOfLength.get(length);
    if (next !== undefined) closers.set(start, next);
    nextOfLength.set(length, start);
  }
  return closers;
}
