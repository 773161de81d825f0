import { Command } from "commander";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { registerDeliveriesCommand } from "../../src/cli/deliveries-command.js";
import type { Store } from "../../src/delivery/store.js";
import { enqueue, link, move, submission, tempDb } from "./helpers.js";

let db: ReturnType<typeof tempDb>;
let store: Store;

beforeEach(async () => {
  db = tempDb();
  store = await db.open();
  await enqueue(
    store,
    "guid-1",
    [submission("guid-1", [move("PROJ-1", "review", "opened"), link("PROJ-2")])],
    1_000,
  );
  // PROJ-1's move died (issue not found); PROJ-2's link is still pending.
  const [job] = await store.claimJobs({
    now: 2_000,
    leaseMs: 1_000,
    limit: 1,
    perConnection: 4,
    running: new Map(),
  });
  await store.finishJob(
    { id: job!.id, attempts: 1 },
    { state: "dead", summary: "yandex: issue PROJ-1 not found" },
    2_000,
  );
  await store.recordDelivery({
    id: "guid-2",
    event: "deployment_status",
    payload: {},
    receivedAt: new Date(3_000).toISOString(),
  });
  const [planning] = await store.claimDeliveries({ now: 3_000, leaseMs: 1_000, limit: 1 });
  await store.failDelivery(planning!, "could not read .github/trackbridge.yml");
});
afterEach(async () => {
  await db.cleanup();
});

async function run(...args: string[]) {
  let out = "";
  let err = "";
  const program = new Command("trackbridge").exitOverride().configureOutput({
    writeOut: (text) => {
      out += text;
    },
    writeErr: (text) => {
      err += text;
    },
  });
  registerDeliveriesCommand(program, {
    openStore: () => db.open(),
    write: (text) => {
      out += text;
    },
    now: () => 5_000,
  });
  let exitCode = 0;
  try {
    await program.parseAsync(["node", "trackbridge", ...args]);
  } catch (error) {
    exitCode = (error as { exitCode?: number }).exitCode ?? 1;
  }
  return { out, err, exitCode };
}

describe("trackbridge deliveries", () => {
  it("lists recent deliveries, pending jobs, dead letters and unplannable deliveries", async () => {
    const { out, exitCode } = await run("deliveries");
    expect(exitCode).toBe(0);
    expect(out).toContain("Recent deliveries (2)");
    expect(out).toMatch(
      /guid-1\s+pull_request\s+1970-01-01T00:00:01.000Z\s+planned\s+1 dead, 1 pending/,
    );
    expect(out).toMatch(
      /Pending jobs \(1\)\n.*\n2\s+pending\s+yandex\s+PROJ-2\s+link acme\/web#1\s+0\s+now/,
    );
    expect(out).toMatch(
      /\n1\s+guid-1\s+yandex\s+PROJ-1\s+move to review \(opened\)\s+1\s+yandex: issue PROJ-1 not found/,
    );
    expect(out).toMatch(
      /could not be planned.*\n.*\nguid-2\s+deployment_status\s+.*could not read \.github\/trackbridge\.yml/,
    );
  });

  it("prints the same as JSON", async () => {
    const { out } = await run("deliveries", "--json");
    const parsed = JSON.parse(out);
    expect(parsed.deliveries.map((d: { id: string }) => d.id)).toEqual(["guid-2", "guid-1"]);
    expect(parsed.pending.map((j: { key: string }) => j.key)).toEqual(["PROJ-2"]);
    expect(parsed.dead).toMatchObject([
      { id: 1, key: "PROJ-1", summary: "yandex: issue PROJ-1 not found" },
    ]);
    expect(parsed.failedDeliveries.map((d: { id: string }) => d.id)).toEqual(["guid-2"]);
  });

  it.each([
    { args: ["1"], says: "job 1 queued again", job: "pending", delivery: "failed" },
    { args: ["--all"], says: "1 dead letter queued again", job: "pending", delivery: "failed" },
    {
      args: ["guid-2"],
      says: "delivery guid-2 queued for planning again",
      job: "dead",
      delivery: "received",
    },
  ])("retry $args queues it again", async ({ args, says, job, delivery }) => {
    const { out, exitCode } = await run("deliveries", "retry", ...args);
    expect(exitCode).toBe(0);
    expect(out).toBe(`${says}\n`);
    expect((await store.getJob(1))?.state).toBe(job);
    expect((await store.listDeliveries({ limit: 5 })).find((d) => d.id === "guid-2")?.state).toBe(
      delivery,
    );
  });

  it.each([
    { args: ["2"], error: "no dead or failed job or failed delivery 2" },
    { args: [], error: "give a job number or delivery id, or --all" },
    { args: ["1", "--all"], error: "give a job number or delivery id, or --all" },
  ])("retry $args fails with a message", async ({ args, error }) => {
    const { err, exitCode } = await run("deliveries", "retry", ...args);
    expect(exitCode).toBe(1);
    expect(err).toContain(error);
    expect((await store.getJob(1))?.state).toBe("dead");
  });
});

describe("trackbridge deliveries: notifications Slack or Telegram refused", () => {
  beforeEach(async () => {
    await enqueue(store, "guid-3", [submission("guid-3", [move("PROJ-3", "x", "opened")])], 4_000);
    const [job] = await store.claimJobs({
      now: 4_000,
      leaseMs: 1_000,
      limit: 5,
      perConnection: 4,
      running: new Map(),
    });
    const notice = {
      event: "moved" as const,
      repo: "acme/web",
      prNumber: 1,
      key: job!.key,
      summary: "moved",
    };
    const messages = [
      { channel: "team-tg", dedupKey: `${job!.id}:team-tg:moved`, notice, nextAt: 0 },
    ];
    await store.finishJob(
      { id: job!.id, attempts: 1 },
      { state: "done", summary: "moved", messages },
      4_000,
    );
    const [batch] = await store.claimMessages({ now: 4_000, leaseMs: 1_000, limit: 1 });
    const error = 'Telegram channel "team-tg": sendMessage answered 401 Unauthorized';
    await store.settleMessages(batch!, { state: "dead", error }, 4_000);
  });

  it("lists them with the service's reason and sends them again on retry", async () => {
    const listed = await run("deliveries");
    expect(listed.out).toMatch(
      /Dead notifications.*\n.*\nm1\s+team-tg\s+moved\s+PROJ-\d\s+1\s+Telegram channel "team-tg": sendMessage answered 401 Unauthorized/,
    );
    expect(JSON.parse((await run("deliveries", "--json")).out).deadMessages).toHaveLength(1);
    expect((await run("deliveries", "retry", "m2")).exitCode).toBe(1);
    expect((await run("deliveries", "retry", "m1")).out).toBe("notification m1 queued again\n");
    expect(await store.listMessages({ states: ["pending"], limit: 5 })).toHaveLength(1);
  });
});
