/**
 * Blanks the parts of a Markdown text where a key-shaped string does not mean "this PR is
 * about that issue": fenced code blocks (logs, stack traces, lockfile diffs), block-quote
 * lines (someone else's words) and HTML comments (PR-template instructions such as
 * `<!-- write PROJ-123 here -->`). Inline code still counts: people write `PROJ-1` in
 * backticks on purpose.
 *
 * Blanked characters become spaces and newlines stay, so the scanner still sees word and
 * line boundaries. No regular expressions, and every search only moves forward (see
 * {@link NextIndex}), so the work is linear in the input whatever it contains. The text is
 * walked on indices; the masked copy is built once at the end, and not at all when nothing
 * is blanked.
 *
 * Deliberate simplifications of CommonMark: fences and quotes nested in list items indented
 * by 4+ spaces are not recognised; a quote line is blanked whole (a `<!--` on it opens
 * nothing); code spans are recognised within one line only (so `` `<!--` `` opens no
 * comment); indented (4-space) code blocks are read as text.
 */

import { CodeSpans } from "./code-spans.js";

const BACKTICK = 96;
const TILDE = 126;
const SPACE = 32;
const TAB = 9;
const CR = 13;
const GT = 62;
const NEWLINE = 10;

/** Counts the steps the masker takes, so tests can check linearity without timing. */
export interface MaskWork {
  steps: number;
}

/**
 * Returns `text` with fenced code, block-quote lines and HTML comments replaced by spaces.
 * `work`, when given, is incremented for every line and character the masker examines.
 *
 * @example
 * maskIgnoredMarkdown("PROJ-1\n> PROJ-2\n<!-- PROJ-3 -->");
 * // → "PROJ-1\n        \n               "
 */
export function maskIgnoredMarkdown(text: string, work?: MaskWork): string {
  // Nothing to blank without a fence, a `>` or a comment opener: the common case for titles,
  // commit messages and short comments, answered by native searches.
  if (
    !text.includes("```") &&
    !text.includes("~~~") &&
    !text.includes(">") &&
    !text.includes("<!--")
  ) {
    return text;
  }
  const masker = new Masker(text, work);
  masker.run();
  return masker.output();
}

/**
 * The first index of `needle` at or after a position, remembered: positions asked about
 * only grow, so the native search runs again only after passing the last answer and the
 * searches together read the text once. Answers `text.length` when there is none.
 */
class NextIndex {
  private found = -1;
  constructor(
    private readonly text: string,
    private readonly needle: string,
  ) {}

  from(position: number): number {
    if (this.found < position && this.found !== this.text.length) {
      const at = this.text.indexOf(this.needle, position);
      this.found = at === -1 ? this.text.length : at;
    }
    return this.found;
  }
}

class Masker {
  private readonly n: number;
  /** Ranges to blank as [from, to) pairs, in order; newlines inside them are kept. */
  private readonly blanks: number[] = [];
  private readonly backticks: NextIndex;
  /** Its own cursor: the fence check reads ahead of where inline reading resumes. */
  private readonly infoBackticks: NextIndex;
  private readonly commentOpens: NextIndex;
  private readonly commentCloses: NextIndex;
  private readonly spans = new CodeSpans();
  private readonly work: MaskWork;

  constructor(
    private readonly text: string,
    work: MaskWork | undefined,
  ) {
    this.n = text.length;
    this.backticks = new NextIndex(text, "`");
    this.infoBackticks = new NextIndex(text, "`");
    this.commentOpens = new NextIndex(text, "<!--");
    this.commentCloses = new NextIndex(text, "-->");
    this.work = work ?? { steps: 0 };
  }

  run(): void {
    const { text, n } = this;
    let start = 0;
    while (start <= n) {
      this.work.steps++;
      const end = this.lineEnd(start);
      const indent = this.indentOf(start, end);
      // An empty last line would read past the end: see scan-keys' charAt.
      const first = indent === -1 || start + indent === end ? -1 : text.charCodeAt(start + indent);
      if (first === BACKTICK || first === TILDE) {
        const length = this.runLength(start + indent, end, first);
        // A backtick fence's info string may not contain a backtick (that is inline code).
        if (
          length >= 3 &&
          (first === TILDE || this.infoBackticks.from(start + indent + length) >= end)
        ) {
          start = this.skipFence(start, end, first, length);
          continue;
        }
      } else if (first === GT) {
        this.blank(start, end);
        start = end + 1;
        continue;
      }
      start = this.maskInline(start, end) + 1;
    }
  }

