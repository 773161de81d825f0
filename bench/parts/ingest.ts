/**
 * Part 1 — ingest, the App versus bare Probot. Both get the same signed `pull_request`
 * webhooks (~23 KB, unique delivery ids) from the same autocannon load, at fixed rates and
 * at the maximum. Each (server, rate) runs on a fresh process (and, for the App, a fresh
 * database), so a backlog or a heap grown by one step does not tax the next.
 *
 * The App is the real one: it acks after the SQLite commit, and its worker then plans each
 * delivery and moves issues against the simulators in their own process. That work shares
 * the App's CPU with ingest, as it would in production; the backlog left at the end of each
 * step is reported.
 */
import {
  type BenchContext,
  type RunningServer,
  seedPullRequests,
  startApp,
  startBareProbot,
} from "../lib/context.js";
import { type LoadResult, runWebhookLoad } from "../lib/load.js";
import { profileApp, threadProfilesMarkdown } from "../lib/profile.js";
import { median, round } from "../lib/stats.js";
import { markdownTable, mb, ms, type PartOutput, type Row } from "../lib/table.js";

type ServerKind = "app" | "bare";
const RATES = [100, 200, 400, "max"] as const;
type Step = (typeof RATES)[number];

interface Measurement {
  server: ServerKind;
  step: Step;
  connections: number;
  load: LoadResult;
  peakRssMb: number;
  /** Deliveries, jobs and reports the App still had to do when the load stopped. */
  backlog: number;
}

const PR_POOL = 50;
/**
 * The ack-latency pair at 200/s (bare Probot, then the App) runs this many times: bare
 * Probot's own p99 swings between runs (9.9–22.4 ms over one day's full runs), so the App is
 * judged on the median of the pairs' ratios, each pair taken back to back.
 */
const PAIRS = 3;
const FIXED_CONNECTIONS = 10;
const MAX_CONNECTIONS = 32;

export async function benchIngest(ctx: BenchContext): Promise<PartOutput> {
  const bodies = await seedPullRequests(ctx, PR_POOL);
  const seconds = ctx.quick ? 3 : 6;
  const measurements: Measurement[] = [];
  for (const step of RATES) {
    for (const server of ["bare", "app"] as const) {
      const m = await measure(ctx, server, step, bodies, seconds);
      ctx.say(
        `  ingest ${server.padEnd(4)} ${String(step).padStart(3)}: ${m.load.throughput.toFixed(0)}/s, p50 ${ms(m.load.latencyMs.p50)}, p99 ${ms(m.load.latencyMs.p99)}, peak RSS ${mb(m.peakRssMb)}, backlog ${m.backlog}`,
      );
      measurements.push(m);
    }
  }
  const pairs: Pair[] = [
    { bare: find(measurements, "bare", 200), app: find(measurements, "app", 200) },
  ];
  while (pairs.length < PAIRS) {
    const bare = await measure(ctx, "bare", 200, bodies, seconds);
    const app = await measure(ctx, "app", 200, bodies, seconds);
    ctx.say(
      `  ingest pair ${pairs.length + 1} at 200/s: p99 App ${ms(app.load.latencyMs.p99)} / bare ${ms(bare.load.latencyMs.p99)}`,
    );
    pairs.push({ bare, app });
  }
  const rows = [...rowsOf(measurements), pairRow(pairs)];
  let detail = detailOf(measurements);
  let profile: unknown = null;
  if (rows.some((row) => row.met === false)) {
    ctx.say("  an ingest target was missed: profiling the App at the maximum rate");
    const summary = await profileApp(ctx, "ingest-max", (url) =>
      runWebhookLoad({
        url,
        secret: ctx.webhookSecret,
        event: "pull_request",
        bodies,
        runId: "profile",
        connections: MAX_CONNECTIONS,
        durationSeconds: seconds,
      }),
    );
    profile = summary;
    detail += `\n\n${threadProfilesMarkdown("CPU profile of the App at the maximum rate", summary)}`;
  }
  const pairData = pairs.map((pair) => ({ bare: toJson(pair.bare), app: toJson(pair.app) }));
  return {
    rows,
    data: { measurements: measurements.map(toJson), pairs: pairData, profile },
    detail,
  };
}

interface Pair {
  bare: Measurement;
  app: Measurement;
}

function pairRow(pairs: readonly Pair[]): Row {
  const ratios = pairs.map((pair) => pair.app.load.latencyMs.p99 / pair.bare.load.latencyMs.p99);
  const ratio = median(ratios);
  const each = pairs
    .map(
      (pair, i) =>
        `${ms(pair.app.load.latencyMs.p99)} / ${ms(pair.bare.load.latencyMs.p99)} (${ratios[i]!.toFixed(2)}×)`,
    )
    .join("; ");
  return {
    part: "1 ingest",
    metric: `ack p99 at 200/s, App / bare Probot, ${pairs.length} pairs back to back: median ratio`,
    result: `${ratio.toFixed(2)}× (${each})`,
    target: "≤ 1.5×",
    met: ratio <= 1.5,
  };
}

