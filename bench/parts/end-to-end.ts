/**
 * Part 2 — end to end: from the moment a `pull_request.opened` webhook is sent to the
 * moment the tracker simulator receives the transition, through the App's store, worker and
 * outbox. Events go out evenly paced at 50/s (one every 20 ms), each for its own PR and its
 * own Open issue, so every event ends in exactly one transition request. Times are wall
 * clock (Date.now) in both processes; the tracker stamps a request when its body arrives.
 */
import { Agent } from "node:http";
import { type BenchContext, seedPullRequests, startApp } from "../lib/context.js";
import { profileApp, threadProfilesMarkdown } from "../lib/profile.js";
import { round, type Summary, summarize } from "../lib/stats.js";
import { ms, type PartOutput, type Row } from "../lib/table.js";
import { paced, postWebhook } from "../lib/webhook-post.js";
import type { TrackerRequest } from "../servers/simulators.js";

const RATE = 50;
const TRANSITION = /^\/v2\/issues\/([^/]+)\/transitions\/[^/]+\/_execute$/;
/** The move's first call (read the issue and its transitions): splits the time into "until the job ran" and "the job". */
const READ_ISSUE = /^\/v2\/issues\/([^/]+)$/;

export async function benchEndToEnd(ctx: BenchContext): Promise<PartOutput> {
  const seconds = ctx.quick ? 4 : 10;
  const app = await startApp(ctx, "end-to-end");
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  try {
    const send = (body: string, id: string) => post(agent, app.url, body, id, ctx.webhookSecret);
    // Warm-up: JIT, the installation token, connections to the simulators.
    const warm = await seedPullRequests(ctx, 40);
    await paced(warm, 20, (body, i) => send(body, `e2e-warmup-${i}`));
    await app.child.call("drain");

    const bodies = await seedPullRequests(ctx, RATE * seconds);
    const keys = bodies.map(keyOf);
    const { tracker: logStart } = await ctx.sims.call<{ tracker: number }>("counts");
    const sentAt: number[] = [];
    const ackMs: number[] = [];
    await paced(bodies, RATE, async (body, i) => {
      sentAt[i] = Date.now();
      const started = performance.now();
      await send(body, `e2e-${i}`);
      ackMs[i] = performance.now() - started;
    });
    const arrivals = await waitForTransitions(ctx, logStart, new Set(keys), 60_000);
    const since = (stamps: Map<string, number>) =>
      keys.flatMap((key, i) => {
        const at = stamps.get(key);
        return at === undefined ? [] : [at - sentAt[i]!];
      });
    const endToEnd = since(arrivals.transitions);
    const toFirstCall = since(arrivals.reads);
    const result = {
      events: keys.length,
      rate: RATE,
      transitions: endToEnd.length,
      missing: keys.length - endToEnd.length,
      endToEndMs: summarize(endToEnd),
      toFirstTrackerCallMs: summarize(toFirstCall),
      ackMs: summarize(ackMs),
      peakRssMb: app.child.memory().peakRssMb,
    };
    ctx.say(
      `  e2e: p50 ${ms(result.endToEndMs.p50)}, p99 ${ms(result.endToEndMs.p99)}, missing ${result.missing}`,
    );
    ctx.say(
      `  sent → move job's first tracker call: p50 ${ms(result.toFirstTrackerCallMs.p50)}, p99 ${ms(result.toFirstTrackerCallMs.p99)}`,
    );
    const data = {
      ...result,
      endToEndMs: rounded(result.endToEndMs),
      toFirstTrackerCallMs: rounded(result.toFirstTrackerCallMs),
      ackMs: rounded(result.ackMs),
    };
    const rows = rowsOf(result);
    if (rows.some((row) => row.met === false)) {
      await app.child.stop();
      ctx.say("  the end-to-end target was missed: profiling the App at 50/s");
      const summary = await profileApp(ctx, "end-to-end", async (url) => {
        const more = await seedPullRequests(ctx, RATE * 5);
        const { tracker: from } = await ctx.sims.call<{ tracker: number }>("counts");
        await paced(more, RATE, (body, i) =>
          post(agent, url, body, `e2e-profile-${i}`, ctx.webhookSecret),
        );
        await waitForTransitions(ctx, from, new Set(more.map(keyOf)), 20_000);
      });
      return {
        rows,
        data: { ...data, profile: summary },
        detail: threadProfilesMarkdown("CPU profile of the App at 50 events/s", summary),
      };
    }
    return { rows, data };
  } finally {
    agent.destroy();
    await app.child.stop();
  }
}

function rowsOf(r: {
  endToEndMs: Summary;
  toFirstTrackerCallMs: Summary;
  ackMs: Summary;
  missing: number;
  events: number;
}): Row[] {
  const e = r.endToEndMs;
  return [
    {
      part: "2 end to end",
      metric: `webhook sent → transition at the tracker, ${RATE}/s`,
      result: `p50 ${ms(e.p50)} / p99 ${ms(e.p99)}${r.missing ? ` (${r.missing} of ${r.events} never arrived)` : ""}`,
      target: "p50 ≤ 30 ms, p99 ≤ 100 ms",
      met: r.missing === 0 && e.p50 <= 30 && e.p99 <= 100,
    },
    {
      part: "2 end to end",
      metric: "of which: sent → the move's first tracker call",
      result: `p50 ${ms(r.toFirstTrackerCallMs.p50)} / p99 ${ms(r.toFirstTrackerCallMs.p99)}`,
      target: "",
      met: null,
    },
    {
      part: "2 end to end",
      metric: `ack latency at ${RATE}/s (paced)`,
      result: `p50 ${ms(r.ackMs.p50)} / p99 ${ms(r.ackMs.p99)}`,
      target: "",
      met: null,
    },
  ];
}

function post(
  agent: Agent,
  url: string,
  body: string,
  deliveryId: string,
  secret: string,
): Promise<void> {
  return postWebhook({ agent, url, event: "pull_request", body, deliveryId, secret });
}

/** When each key's transition (and the read before it) reached the tracker. */
async function waitForTransitions(
  ctx: BenchContext,
  from: number,
  keys: Set<string>,
  timeoutMs: number,
) {
  const transitions = new Map<string, number>();
  const reads = new Map<string, number>();
  const deadline = Date.now() + timeoutMs;
  let seen = from;
  while (transitions.size < keys.size && Date.now() < deadline) {
    const requests = await ctx.sims.call<TrackerRequest[]>("trackerRequests", { from: seen });
    seen += requests.length;
    for (const r of requests) {
      const [stamps, key] =
        r.method === "POST"
          ? [transitions, TRANSITION.exec(r.path)?.[1]]
          : [reads, READ_ISSUE.exec(r.path)?.[1]];
      if (key && keys.has(key) && !stamps.has(key)) stamps.set(key, r.at);
    }
    if (transitions.size < keys.size) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { transitions, reads };
}

function keyOf(body: string): string {
  const payload = JSON.parse(body) as { pull_request: { head: { ref: string } } };
  const key = /PROJ-\d+/.exec(payload.pull_request.head.ref)?.[0];
  if (!key) throw new Error(`no key in ${payload.pull_request.head.ref}`);
  return key;
}

function rounded(summary: Summary) {
  return Object.fromEntries(Object.entries(summary).map(([k, v]) => [k, round(v, 2)]));
}
