/** The store's tracker → GitHub queries, on SQLite and (with TEST_DATABASE_URL) PostgreSQL. */
import { afterEach, describe, expect, it } from "vitest";
import type { Store } from "../../src/delivery/store.js";
import { backends, enqueue, link, move, submission, type TestDb } from "./helpers.js";

describe.each(backends())("tracker → GitHub queries ($name)", (backend) => {
  let db: TestDb;
  let store: Store;
  afterEach(async () => db.cleanup());

  it("open PRs of an issue, issues of a PR, keys open PRs move, the App's last move", async () => {
    db = await backend.create();
    store = await db.open();
    await enqueue(store, "d1", [
      submission("d1", [move("PROJ-1", "readyForTest", "approved"), link("PROJ-1")]),
    ]);
    await enqueue(store, "d2", [
      submission(
        "d2",
        [move("PROJ-1", "inProgress", "opened"), move("PROJ-2", "inProgress", "opened")],
        {
          prNumber: 2,
        },
      ),
    ]);
    await enqueue(store, "d3", [
      submission("d3", [move("OPS-3", "open", "closed")], { prNumber: 3, prState: "closed" }),
    ]);

    expect(await store.openPrsOfIssue("yandex", "PROJ-1")).toEqual([
      { repo: "acme/web", prNumber: 1 },
      { repo: "acme/web", prNumber: 2 },
    ]);
    expect(await store.openPrsOfIssue("yandex", "OPS-3")).toEqual([]);
    expect(await store.issuesOfPr("acme/web", 2)).toEqual([
      { connection: "yandex", key: "PROJ-1" },
      { connection: "yandex", key: "PROJ-2" },
    ]);
    expect(await store.openIssueKeys("yandex")).toEqual(["PROJ-1", "PROJ-2"]);

    // Nothing done yet; then the earliest move of PROJ-1 (opened ranks before approved) finishes.
    expect(await store.lastAppMoveTarget("yandex", "PROJ-1", 0)).toBeNull();
    const now = Date.now();
    const [job] = await store.claimJobs({
      now,
      leaseMs: 60_000,
      limit: 1,
      perConnection: 4,
      running: new Map(),
    });
    expect(job?.key).toBe("PROJ-1");
    const target = job!.action.kind === "move" ? job!.action.target : "";
    await store.finishJob(job!, { state: "done", summary: "moved Open → In progress" }, now);
    expect(await store.lastAppMoveTarget("yandex", "PROJ-1", now - 1000)).toBe(target);
    expect(target).toBe("inProgress");
    expect(await store.lastAppMoveTarget("yandex", "PROJ-1", now + 1000)).toBeNull();
  });
});
