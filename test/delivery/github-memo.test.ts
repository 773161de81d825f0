/** The store's memo (github-memo.ts) on every backend: one implementation, same answers. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { PrMemo } from "../../src/delivery/github-memo.js";
import type { Store } from "../../src/delivery/store.js";
import { backends, type TestDb } from "./helpers.js";

const memo = (patch: Partial<PrMemo> = {}): PrMemo => ({
  repo: "acme/web",
  prNumber: 7,
  headSha: "a1",
  pull: { number: 7, title: "Login", head: { ref: "PROJ-1", sha: "a1" } },
  pullUpdatedAt: "2026-12-01T10:00:00Z",
  commits: ["first"],
  commentsKnown: false,
  ...patch,
});

describe.each(backends())("$name store memo", (backend) => {
  let db: TestDb;
  let store: Store;
  beforeEach(async () => {
    db = await backend.create();
    store = await db.open();
  });
  afterEach(async () => db.cleanup());

  it("remembers a commit's check-run id", async () => {
    expect(await store.memo.checkRunId("acme/web", "a1")).toBeNull();
    await store.memo.saveCheckRunId("acme/web", "a1", 9_000_000_001);
    expect(await store.memo.checkRunId("acme/web", "a1")).toBe(9_000_000_001);
    expect(await store.memo.checkRunId("acme/web", "b2")).toBeNull();
  });

  it("keeps a PR's newest state; commits stay for the same head and go with a new one", async () => {
    await store.memo.savePrMemo(memo());
    await store.memo.savePrMemo(memo({ commits: null, commentsKnown: true }));
    expect(await store.memo.prMemo("acme/web", 7)).toEqual(memo({ commentsKnown: true }));

    // An older event (planned late) does not overwrite the newer state.
    await store.memo.savePrMemo(
      memo({ pullUpdatedAt: "2026-12-01T09:00:00Z", pull: { stale: true }, commits: ["old"] }),
    );
    expect((await store.memo.prMemo("acme/web", 7))?.commits).toEqual(["first"]);

    await store.memo.savePrMemo(
      memo({ headSha: "b2", pullUpdatedAt: "2026-12-01T11:00:00Z", commits: null }),
    );
    const pushed = await store.memo.prMemo("acme/web", 7);
    expect(pushed).toMatchObject({ headSha: "b2", commits: null, commentsKnown: true });
  });

  it("adds comments by id, once", async () => {
    await store.memo.addPrComments("acme/web", 7, [
      { id: 2, body: "second" },
      { id: 1, body: "first PROJ-1" },
    ]);
    await store.memo.addPrComments("acme/web", 7, [{ id: 2, body: "second" }]);
    expect(await store.memo.prComments("acme/web", 7)).toEqual([
      { id: 1, body: "first PROJ-1" },
      { id: 2, body: "second" },
    ]);
    expect(await store.memo.prComments("acme/web", 8)).toEqual([]);
    await store.memo.removePrComment("acme/web", 7, 1); // deleted on GitHub
    expect(await store.memo.prComments("acme/web", 7)).toEqual([{ id: 2, body: "second" }]);
  });

  it("holds a tracker connection until the latest Retry-After", async () => {
    expect(await store.memo.trackerHold("yandex")).toBeNull();
    await store.memo.holdTracker("yandex", 2_000);
    await store.memo.holdTracker("yandex", 1_000);
    expect(await store.memo.trackerHold("yandex")).toBe(2_000);
    await store.memo.holdTracker("yandex", 3_000);
    expect(await store.memo.trackerHold("yandex")).toBe(3_000);
  });
});
