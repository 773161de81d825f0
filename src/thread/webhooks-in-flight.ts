/**
 * How many webhooks the main thread is answering right now, in memory both threads share.
 * The processing thread reads it before each round of claims: while a burst is being answered,
 * it holds new work back for a moment (worker.ts `yieldTo`), so that its CPU and its write
 * transactions do not stand between a webhook and its answer.
 */
import type { ServerResponse } from "node:http";

/** A steady stream keeps one or two in flight; more than this is a burst. */
const BURST = 4;

export class WebhooksInFlight {
  readonly buffer: SharedArrayBuffer;
  readonly #count: Int32Array;

  /** A new counter, or the one another thread made (its `buffer`). */
  constructor(buffer = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT)) {
    this.buffer = buffer;
    this.#count = new Int32Array(buffer);
  }

  /** Counts the request until its answer is sent or its connection closes. */
  track(res: ServerResponse): void {
    Atomics.add(this.#count, 0, 1);
    res.once("close", () => Atomics.sub(this.#count, 0, 1));
  }

  count(): number {
    return Atomics.load(this.#count, 0);
  }

  /** True while a burst of webhooks is waiting for answers. */
  readonly burst = (): boolean => this.count() > BURST;
}
