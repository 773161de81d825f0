/**
 * `recordSync` resumes the repository's running sync, however many deliveries came after it:
 * on a busy server the running sync is soon not among the newest hundred.
 */
import { describe, expect, it } from "vitest";
import type { Store } from "../../src/delivery/store.js";
import { recordSync, syncDeliveryPrefix } from "../../src/handlers/sync-dispatch.js";
import { backends, delivery, enqueue, move, submission, workerBed } from "../delivery/helpers.js";

const target = { owner: "acme", name: "web", sinceDays: 14 };

/** The App as a sync sees it: installed on acme/web. Counts the calls (a resume makes none). */
function app() {
  const calls: string[] = [];
  const requester = {
    request: async (route: string) => {
      calls.push(route);
      return {
        data: route.endsWith("/installation") ? { id: 7 } : { default_branch: "main", id: 1 },
      };
    },
  };
  return { calls, auth: async () => requester };
}

async function busy(store: Store, count: number, from: number) {
  for (let i = 0; i < count; i++) {
    await store.recordDelivery(delivery(`hook-${i}`, new Date(from + 1_000 + i).toISOString()));
  }
}

describe.each(backends())("recordSync ($name)", (backend) => {
  const bed = workerBed(backend);

  it("resumes a sync not yet planned, behind 150 newer deliveries", async () => {
    const store = bed.store;
    const start = Date.now() - 60_000;
    const running = `${syncDeliveryPrefix(target)}${start}`;
    await store.recordDelivery(delivery(running, new Date(start).toISOString()));
    await busy(store, 150, start);
    const github = app();
    expect(await recordSync(target, { app: github, store })).toEqual({
      id: running,
      resumed: true,
    });
    expect(github.calls).toEqual([]);
  });

  it("resumes a planned sync whose moves are still pending, behind 120 newer deliveries", async () => {
    const store = bed.store;
    const start = Date.now() - 60_000;
    const running = `${syncDeliveryPrefix(target)}${start}`;
    await enqueue(
      store,
      running,
      [submission(running, [move("PROJ-1", "closed", "merged")])],
      start,
    );
    await busy(store, 120, start);
    expect(await recordSync(target, { app: app(), store })).toEqual({ id: running, resumed: true });
  });

  it("records a new run when only another repository's sync is running", async () => {
    const store = bed.store;
    await store.recordDelivery(delivery("sync:acme/webapp:1"));
    const github = app();
    const recorded = await recordSync(target, { app: github, store });
    expect(recorded.resumed).toBe(false);
    expect(recorded.id.startsWith("sync:acme/web:")).toBe(true);
    expect(github.calls).toEqual([
      "GET /repos/{owner}/{repo}/installation",
      "GET /repos/{owner}/{repo}",
    ]);
  });
});