async function measure(
  ctx: BenchContext,
  server: ServerKind,
  step: Step,
  bodies: string[],
  seconds: number,
): Promise<Measurement> {
  const name = `ingest-${server}-${step}`;
  const running: RunningServer =
    server === "app" ? await startApp(ctx, name) : await startBareProbot(ctx, name);
  try {
    const base = { url: running.url, secret: ctx.webhookSecret, event: "pull_request", bodies };
    // Warm-up: JIT, connection set-up, Octokit's installation token — not measured.
    await runWebhookLoad({
      ...base,
      runId: `${name}-warmup`,
      connections: 4,
      rate: 200,
      amount: 200,
    });
    const connections = step === "max" ? MAX_CONNECTIONS : FIXED_CONNECTIONS;
    const load = await runWebhookLoad({
      ...base,
      runId: name,
      connections,
      durationSeconds: seconds,
      ...(step === "max" ? {} : { rate: step }),
    });
    const { peakRssMb } = running.child.memory();
    const { outstanding } = await running.child.call<{ outstanding: number }>("stats");
    return { server, step, connections, load, peakRssMb, backlog: outstanding };
  } finally {
    await running.child.stop();
  }
}

function find(measurements: Measurement[], server: ServerKind, step: Step): Measurement {
  const found = measurements.find((m) => m.server === server && m.step === step);
  if (!found) throw new Error(`no ingest measurement for ${server} at ${step}`);
  return found;
}

function rowsOf(measurements: Measurement[]): Row[] {
  const appMax = find(measurements, "app", "max");
  const bareMax = find(measurements, "bare", "max");
  const ratio = appMax.load.throughput / bareMax.load.throughput;
  const app200 = find(measurements, "app", 200);
  const latency = (m: Measurement) =>
    `p50 ${ms(m.load.latencyMs.p50)} / p95 ${ms(m.load.latencyMs.p95)} / p99 ${ms(m.load.latencyMs.p99)}`;
  const peakApp = Math.max(
    ...measurements.filter((m) => m.server === "app").map((m) => m.peakRssMb),
  );
  const peakBare = Math.max(
    ...measurements.filter((m) => m.server === "bare").map((m) => m.peakRssMb),
  );
  return [
    {
      part: "1 ingest",
      metric: "max throughput, App / bare Probot",
      result: `${appMax.load.throughput.toFixed(0)}/s / ${bareMax.load.throughput.toFixed(0)}/s = ${(ratio * 100).toFixed(0)}%`,
      target: "≥ 70%",
      met: ratio >= 0.7,
    },
    {
      part: "1 ingest",
      metric: "ack latency at 200/s, App",
      result: latency(app200),
      target: "p99 ≤ 25 ms",
      met: app200.load.latencyMs.p99 <= 25,
    },
    {
      part: "1 ingest",
      metric: "ack latency at 200/s, bare Probot",
      result: latency(find(measurements, "bare", 200)),
      target: "",
      met: null,
    },
    {
      part: "1 ingest",
      metric: "peak RSS, App / bare Probot",
      result: `${mb(peakApp)} / ${mb(peakBare)}`,
      target: "",
      met: null,
    },
  ];
}

function detailOf(measurements: Measurement[]): string {
  const lines = RATES.flatMap((step) => {
    const app = find(measurements, "app", step);
    const bare = find(measurements, "bare", step);
    return [bare, app].map((m) => [
      m.server === "app" ? "App" : "bare Probot",
      step === "max" ? `max (${m.connections} conns)` : `${step}/s (${m.connections} conns)`,
      `${m.load.throughput.toFixed(0)}/s`,
      m.server === "app"
        ? `${((app.load.throughput / bare.load.throughput) * 100).toFixed(0)}%`
        : "",
      ms(m.load.latencyMs.p50),
      ms(m.load.latencyMs.p95),
      ms(m.load.latencyMs.p99),
      mb(m.peakRssMb),
      `${m.load.non2xx + m.load.errors}`,
      m.server === "app" ? String(m.backlog) : "",
    ]);
  });
  return markdownTable(
    [
      "server",
      "offered",
      "acked",
      "App/bare",
      "p50",
      "p95",
      "p99",
      "peak RSS",
      "errors",
      "backlog at end",
    ],
    lines,
  );
}

function toJson(m: Measurement) {
  return {
    server: m.server,
    rate: m.step,
    connections: m.connections,
    sent: m.load.sent,
    acked: m.load.ok,
    non2xx: m.load.non2xx,
    errors: m.load.errors,
    seconds: round(m.load.seconds, 2),
    throughputPerSecond: round(m.load.throughput, 1),
    latencyMs: Object.fromEntries(
      Object.entries(m.load.latencyMs).map(([k, v]) => [k, round(v, 3)]),
    ),
    peakRssMb: round(m.peakRssMb, 1),
    backlog: m.backlog,
  };
}
