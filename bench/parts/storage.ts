/**
 * Part 5 — memory and storage. 10,000 signed `pull_request` deliveries (a realistic mix of
 * actions over 200 PRs: most are `synchronize` and `labeled`, which the App records and
 * then ignores) go to a fresh App; its RSS is read when they are all acked and again when
 * its worker has drained (or after a bounded wait). Then the database: size per delivery,
 * and what the retention setting (TRACKBRIDGE_RETENTION_DAYS, default 30; the worker calls
 * `store.prune` hourly) frees — as a month later — before and after VACUUM.
 */
import { statSync } from "node:fs";
import Database from "better-sqlite3";
import { openSqliteStore } from "../../src/delivery/open-store.js";
import { type BenchContext, seedPullRequests, startApp } from "../lib/context.js";
import { runWebhookLoad } from "../lib/load.js";
import { round } from "../lib/stats.js";
import { mb, type PartOutput, type Row } from "../lib/table.js";

const PRS = 200;
const ACTIONS = ["opened", "synchronize", "labeled", "edited", "ready_for_review"];
/** Share of each action, in ACTIONS order: GitHub sends far more pushes and labels than opens. */
const WEIGHTS = [0.1, 0.5, 0.2, 0.15, 0.05];
const RETENTION_DAYS = 30;

export async function benchStorage(ctx: BenchContext): Promise<PartOutput> {
  const deliveries = ctx.quick ? 2_000 : 10_000;
  const drainCapMs = ctx.quick ? 15_000 : 30_000;
  const bodies = mix(await seedPullRequests(ctx, PRS, ACTIONS));
  const app = await startApp(ctx, "storage");
  const databasePath = app.databasePath!;
  let memory: Memory;
  try {
    const started = Date.now();
    const load = await runWebhookLoad({
      url: app.url,
      secret: ctx.webhookSecret,
      event: "pull_request",
      bodies,
      runId: "storage",
      connections: 10,
      amount: deliveries,
    });
    const afterIngest = app.child.memory();
    const ingestSeconds = (Date.now() - started) / 1000;
    ctx.say(
      `  ${load.ok} of ${deliveries} acked in ${ingestSeconds.toFixed(0)} s; RSS ${mb(afterIngest.rssMb)}`,
    );
    const drained = await Promise.race([
      app.child.call("drain").then(() => true),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), drainCapMs)),
    ]);
    const { outstanding } = await app.child.call<{ outstanding: number; heapMb: number }>("stats");
    const afterDrain = app.child.memory();
    const stats = await app.child.call<{ heapMb: number }>("stats");
    memory = {
      deliveries,
      acked: load.ok,
      ingestSeconds: round(ingestSeconds, 1),
      rssAfterIngestMb: round(afterIngest.rssMb),
      drained,
      backlogLeft: outstanding,
      drainWaitCapSeconds: drainCapMs / 1000,
      rssAfterDrainMb: round(afterDrain.rssMb),
      peakRssMb: round(afterDrain.peakRssMb),
      heapUsedMb: round(stats.heapMb),
    };
    ctx.say(
      `  ${drained ? "drained" : `not drained after ${drainCapMs / 1000} s (${outstanding} left)`}; RSS ${mb(afterDrain.rssMb)}, peak ${mb(afterDrain.peakRssMb)}`,
    );
    await app.child.call("close");
  } finally {
    await app.child.stop();
  }
  const storage = await measureStorage(databasePath, memory.acked);
  ctx.say(
    `  store: ${(storage.bytesPerDelivery / 1024).toFixed(1)} KB per delivery; ≈ ${(storage.prunedBytesPerDelivery / 1024).toFixed(1)} KB once pruned`,
  );
  return { rows: rowsOf(memory, storage), data: { memory, storage } };
}

