/**
 * Inline code spans on one line, for the Markdown masker: a run of N backticks opens a span
 * that the next run of exactly N backticks on the same line closes. Finding every run's
 * closer takes one right-to-left pass with a table indexed by run length, in typed arrays
 * reused from line to line, so a line full of unmatched or mixed runs (`` ` `` ``` ` …)
 * costs time linear in its length and allocates nothing per run.
 */

const BACKTICK = 96;
const NONE = -1;

export class CodeSpans {
  /** The line the runs below were read from (its end), and where reading started. */
  private lineEnd = NONE;
  private builtFrom = NONE;
  /** Run r starts at starts[r], is lengths[r] long, and closers[r] is the run closing it. */
  private starts = new Int32Array(16);
  private lengths = new Int32Array(16);
  private closers = new Int32Array(16);
  /** During a build: the nearest run to the right having each length; NONE elsewhere. */
  private nextOfLength = new Int32Array(16).fill(NONE);
  /** The run the reader is at: positions asked about only grow along a line. */
  private at = 0;

  /**
   * Where reading resumes after the backtick run starting at `tick`: after its closing run
   * when the line `[…, lineEnd)` has one, else just after the run itself.
   */
  skip(text: string, tick: number, lineEnd: number, work: { steps: number }): number {
    if (lineEnd !== this.lineEnd || tick < this.builtFrom) this.build(text, tick, lineEnd, work);
    while (this.starts[this.at]! < tick) this.at++;
    const run = this.at;
    const length = this.lengths[run]!;
    const closer = this.closers[run]!;
    if (closer === NONE) {
      this.at = run + 1;
      return tick + length;
    }
    this.at = closer + 1;
    return this.starts[closer]! + length;
  }

  /** Reads the runs of `[from, lineEnd)` (`from` starts a run) and pairs each with its closer. */
  private build(text: string, from: number, lineEnd: number, work: { steps: number }): void {
    this.lineEnd = lineEnd;
    this.builtFrom = from;
    this.at = 0;
    let count = 0;
    let i = from;
    while (i < lineEnd) {
      if (text.charCodeAt(i) !== BACKTICK) {
        i++;
        continue;
      }
      const start = i;
      while (i < lineEnd && text.charCodeAt(i) === BACKTICK) i++;
      if (count === this.starts.length) this.growRuns();
      this.starts[count] = start;
      this.lengths[count] = i - start;
      count++;
    }
    work.steps += lineEnd - from;

    for (let r = count - 1; r >= 0; r--) {
      const length = this.lengths[r]!;
      if (length >= this.nextOfLength.length) this.growLengths(length);
      this.closers[r] = this.nextOfLength[length]!;
      this.nextOfLength[length] = r;
    }
    // Reset only the entries used, so a line costs its own length, not the longest run seen.
    for (let r = 0; r < count; r++) this.nextOfLength[this.lengths[r]!] = NONE;
    work.steps += 2 * count;
  }

  private growRuns(): void {
    const size = this.starts.length * 2;
    const grow = (old: Int32Array) => {
      const next = new Int32Array(size);
      next.set(old);
      return next;
    };
    this.starts = grow(this.starts);
    this.lengths = grow(this.lengths);
    this.closers = grow(this.closers);
  }

  private growLengths(length: number): void {
    let size = this.nextOfLength.length;
    while (size <= length) size *= 2;
    const next = new Int32Array(size).fill(NONE);
    next.set(this.nextOfLength);
    this.nextOfLength = next;
  }
}
