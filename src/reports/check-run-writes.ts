/**
 * Coalesces check-run writes per commit. The first write for a commit goes out at once; a
 * request while that write is in flight, or within `windowMs` after it, waits for one
 * trailing write that every request meanwhile joins. The write reads the commit's reports
 * from the store when it starts, so each caller's results (stored before it asked) are in
 * it: nothing is lost, and a burst of events on one commit costs one write per window
 * instead of one per event. Callers wait for their write, so a report is marked done only
 * once GitHub has it.
 */

export interface CheckRunTarget {
  repo: string;
  headSha: string;
  installationId: number;
}

interface Slot {
  done: Promise<void>;
  /** Progress only (every request was an in-progress update) until a final one joins. */
  inProgress: boolean;
}

export class CheckRunWrites {
  readonly #waiting = new Map<string, Slot>();
  readonly #writing = new Map<string, Promise<void>>();
  /** When each commit's last write ended, kept for `windowMs`. */
  readonly #lastEnded = new Map<string, number>();
  /** Writes that went out, and requests that joined another's write (for the bench). */
  readonly counts = { writes: 0, joined: 0 };

  constructor(
    readonly windowMs: number,
    readonly write: (target: CheckRunTarget, inProgress: boolean) => Promise<void>,
  ) {}

  request(target: CheckRunTarget, inProgress: boolean): Promise<void> {
    const key = `${target.repo}@${target.headSha}`;
    const waiting = this.#waiting.get(key);
    if (waiting) {
      this.counts.joined++;
      waiting.inProgress &&= inProgress;
      return waiting.done;
    }
    const previous = this.#writing.get(key);
    const slot: Slot = { inProgress, done: Promise.resolve() };
    // In the map before the write starts: the write takes it out synchronously when it need not wait.
    this.#waiting.set(key, slot);
    slot.done = (async () => {
      if (previous) await previous.catch(() => undefined);
      const wait = (this.#lastEnded.get(key) ?? Number.NEGATIVE_INFINITY) + this.windowMs;
      if (wait > Date.now()) await new Promise((r) => setTimeout(r, wait - Date.now()));
      // From here on a new request opens a new slot, which waits for this write.
      this.#waiting.delete(key);
      this.counts.writes++;
      const writing = this.write(target, slot.inProgress);
      this.#writing.set(key, writing);
      try {
        await writing;
      } finally {
        if (this.#writing.get(key) === writing) this.#writing.delete(key);
        this.#remember(key);
      }
    })();
    return slot.done;
  }

  #remember(key: string): void {
    const ended = Date.now();
    this.#lastEnded.set(key, ended);
    setTimeout(() => {
      if (this.#lastEnded.get(key) === ended) this.#lastEnded.delete(key);
    }, this.windowMs).unref();
  }
}
