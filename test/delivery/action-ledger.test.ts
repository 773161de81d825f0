/**
 * The ledger of the other direction on SQLite and (with TEST_DATABASE_URL) PostgreSQL: a
 * create's intent is counted before each try and its key kept after, for every replica; an
 * assignee trackbridge set is told apart from one a person set, through the outbox worker
 * running `applyAction` against the Yandex Tracker simulator.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PlannedAction } from "../../src/core/types.js";
import { startYandexSimulator, type YandexSimulator } from "../../src/simulators/yandex/index.js";
import { applyAction } from "../../src/trackers/apply-action.js";
import { createTracker } from "../../src/trackers/create-tracker.js";
import { backends, enqueue, submission, workerBed } from "./helpers.js";

const TOKEN = "ledger-test-token-123456";

describe.each(backends())("the action ledger ($name)", (backend) => {
  const bed = workerBed(backend);
  let sim: YandexSimulator;
  beforeAll(async () => {
    sim = await startYandexSimulator({ token: TOKEN });
  });
  afterAll(async () => sim.close());

  it("counts each try before it, and every replica sees the key once it is known", async () => {
    const other = await bed.db.open();
    expect(await bed.store.ledger.beginCreate("yandex", "trackbridge:acme/web#1")).toEqual({
      key: null,
      tries: 1,
    });
    expect(await other.ledger.beginCreate("yandex", "trackbridge:acme/web#1")).toEqual({
      key: null,
      tries: 2,
    });
    await bed.store.ledger.finishCreate("yandex", "trackbridge:acme/web#1", "PROJ-5");
    expect(await other.ledger.beginCreate("yandex", "trackbridge:acme/web#1")).toMatchObject({
      key: "PROJ-5",
    });
    // Another PR, another connection: their own intents.
    expect(await other.ledger.beginCreate("jira", "trackbridge:acme/web#1")).toMatchObject({
      key: null,
      tries: 1,
    });
  });

  it("re-assigns what trackbridge set, leaves what a person set", async () => {
    sim.reset();
    sim.createIssue("PROJ-1");
    const tracker = createTracker({ name: "yandex", type: "yandex", url: sim.url, token: TOKEN });
    const people = { alice: "alice-y", bob: "bob-y" };
    const assign = (person: string): PlannedAction => ({
      kind: "assign",
      key: "PROJ-1",
      person,
      from: "author",
      overwrite: false,
    });
    const worker = bed.start({
      planDelivery: async () => [],
      executeAction: (_connection, action) =>
        applyAction(tracker, action, { ledger: bed.store.ledger, people }),
      report: async () => {},
    });
    const run = async (id: string, person: string) => {
      await enqueue(bed.store, id, [submission(id, [assign(person)])]);
      worker.wake();
      await worker.drain();
    };
    await run("d1", "alice");
    expect(sim.getIssue("PROJ-1").assignee).toBe("alice-y");
    // Yandex shows a uid, not the login: only the ledger knows trackbridge set it.
    await run("d2", "bob");
    expect(sim.getIssue("PROJ-1").assignee).toBe("bob-y");
    sim.updateIssue("PROJ-1", { assignee: "carol-y" });
    await run("d3", "alice");
    expect(sim.getIssue("PROJ-1").assignee).toBe("carol-y");
    await run("d4", "zed");
    const summaries = await bed.db.rows<{ summary: string }>(
      "SELECT summary FROM jobs ORDER BY id",
    );
    expect(summaries.map((row) => row.summary)).toEqual([
      "assigned to alice-y",
      "assigned to bob-y",
      "left alone: carol-y was assigned by a person",
      "warning: not assigned: zed is not in the people map of connection yandex",
    ]);
  });
});
