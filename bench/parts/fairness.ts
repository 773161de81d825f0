/**
 * Part "fairness" — one installation's flood must not stall another's events. A quiet
 * installation sends realistic PR lives at 5 events/s; a noisy one (another installation id,
 * its own repository, the same tracker connection) opens PRs naming many keys each, far more
 * tracker jobs than the connection's slots carry, so its jobs pile up by the thousand. The
 * target is the quiet installation's ack → tracker done p99 ≤ 2 s; the baseline, in the same
 * run, is the quiet installation alone. One App on SQLite (the default deployment).
 *
 *   npm run bench -- --only fairness
 */
import { Agent } from "node:http";
import { sqliteBackend } from "../lib/backends.js";
import type { BenchContext } from "../lib/context.js";
import { round, type Summary, summarize } from "../lib/stats.js";
import { markdownTable, ms, type PartOutput, type Row } from "../lib/table.js";
import { postWebhook } from "../lib/webhook-post.js";

const QUIET_RATE = 5;
const TARGET_P99_MS = 2_000;
/** The noisy installation: PRs opened per second, keys each (a move and a link per key). */
const NOISY_RATE = 10;
const NOISY_KEYS = 25;
/** How long the quiet installation's last events may take to finish after the window. */
const SETTLE_LIMIT_MS = 15_000;

interface Step {
  label: string;
  quietSent: number;
  noisySent: number;
  /** The quiet installation's deliveries: ack (received) → their last tracker job done. */
  quiet: Summary;
  /** Of that, ack → planned (its jobs written): the wait for a planning slot. */
  quietPlanning: Summary;
  /** Quiet deliveries whose jobs had not all finished SETTLE_LIMIT_MS after the window. */
  quietUnfinished: number;
  /** Noisy jobs still waiting when the window ended: the flood's backlog. */
  noisyBacklog: number;
  errors: number;
}

let runs = 0;

export async function benchFairness(ctx: BenchContext): Promise<PartOutput> {
  const seconds = ctx.quick ? 5 : 15;
  const alone = await runStep(ctx, "quiet alone (baseline)", seconds, false);
  ctx.say(`  ${line(alone)}`);
  const flooded = await runStep(ctx, "quiet while the noisy one floods", seconds, true);
  ctx.say(`  ${line(flooded)}`);
  const met = flooded.quietUnfinished === 0 && flooded.quiet.p99 <= TARGET_P99_MS;
  const rows: Row[] = [
    {
      part: "fairness",
      metric: `quiet installation (${QUIET_RATE} events/s) ack → tracker done while another floods (${NOISY_RATE} PRs/s × ${NOISY_KEYS} keys)`,
      result: `p50 ${ms(flooded.quiet.p50)} / p99 ${ms(flooded.quiet.p99)}${flooded.quietUnfinished ? `; ${flooded.quietUnfinished} unfinished` : ""}; the flood left ${flooded.noisyBacklog} jobs waiting`,
      target: `p99 ≤ ${TARGET_P99_MS} ms`,
      met,
    },
    {
      part: "fairness",
      metric: "baseline: the quiet installation alone, same run",
      result: `p50 ${ms(alone.quiet.p50)} / p99 ${ms(alone.quiet.p99)}`,
      target: "",
      met: null,
    },
  ];
  const detail = [
    `Each step: ${seconds} s; the quiet installation sends realistic PR lives (bench/lib/pr-life.ts) at ${QUIET_RATE}/s; ` +
      `in the second the noisy one opens ${NOISY_RATE} PRs/s naming ${NOISY_KEYS} keys each, on the same tracker connection. ` +
      "ack → tracker done: a quiet delivery's received time to its last job's end, from the store.",
    markdownTable(
      [
        "step",
        "quiet sent",
        "noisy sent",
        "quiet ack → tracker p50 / p95 / p99 / max",
        "of which ack → planned p50 / p99",
        "noisy jobs waiting at the end",
      ],
      [alone, flooded].map((s) => [
        s.label,
        String(s.quietSent),
        String(s.noisySent),
        `${ms(s.quiet.p50)} / ${ms(s.quiet.p95)} / ${ms(s.quiet.p99)} / ${ms(s.quiet.max)}`,
        `${ms(s.quietPlanning.p50)} / ${ms(s.quietPlanning.p99)}`,
        String(s.noisyBacklog),
      ]),
    ),
  ].join("\n\n");
  const rounded = (s: Step) => ({
    ...s,
    quiet: Object.fromEntries(Object.entries(s.quiet).map(([k, v]) => [k, round(v, 1)])),
    quietPlanning: Object.fromEntries(
      Object.entries(s.quietPlanning).map(([k, v]) => [k, round(v, 1)]),
    ),
  });
  return { rows, data: { alone: rounded(alone), flooded: rounded(flooded) }, detail };
}

