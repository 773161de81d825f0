import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createRedeliveryPoller, type HookDelivery } from "../../src/delivery/redeliver.js";
import type { Store } from "../../src/delivery/store.js";
import { delivery, FakeClock, silentLog, tempDb } from "./helpers.js";

const HOUR = 60 * 60_000;
const DAY = 24 * HOUR;

let db: ReturnType<typeof tempDb>;
let store: Store;
let clock: FakeClock;
let nextId: number;

beforeEach(async () => {
  db = tempDb();
  store = await db.open();
  clock = new FakeClock();
  nextId = 1;
});
afterEach(async () => {
  await db.cleanup();
});

function attempt(
  guid: string,
  ageMs: number,
  status_code: number,
  status = status_code < 400 ? "OK" : `Invalid HTTP Response: ${status_code}`,
): HookDelivery {
  return {
    id: nextId++,
    guid,
    delivered_at: new Date(clock.now() - ageMs).toISOString(),
    redelivery: false,
    status,
    status_code,
    event: "pull_request",
    action: "opened",
  };
}

/** GitHub's listing: newest first, in pages, with a cursor; records which pages were read. */
function listing(attempts: HookDelivery[], pageSize = 2) {
  const sorted = [...attempts].sort(
    (a, b) => Date.parse(b.delivered_at) - Date.parse(a.delivered_at),
  );
  const pagesRead: Array<string | null> = [];
  const list = async (cursor: string | null) => {
    pagesRead.push(cursor);
    const start = cursor === null ? 0 : Number(cursor);
    const end = start + pageSize;
    return {
      deliveries: sorted.slice(start, end),
      nextCursor: end < sorted.length ? String(end) : null,
    };
  };
  return { list, pagesRead };
}

function poller(attempts: HookDelivery[], redeliver = async (_id: number | bigint) => {}) {
  const pages = listing(attempts);
  const asked: Array<number | bigint> = [];
  const instance = createRedeliveryPoller({
    store,
    log: silentLog,
    clock,
    listDeliveries: pages.list,
    redeliver: async (id) => {
      await redeliver(id);
      asked.push(id);
    },
  });
  return { instance, asked, pages };
}

describe("redelivery poller", () => {
  it("asks only for failed deliveries within the window that the log does not have", async () => {
    await store.recordDelivery(delivery("known-but-failed"));
    const missed = attempt("missed", 2 * HOUR, 502);
    const timedOut = attempt("timed-out", 3 * HOUR, 0, "timed out");
    const retried = [attempt("retried", 5 * HOUR, 500), attempt("retried", 4 * HOUR, 202)];
    const retriedLatest = [
      attempt("failed-again", 5 * HOUR, 202),
      attempt("failed-again", 4 * HOUR, 503),
    ];
    const { instance, asked, pages } = poller([
      attempt("fine", HOUR, 202),
      missed,
      timedOut,
      ...retried,
      ...retriedLatest,
      attempt("known-but-failed", HOUR, 500),
      attempt("too-large", HOUR, 413),
      attempt("too-old", 3 * DAY + HOUR, 500),
      attempt("older-still", 3 * DAY + 2 * HOUR, 500),
    ]);

    const { requested } = await instance.runOnce();
    expect(requested.sort()).toEqual(["failed-again", "missed", "timed-out"]);
    expect(asked).toEqual(expect.arrayContaining([missed.id, timedOut.id, retriedLatest[1]!.id]));
    expect(asked).toHaveLength(3);
    // 11 attempts in pages of 2: the page from "8" reaches past the window, "10" is never read.
    expect(pages.pagesRead).toEqual([null, "2", "4", "6", "8"]);
  });

  it("stops asking for a delivery that keeps failing, and retries the ask when GitHub refused it", async () => {
    const failures = Array.from({ length: 5 }, (_, i) => attempt("hopeless", (i + 1) * HOUR, 500));
    let refuse = true;
    const { instance, asked } = poller([...failures, attempt("refused", HOUR, 500)], async () => {
      if (refuse) throw new Error("GitHub answered 500");
    });
    expect((await instance.runOnce()).requested).toEqual([]);
    refuse = false;
    clock.advance(5 * 60_000);
    expect((await instance.runOnce()).requested).toEqual(["refused"]);
    expect(asked).toHaveLength(1);
  });

  it("after a complete pass, lists back only to where the previous pass ended", async () => {
    const old = Array.from({ length: 10 }, (_, i) => attempt(`old-${i}`, (i + 1) * HOUR, 202));
    const { instance, pages } = poller(old);
    await instance.runOnce();
    expect(pages.pagesRead).toHaveLength(5);

    clock.advance(HOUR);
    pages.pagesRead.length = 0;
    await instance.runOnce();
    expect(pages.pagesRead).toEqual([null]);
  });
});
