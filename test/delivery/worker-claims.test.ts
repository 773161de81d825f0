import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { createWorker, type Worker } from "../../src/delivery/outbox-worker.js";
import type { Logger } from "../../src/delivery/runtime.js";
import type { Store } from "../../src/delivery/store.js";
import {
  delivery,
  enqueue,
  FAST_POLICY,
  fakeHooks,
  gate,
  link,
  silentLog,
  submission,
  tempDb,
  until,
} from "./helpers.js";

/**
 * A round of claims that finds nothing takes no write lock: under load most rounds find
 * nothing, and on SQLite the write lock is the one the thread acknowledging webhooks needs.
 * Another connection holds the lock here; a claim that asked for it would wait out the busy
 * timeout and fail, and the worker would log that.
 */
describe("worker claims", () => {
  let worker: Worker | undefined;
  let holder: Database.Database | undefined;
  const db = tempDb();
  afterEach(async () => {
    holder?.close();
    await worker?.stop({ timeoutMs: 1_000 });
    await db.cleanup();
  });

  it("asks for the write lock only when something is due", async () => {
    const store = await db.open();
    const errors: string[] = [];
    const log: Logger = {
      debug() {},
      info() {},
      warn() {},
      error: (fields, message) => errors.push(`${message} ${JSON.stringify(fields)}`),
    };
    const { hooks, executed } = fakeHooks({});
    worker = createWorker({ store, hooks, log, policy: FAST_POLICY });
    worker.start();
    await enqueue(store, "d1", [submission("d1", [link("PROJ-1")])]);
    worker.wake();
    await worker.drain();
    expect(executed).toHaveLength(1);

    holder = new Database(db.file);
    holder.pragma("busy_timeout = 0");
    holder.prepare("BEGIN IMMEDIATE").run();
    for (let round = 0; round < 5; round++) {
      worker.wake();
      await worker.idle();
    }
    holder.prepare("COMMIT").run();
    expect(errors).toEqual([]);
  });
});

/** The store, telling `seen` of each report claim it is asked for. */
function onReportClaims(store: Store, seen: (input: Parameters<Store["claimReports"]>[0]) => void) {
  return around(store, "claimReports", seen);
}

