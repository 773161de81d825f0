/**
 * Answers kept for a while, for reads that cost a request each time they are asked (a person's
 * GitHub e-mail, a tracker's user list): at most `maxEntries` (the least recently used go
 * first), each for `ttlMs` from when it was read. A read that fails is not kept, so the next
 * caller asks again; callers that ask while a read is in flight share it. The clock is passed
 * in: core reads none.
 */
import { Lru } from "./lru.js";

export interface ExpiringCacheOptions {
  maxEntries: number;
  ttlMs: number;
  now: () => number;
}

export class ExpiringCache<K, V> {
  readonly #entries: Lru<K, { value: Promise<V>; until: number }>;

  constructor(private readonly options: ExpiringCacheOptions) {
    this.#entries = new Lru(options.maxEntries);
  }

  /**
   * The kept answer for `key`, else `read()`'s, kept unless it fails.
   *
   * @example
   * const users = new ExpiringCache<string, User[]>({ maxEntries: 1, ttlMs: 3_600_000, now: Date.now });
   * await users.get("all", () => client.users()); // asks the tracker
   * await users.get("all", () => client.users()); // the same list, within the hour
   */
  get(key: K, read: () => Promise<V>): Promise<V> {
    const now = this.options.now();
    const kept = this.#entries.get(key);
    if (kept && kept.until > now) return kept.value;
    const entry = { value: Promise.resolve().then(read), until: now + this.options.ttlMs };
    this.#entries.set(key, entry);
    entry.value.catch(() => {
      if (this.#entries.get(key) === entry) this.#entries.delete(key);
    });
    return entry.value;
  }
}
