/** The cache of reads that cost a request: kept for a TTL, bounded, failures never kept. */
import { describe, expect, it } from "vitest";
import { ExpiringCache } from "../../src/core/expiring-cache.js";

function setup(maxEntries = 2) {
  let now = 0;
  const reads: string[] = [];
  const cache = new ExpiringCache<string, string>({ maxEntries, ttlMs: 1_000, now: () => now });
  const get = (key: string) =>
    cache.get(key, async () => {
      reads.push(key);
      return `${key}@${now}`;
    });
  return { cache, get, reads, at: (ms: number) => (now = ms) };
}

describe("ExpiringCache", () => {
  it("reads once within the TTL, and again after it", async () => {
    const { get, reads, at } = setup();
    expect(await get("a")).toBe("a@0");
    at(999);
    expect(await get("a")).toBe("a@0");
    at(1_000);
    expect(await get("a")).toBe("a@1000");
    expect(reads).toEqual(["a", "a"]);
  });

  it("shares one read between callers that ask while it is in flight", async () => {
    const { get, reads } = setup();
    expect(await Promise.all([get("a"), get("a")])).toEqual(["a@0", "a@0"]);
    expect(reads).toEqual(["a"]);
  });

  it("drops the least recently used entry past maxEntries", async () => {
    const { get, reads } = setup(2);
    await get("a");
    await get("b");
    await get("a");
    await get("c"); // drops b, the least recently used
    await get("a");
    await get("b");
    expect(reads).toEqual(["a", "b", "c", "b"]);
  });

  it("keeps no failure: the next caller reads again", async () => {
    const { cache } = setup();
    const down = cache.get("a", () => Promise.reject(new Error("503")));
    await expect(down).rejects.toThrow("503");
    expect(await cache.get("a", async () => "up")).toBe("up");
  });
});
