/**
 * Coalesced check-run writes: requests that arrive while a commit's write is in flight join
 * one trailing write, which reads the state when it starts, so no caller's result is lost.
 * Writes are held open by hand: no timing is involved.
 */
import { describe, expect, it } from "vitest";
import { CheckRunWrites } from "../../src/reports/check-run-writes.js";

const target = { repo: "acme/web", headSha: "a".repeat(40), installationId: 1 };

describe("CheckRunWrites", () => {
  it("requests during a write join one trailing write that sees every result", async () => {
    const results: string[] = []; // what the store holds
    const seen: string[][] = []; // what each write read when it started
    const releases: Array<() => void> = [];
    const writes = new CheckRunWrites(0, async () => {
      seen.push([...results]);
      await new Promise<void>((resolve) => releases.push(resolve));
    });

    results.push("PROJ-1 moved");
    const first = writes.request(target, false);
    const later = ["PROJ-2", "PROJ-3", "PROJ-4", "PROJ-5"].map((key) => {
      results.push(`${key} moved`);
      return writes.request(target, false);
    });
    expect(seen).toHaveLength(1); // the first write went out at once; the rest wait for it
    releases[0]!();
    await first;
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toHaveLength(2);
    releases[1]!();
    await Promise.all(later);

    expect(writes.counts).toEqual({ writes: 2, joined: 3 });
    expect(seen[1]).toEqual([
      "PROJ-1 moved",
      "PROJ-2 moved",
      "PROJ-3 moved",
      "PROJ-4 moved",
      "PROJ-5 moved",
    ]);
  });

  it("a final report that joins progress updates makes the write final", async () => {
    const modes: boolean[] = [];
    let release = () => {};
    const writes = new CheckRunWrites(0, async (_target, inProgress) => {
      modes.push(inProgress);
      if (modes.length === 1) await new Promise<void>((resolve) => (release = resolve));
    });
    const first = writes.request(target, true);
    const progress = writes.request(target, true);
    const final = writes.request(target, false);
    release();
    await Promise.all([first, progress, final]);
    expect(modes).toEqual([true, false]);
  });

  it("other commits are not held back by a commit's write", async () => {
    const started: string[] = [];
    const writes = new CheckRunWrites(0, async ({ headSha }) => {
      started.push(headSha);
      await new Promise(() => {}); // never ends
    });
    void writes.request(target, false);
    void writes.request({ ...target, headSha: "b".repeat(40) }, false);
    expect(started).toEqual(["a".repeat(40), "b".repeat(40)]);
  });

  it("a failed write fails every request that joined it (each report retries)", async () => {
    let calls = 0;
    let fail = () => {};
    const writes = new CheckRunWrites(0, async () => {
      calls++;
      if (calls === 1)
        await new Promise<void>((_, reject) => (fail = () => reject(new Error("x"))));
      else throw new Error("GitHub is down");
    });
    const first = writes.request(target, false);
    const joined = [writes.request(target, false), writes.request(target, false)];
    fail();
    await expect(first).rejects.toThrow("x");
    for (const request of joined) await expect(request).rejects.toThrow("GitHub is down");
  });
});