function line(s: Step): string {
  return (
    `${s.label}: quiet ack → tracker p50 ${ms(s.quiet.p50)} p99 ${ms(s.quiet.p99)} max ${ms(s.quiet.max)} ` +
    `(ack → planned p50 ${ms(s.quietPlanning.p50)} p99 ${ms(s.quietPlanning.p99)})` +
    `${s.quietUnfinished ? `, ${s.quietUnfinished} unfinished` : ""}; noisy sent ${s.noisySent}, ` +
    `${s.noisyBacklog} of its jobs waiting at the end${s.errors ? `; ${s.errors} webhooks failed` : ""}`
  );
}

async function runStep(
  ctx: BenchContext,
  label: string,
  seconds: number,
  flood: boolean,
): Promise<Step> {
  const run = await sqliteBackend(ctx).start(`fairness-${++runs}`);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const base = 20_000_000 + runs * 400_000;
  let errors = 0;
  const send = (event: string, body: string, deliveryId: string) =>
    postWebhook({
      agent,
      url: run.apps[0]!.url,
      event,
      body,
      deliveryId,
      secret: ctx.webhookSecret,
    }).catch(() => {
      errors++;
    });
  try {
    await ctx.sims.call("reset");
    await ctx.sims.call("startMix", { base, active: QUIET_RATE * 2 });
    await ctx.sims.call("startNoisy", { base: 90_000 + runs * 10_000 });
    const quietTotal = QUIET_RATE * seconds;
    const quietEvents = await ctx.sims.call<Array<{ event: string; body: string }>>("mixEvents", {
      count: quietTotal,
    });
    const noisyTotal = flood ? NOISY_RATE * seconds : 0;
    const noisyBodies = flood
      ? await ctx.sims.call<string[]>("noisyEvents", { count: noisyTotal, keys: NOISY_KEYS })
      : [];
    const since = new Date().toISOString();
    const start = performance.now();
    const at = (offsetMs: number) => sleep(start + offsetMs - performance.now());
    const sent: Promise<void>[] = [];
    const quiet = (async () => {
      for (const [i, event] of quietEvents.entries()) {
        await at((i * 1000) / QUIET_RATE);
        sent.push(send(event.event, event.body, `quiet-${runs}-${i}`));
      }
    })();
    const noisy = (async () => {
      for (const [i, body] of noisyBodies.entries()) {
        await at((i * 1000) / NOISY_RATE);
        sent.push(send("pull_request", body, `noisy-${runs}-${i}`));
      }
    })();
    await Promise.all([quiet, noisy]);
    await Promise.all(sent);
    const noisyBacklog = await count(
      run.reader,
      "SELECT COUNT(*) AS n FROM jobs WHERE delivery_id LIKE 'noisy-%' AND state IN ('pending', 'running')",
    );
    // The quiet installation's last events finish (or the limit passes).
    const deadline = Date.now() + SETTLE_LIMIT_MS;
    const quietOpen = () =>
      count(
        run.reader,
        `SELECT (SELECT COUNT(*) FROM deliveries WHERE id LIKE 'quiet-%' AND state = 'received')
          + (SELECT COUNT(*) FROM jobs WHERE delivery_id LIKE 'quiet-%' AND state IN ('pending', 'running')) AS n`,
      );
    while ((await quietOpen()) > 0 && Date.now() < deadline) await sleep(200);
    const done = await run.reader.rows<{
      received_at: string;
      done_at: number;
      planned_at: number;
    }>(
      `SELECT d.received_at, MAX(j.updated_at) AS done_at, MIN(j.created_at) AS planned_at
        FROM deliveries d
        JOIN jobs j ON j.delivery_id = d.id
        WHERE d.id LIKE 'quiet-%' AND d.received_at >= ? AND j.state = 'done'
        GROUP BY d.id, d.received_at`,
      [since],
    );
    return {
      label,
      quietSent: quietTotal,
      noisySent: noisyTotal,
      quiet: summarize(done.map((row) => Number(row.done_at) - Date.parse(row.received_at))),
      quietPlanning: summarize(
        done.map((row) => Number(row.planned_at) - Date.parse(row.received_at)),
      ),
      quietUnfinished: await quietOpen(),
      noisyBacklog,
      errors,
    };
  } finally {
    agent.destroy();
    await run.stop();
  }
}

async function count(
  reader: { row<T>(sql: string, params: readonly unknown[]): Promise<T | undefined> },
  sql: string,
): Promise<number> {
  return Number((await reader.row<{ n: number }>(sql, []))?.n ?? 0);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