  /** `text` with the ranges blanked, built in one go. */
  output(): string {
    const { blanks, text } = this;
    if (blanks.length === 0) return text;
    const pieces: string[] = [];
    let decoder: TextDecoder | undefined;
    let last = 0;
    for (let b = 0; b < blanks.length; b += 2) {
      const from = blanks[b]!;
      const to = blanks[b + 1]!;
      pieces.push(text.slice(last, from));
      let newline = text.indexOf("\n", from);
      if (newline === -1 || newline >= to) {
        pieces.push(" ".repeat(to - from));
      } else {
        // Many blanked lines (a long fence, a run of quotes): spaces and newlines as ASCII
        // bytes, decoded once, instead of a string per line.
        const bytes = new Uint8Array(to - from).fill(SPACE);
        while (newline !== -1 && newline < to) {
          bytes[newline - from] = NEWLINE;
          newline = text.indexOf("\n", newline + 1);
        }
        decoder ??= new TextDecoder();
        pieces.push(decoder.decode(bytes));
      }
      last = to;
    }
    pieces.push(text.slice(last));
    return pieces.join("");
  }

  private lineEnd(start: number): number {
    const newline = this.text.indexOf("\n", start);
    return newline === -1 ? this.n : newline;
  }

  private blank(from: number, to: number): void {
    const { blanks } = this;
    // Join ranges that only a newline separates (quote lines, fence lines) to keep few pieces.
    const last = blanks.length - 1;
    const joins =
      last > 0 &&
      (blanks[last] === from ||
        (blanks[last] === from - 1 && this.text.charCodeAt(from - 1) === NEWLINE));
    if (joins) blanks[last] = to;
    else blanks.push(from, to);
  }

  /** Up to three leading spaces, as CommonMark allows before a fence or a `>`; -1 for more. */
  private indentOf(start: number, end: number): number {
    let i = start;
    while (i < end && this.text.charCodeAt(i) === SPACE) {
      i++;
      if (i - start > 3) return -1;
    }
    this.work.steps += i - start;
    return i - start;
  }

  private runLength(from: number, end: number, char: number): number {
    let i = from;
    while (i < end && this.text.charCodeAt(i) === char) i++;
    this.work.steps += i - from;
    return i - from;
  }

  /**
   * Blanks a fenced block whose opening line is `[start, end)`, up to and including its
   * closing line (or the end of the text). Returns where the next line starts.
   */
  private skipFence(start: number, end: number, char: number, length: number): number {
    let lineEnd = end;
    while (lineEnd < this.n) {
      const lineStart = lineEnd + 1;
      lineEnd = this.lineEnd(lineStart);
      this.work.steps++;
      if (this.closesFence(lineStart, lineEnd, char, length)) break;
    }
    this.blank(start, lineEnd);
    return lineEnd + 1;
  }

  private closesFence(start: number, end: number, char: number, length: number): boolean {
    const indent = this.indentOf(start, end);
    if (indent === -1) return false;
    const run = this.runLength(start + indent, end, char);
    if (run < length) return false;
    for (let i = start + indent + run; i < end; i++) {
      this.work.steps++;
      const c = this.text.charCodeAt(i);
      if (c !== SPACE && c !== TAB && c !== CR) return false;
    }
    return true;
  }

  /**
   * Blanks HTML comments from `start` on, skipping over code spans. A comment may run over
   * several lines; returns the end of the line where the reading stopped.
   */
  private maskInline(start: number, end: number): number {
    let lineEnd = end;
    let i = start;
    for (;;) {
      this.work.steps++;
      const open = this.commentOpens.from(i);
      // Code spans only matter for hiding a `<!--`: with none left on the line, nothing to do.
      if (open >= lineEnd) return lineEnd;
      const tick = this.backticks.from(i);
      if (tick < open) {
        i = this.spans.skip(this.text, tick, lineEnd, this.work);
        continue;
      }
      // `<!-->` and `<!--->` are complete comments in CommonMark 0.31, hence `open + 2`.
      const close = this.commentCloses.from(open + 2);
      if (close === this.n) {
        this.blank(open, this.n);
        return this.n;
      }
      this.blank(open, close + 3);
      i = close + 3;
      // The comment ran over lines: the rest of its last line is read as inline text.
      if (close > lineEnd) lineEnd = this.lineEnd(i);
    }
  }
}