/** The bodies in a shuffled order that follows WEIGHTS (deterministic). */
function mix(bodies: string[]): string[] {
  const out: string[] = [];
  let seed = 7;
  const random = () => {
    seed = (seed * 48271) % 2147483647;
    return seed / 2147483647;
  };
  for (let pr = 0; pr < PRS; pr++) {
    for (let i = 0; i < 10; i++) {
      let roll = random();
      let action = 0;
      while (action < WEIGHTS.length - 1 && roll >= WEIGHTS[action]!) roll -= WEIGHTS[action++]!;
      out.push(bodies[pr * ACTIONS.length + action]!);
    }
  }
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

async function measureStorage(databasePath: string, deliveries: number) {
  const bytes = () => fileSize(databasePath) + fileSize(`${databasePath}-wal`);
  const before = bytes();
  const store = await openSqliteStore({ path: databasePath });
  const month = 24 * 60 * 60_000 * (RETENTION_DAYS + 1);
  const { payloadsCleared } = await store.prune({
    olderThanDays: RETENTION_DAYS,
    now: Date.now() + month,
  });
  await store.close();
  const db = new Database(databasePath);
  const pages = (name: string) => Number(db.pragma(name, { simple: true }));
  const pageSize = pages("page_size");
  const afterPruneBytes = bytes();
  const freeAfterPrune = pages("freelist_count") * pageSize;
  // Payloads still kept: deliveries the worker had not finished when the App was stopped.
  const kept = db
    .prepare(
      "SELECT COUNT(*) AS n, COALESCE(SUM(LENGTH(CAST(payload AS BLOB))), 0) AS size FROM deliveries WHERE payload IS NOT NULL",
    )
    .get() as { n: number; size: number };
  db.exec("VACUUM");
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.close();
  const afterVacuum = bytes();
  return {
    deliveries,
    bytes: before,
    bytesPerDelivery: Math.round(before / deliveries),
    payloadsCleared,
    payloadsKept: kept.n,
    afterPruneBytes,
    freeAfterPruneBytes: freeAfterPrune,
    afterVacuumBytes: afterVacuum,
    /** What a delivery costs once its payload is pruned (its row, jobs, report): an estimate. */
    prunedBytesPerDelivery: Math.round((afterVacuum - kept.size) / deliveries),
  };
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

interface Memory {
  deliveries: number;
  acked: number;
  ingestSeconds: number;
  rssAfterIngestMb: number;
  drained: boolean;
  backlogLeft: number;
  drainWaitCapSeconds: number;
  rssAfterDrainMb: number;
  peakRssMb: number;
  heapUsedMb: number;
}
type Storage = Awaited<ReturnType<typeof measureStorage>>;

function rowsOf(m: Memory, s: Storage): Row[] {
  const state = m.drained
    ? "worker drained"
    : `worker not drained after ${m.drainWaitCapSeconds} s: ${m.backlogLeft} left`;
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  return [
    {
      part: "5 memory",
      metric: `RSS after ${m.deliveries.toLocaleString("en")} deliveries`,
      result: `${mb(m.rssAfterDrainMb)} (${state}); at last ack ${mb(m.rssAfterIngestMb)}; peak ${mb(m.peakRssMb)}`,
      target: "≤ 200 MB",
      met: m.peakRssMb <= 200,
    },
    {
      part: "5 storage",
      metric: "store size per delivery (SQLite + WAL)",
      result: `${kb(s.bytesPerDelivery)} (${mb(s.bytes / 1e6)} for ${s.deliveries})`,
      target: "",
      met: null,
    },
    {
      part: "5 storage",
      metric: `retention ${RETENTION_DAYS} days (TRACKBRIDGE_RETENTION_DAYS), as a month later`,
      result:
        `${s.payloadsCleared} payloads cleared (${s.payloadsKept} kept: work unfinished); ` +
        `${mb(s.bytes / 1e6)} → ${mb(s.afterPruneBytes / 1e6)} file with ${mb(s.freeAfterPruneBytes / 1e6)} free → VACUUM ${mb(s.afterVacuumBytes / 1e6)}; ` +
        `≈ ${kb(s.prunedBytesPerDelivery)} per delivery once pruned`,
      target: "",
      met: null,
    },
  ];
}
