/**
 * Replicas wake each other through PostgreSQL's LISTEN/NOTIFY: a worker whose polls are a
 * minute apart still runs, at once, the jobs another replica commits, also after its listening
 * connection was cut. Runs when TEST_DATABASE_URL is set.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { Worker } from "../../src/delivery/outbox-worker.js";
import { createWorker } from "../../src/delivery/outbox-worker.js";
import {
  delivery,
  enqueue,
  FAST_POLICY,
  fakeHooks,
  link,
  postgresDb,
  postgresUrl,
  silentLog,
  submission,
  until,
} from "./helpers.js";

const url = postgresUrl;
const SLOW_POLLS = { ...FAST_POLICY, idlePollMs: 60_000, listenPollMs: 60_000 };

describe.skipIf(!url)("PostgreSQL: replicas wake each other", () => {
  let db: Awaited<ReturnType<typeof postgresDb>> | undefined;
  let worker: Worker | undefined;
  afterEach(async () => {
    await worker?.stop({ timeoutMs: 1_000 });
    await db?.cleanup();
  });

  /** The listening connection of the schema's worker, once it listens. */
  async function listener(): Promise<number | undefined> {
    const rows = await db!.rows<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE query = 'LISTEN "trackbridge.${db!.schema}"'`,
    );
    return rows[0]?.pid;
  }

  it("runs jobs another replica commits without waiting for its poll, and listens again after a cut", async () => {
    db = await postgresDb(url!);
    const [other, own] = [await db.open(), await db.open()];
    const { hooks, executed } = fakeHooks({});
    worker = createWorker({ store: own, hooks, log: silentLog, policy: SLOW_POLLS });
    worker.start();
    await until(async () => (await listener()) !== undefined);
    await worker.idle();

    await enqueue(other, "d1", [submission("d1", [link("PROJ-1")])]);
    await until(() => executed.length === 1);

    // The server drops the listening connection: the worker listens again on a new one.
    const cut = await listener();
    await db.rows(`SELECT pg_terminate_backend(${cut})`);
    await until(async () => {
      const pid = await listener();
      return pid !== undefined && pid !== cut;
    });
    await enqueue(other, "d2", [submission("d2", [link("PROJ-2")])]);
    await until(() => executed.length === 2);
    expect(executed.map((action) => action.key)).toEqual(["PROJ-1", "PROJ-2"]);
  });

  it("hears the work other processes commit, not the plans its own worker committed (it woke itself)", async () => {
    db = await postgresDb(url!);
    const [own, other] = [await db.open(), await db.open()];
    const heard: Array<readonly string[] | null> = [];
    const listening = await own.watch(
      (kinds) => heard.push(kinds),
      () => {},
    );
    try {
      await own.recordDelivery(delivery("mine"));
      await own.commitPlan("mine", [submission("mine", [link("PROJ-1")])], Date.now(), true);
      await enqueue(other, "theirs", [submission("theirs", [link("PROJ-2")])]);
      // Notifications arrive in commit order: this one last.
      await db.rows("SELECT pg_notify('trackbridge.' || current_schema(), 'deliveries')");
      await until(() => heard.length > 1 && heard.at(-1)?.[0] === "deliveries");
      expect(heard).toEqual([["jobs"], ["deliveries"]]);
    } finally {
      await listening?.close();
    }
  });

  it("hears nothing of a transaction that rolled back", async () => {
    db = await postgresDb(url!);
    const own = await db.open();
    const heard: Array<readonly string[] | null> = [];
    const listening = await own.watch(
      (kinds) => heard.push(kinds),
      () => {},
    );
    try {
      const client = db.client();
      await client.connect();
      try {
        await client.query("BEGIN");
        await client.query("SELECT pg_notify('trackbridge.' || current_schema(), 'jobs')");
        await client.query("ROLLBACK");
        await client.query("SELECT pg_notify('trackbridge.' || current_schema(), 'deliveries')");
      } finally {
        await client.end();
      }
      await until(() => heard.length > 0);
      expect(heard).toEqual([["deliveries"]]);
    } finally {
      await listening?.close();
    }
  });
});