/** The store, `before` awaited ahead of each call of `method`. */
function around<K extends "claimReports" | "claimDeliveries">(
  store: Store,
  method: K,
  before: (input: Parameters<Store[K]>[0]) => unknown,
): Store {
  return new Proxy(store, {
    get(target, property) {
      const value = Reflect.get(target, property);
      if (property === method)
        return async (input: Parameters<Store[K]>[0]) => {
          await before(input);
          return (value as (input: Parameters<Store[K]>[0]) => unknown).call(target, input);
        };
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

describe("worker claims while busy", () => {
  const db = tempDb();
  let worker: Worker | undefined;
  afterEach(async () => {
    await worker?.stop({ timeoutMs: 1_000 });
    await db.cleanup();
  });

  it("still finds, within an idle poll, work no wake-up named (another process stored it)", async () => {
    const store = await db.open();
    const other = await db.open();
    let offset = 0;
    const clock = { now: () => Date.now() + offset };
    const held = gate();
    const planned: string[] = [];
    const { hooks } = fakeHooks({
      plan: async (delivery) => {
        planned.push(delivery.id);
        return [submission(delivery.id, [link("PROJ-1")])];
      },
      execute: async (_connection, action) => {
        await held.promise;
        return { action, ok: true, summary: "linked" };
      },
    });
    const policy = { ...FAST_POLICY, idlePollMs: 60_000, leaseMs: 600_000 };
    worker = createWorker({ store, hooks, log: silentLog, clock, policy });
    worker.start();
    await other.recordDelivery(delivery("first"));
    worker.wake(["deliveries"]);
    await until(() => planned.length === 1);

    // Stored by another process: nothing wakes this worker for it. Its timer is a minute off.
    await other.recordDelivery(delivery("second"));
    offset = 61_000;
    held.open();
    await until(() => planned.includes("second"));
  });

  it("searches no due report when new deliveries wake the worker (the wake-up names what to look for)", async () => {
    const store = await db.open();
    const rounds: Array<"named" | "all"> = [];
    const watched = onReportClaims(store, (input) => rounds.push(input.of ? "named" : "all"));
    const { hooks, reports } = fakeHooks({ plans: { d1: [submission("d1", [])] } });
    const policy = { ...FAST_POLICY, idlePollMs: 60_000 };
    worker = createWorker({ store: watched, hooks, log: silentLog, policy });
    worker.start();
    await worker.idle();
    rounds.length = 0;
    await store.recordDelivery(delivery("d1"));
    worker.wake(["deliveries"]);
    await until(() => reports.length === 1);
    expect(rounds).toContain("named");
    expect(rounds).not.toContain("all");
  });
  it("takes the reports that waited for a slot by name once one frees, not by a search of every report", async () => {
    const store = await db.open();
    const rounds: Array<"named" | "all"> = [];
    const watched = onReportClaims(store, (input) => rounds.push(input.of ? "named" : "all"));
    const ids = ["d1", "d2", "d3"];
    const plans = Object.fromEntries(
      ids.map((id, i) => [
        id,
        [submission(id, [link(`PROJ-${i + 1}`, i + 1)], { prNumber: i + 1 })],
      ]),
    );
    const { hooks, reports, executed } = fakeHooks({ plans });
    const held = gate();
    const report = hooks.report;
    let entered = 0;
    hooks.report = async (...args) => {
      entered++;
      await held.promise;
      return report(...args);
    };
    const policy = { ...FAST_POLICY, idlePollMs: 60_000, reportConcurrency: 1 };
    worker = createWorker({ store: watched, hooks, log: silentLog, policy });
    worker.start();
    await worker.idle();
    for (const id of ids) await store.recordDelivery(delivery(id));
    worker.wake(["deliveries"]);
    // One report holds the only slot; the other two are due (their jobs settled, nothing else
    // outstanding) and named, waiting for it.
    await until(
      async () => executed.length === 3 && entered > 0 && (await store.countOutstanding()) === 3,
    );
    expect(entered).toBe(1);
    rounds.length = 0;
    held.open();
    await until(() => reports.length === 3);
    expect(rounds.length).toBeGreaterThan(0);
    expect(rounds.filter((round) => round === "all")).toEqual([]);
  });
  it("searches every due report for half the report slots at least, not for each slot a report's end frees", async () => {
    const store = await db.open();
    const limits: number[] = [];
    const watched = onReportClaims(store, (input) => {
      if (!input.of) limits.push(input.limit);
    });
    // Reports with no jobs, planned by another process: due at once, named by no task's end.
    const ids = Array.from({ length: 12 }, (_, i) => `d${i + 1}`);
    for (const id of ids) await enqueue(store, id, [submission(id, [])]);
    const { hooks, reports } = fakeHooks({});
    const report = hooks.report;
    let started = 0;
    hooks.report = async (...args) => {
      // Ends one at a time, each a while after the one started before it.
      started++;
      await new Promise((resolve) => setTimeout(resolve, 5 * started));
      return report(...args);
    };
    const policy = { ...FAST_POLICY, idlePollMs: 60_000, reportConcurrency: 4 };
    worker = createWorker({ store: watched, hooks, log: silentLog, policy });
    worker.start();
    await until(() => reports.length === ids.length);
    expect(limits[0]).toBe(4);
    expect(limits.filter((limit) => limit < 2)).toEqual([]);
  });
  it("claims a report its plan named during a round as of the claim's time, not the round's start", async () => {
    const store = await db.open();
    let time = 1_000_000;
    const clock = { now: () => time };
    const planHeld = gate();
    const roundHeld = gate();
    let holdRound = false;
    let roundsHeld = 0;
    const watched = around(store, "claimDeliveries", async () => {
      if (!holdRound) return;
      holdRound = false;
      roundsHeld++;
      await roundHeld.promise;
    });
    let planning = 0;
    const { hooks, reports } = fakeHooks({
      plan: async (d) => {
        planning++;
        await planHeld.promise;
        return [submission(d.id, [])];
      },
    });
    const policy = { ...FAST_POLICY, idlePollMs: 60_000 };
    worker = createWorker({ store: watched, hooks, log: silentLog, clock, policy });
    worker.start();
    await worker.idle();
    await store.recordDelivery(delivery("d1", new Date(time).toISOString()));
    worker.wake(["deliveries"]);
    await until(() => planning === 1);
    // A round begins (at the clock's time) and is held at its delivery claim ...
    holdRound = true;
    worker.wake(["deliveries"]);
    await until(() => roundsHeld === 1);
    // ... while the plan commits a second later: its report (no jobs) is due from then, named.
    time += 1_000;
    planHeld.open();
    await until(async () => (await store.listDeliveries({ limit: 1 }))[0]?.state === "planned");
    roundHeld.open();
    await until(() => reports.length === 1);
  });

  it("searches for every due report once an idle poll has passed, though named reports keep the slots busy", async () => {
    const store = await db.open();
    let offset = 0;
    const clock = { now: () => Date.now() + offset };
    // Planned by another process, due at once, named by nothing: found by a search only.
    const first = ["a1", "a2", "a3", "a4"];
    for (const id of [...first, "unnamed"]) await enqueue(store, id, [submission(id, [])]);
    const stream = ["n1", "n2", "n3"];
    const { hooks, reports } = fakeHooks({
      plans: Object.fromEntries(stream.map((id) => [id, [submission(id, [])]])),
    });
    const gates = new Map([...first, ...stream].map((id) => [id, gate()]));
    const entered: string[] = [];
    const report = hooks.report;
    hooks.report = async (submitted, jobs) => {
      entered.push(submitted.deliveryId);
      await gates.get(submitted.deliveryId)?.promise;
      return report(submitted, jobs);
    };
    const policy = { ...FAST_POLICY, idlePollMs: 60_000, leaseMs: 600_000, reportConcurrency: 4 };
    let roundsAfter = 0;
    const watched = around(store, "claimDeliveries", () => roundsAfter++);
    worker = createWorker({ store: watched, hooks, log: silentLog, clock, policy });
    worker.start();
    // The first search fills every slot (a1–a4, by id), so due reports may be waiting.
    await until(() => first.every((id) => entered.includes(id)));
    for (const id of stream) await store.recordDelivery(delivery(id));
    worker.wake(["deliveries"]);
    await until(
      async () =>
        (await store.listDeliveries({ limit: 10 })).filter(
          (d) => stream.includes(d.id) && d.state === "planned",
        ).length === stream.length,
    );
    // Each end frees one slot of four: a named report takes it, three stay busy.
    gates.get("a1")!.open();
    await until(() => entered.includes("n1"));
    // An idle poll later, a round looks for everything while every report slot is busy: its
    // search is put off, and the next full round is an idle poll away again.
    offset = 61_000;
    roundsAfter = 0;
    worker.wake(["deliveries"]);
    await until(() => roundsAfter > 0);
    // The next end frees a slot with three still busy: the search waited an idle poll, so it
    // goes first, and finds the unnamed report ahead of the named ones.
    gates.get("a2")!.open();
    await until(() => entered.includes("unnamed"));
    for (const held of gates.values()) held.open();
    await until(() => reports.length === 8);
  });

  it("takes at most 100 report names a list, the rest named for the next round", async () => {
    const store = await db.open();
    const lists: number[] = [];
    const watched = onReportClaims(store, (input) => {
      if (input.of) lists.push(input.of.reports.length, input.of.deliveries.length);
    });
    const ids = Array.from({ length: 150 }, (_, i) => `d${i + 1}`);
    const plans = Object.fromEntries(ids.map((id) => [id, [submission(id, [])]]));
    const { hooks, reports } = fakeHooks({ plans });
    const held = gate();
    const report = hooks.report;
    hooks.report = async (...args) => {
      await held.promise;
      return report(...args);
    };
    const policy = {
      ...FAST_POLICY,
      idlePollMs: 60_000,
      reportConcurrency: 1,
      planConcurrency: 50,
    };
    worker = createWorker({ store: watched, hooks, log: silentLog, policy });
    worker.start();
    for (const id of ids) await store.recordDelivery(delivery(id));
    worker.wake(["deliveries"]);
    // Every delivery planned: its report (no jobs) due and named, one of them being written.
    await until(async () => (await store.countOutstanding()) === ids.length);
    held.open();
    await until(() => reports.length === ids.length);
    expect(Math.max(...lists)).toBe(100);
  });
});
