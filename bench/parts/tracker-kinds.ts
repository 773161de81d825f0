/**
 * Part "kinds" — tracker API calls per action for every adapter mode the conformance kit
 * runs (src/simulators/scenario/kit-fixtures.ts: one fixture a kind, so a new tracker adds a
 * row), counted from its simulator's request log through the port (`applyAction`, no App): a
 * one-step move, the same move again (a no-op), a field write, and a routed move of k = 2
 * steps (through the config's waypoint). The first issue warms the caches (field list,
 * workflow graph); the counts are per issue over the next ones. Counts only, no timings.
 *
 *   npx tsx bench/parts/tracker-kinds.ts     # this part alone, printed
 */
import type { PlannedAction } from "../../src/core/types.js";
import { DEFAULT_STATUSES, type KitFixture } from "../../src/simulators/scenario/kit-fixture.js";
import { KIT_FIXTURES } from "../../src/simulators/scenario/kit-fixtures.js";
import { applyAction } from "../../src/trackers/apply-action.js";
import { createTracker } from "../../src/trackers/create-tracker.js";
import { markdownTable, type PartOutput, type Row } from "../lib/table.js";

const ISSUES = 11;
const SCENARIOS = ["move", "noop", "field", "routed (k=2)"] as const;
type Scenario = (typeof SCENARIOS)[number];

const move = (key: string, target: string, via?: string): PlannedAction => ({
  kind: "move",
  key,
  target,
  trigger: "approved",
  protect: [],
  ...(via ? { via: [via] } : {}),
});

/** Requests per issue for each scenario on one adapter mode; throws when the work did not happen. */
export async function countKind(f: KitFixture): Promise<Record<Scenario, number>> {
  const sim = await f.start();
  try {
    const connection = f.connection(sim.url);
    const tracker = createTracker(connection, f.options?.(connection, sim.url));
    const st = f.statuses ?? DEFAULT_STATUSES;
    const issues = (from: number) =>
      Array.from({ length: ISSUES }, (_, i) => {
        const { sim: simKey, key } = f.issue(from + i);
        sim.createIssue(simKey);
        return key;
      });
    // Fresh issues for the routed move, from Open again (no reset: adapters cache ids).
    const [fresh, routed] = [issues(1), issues(ISSUES + 1)];
    let keys = fresh;
    const perIssue = async (action: (key: string) => PlannedAction): Promise<number> => {
      await applyAction(tracker, action(keys[0]!));
      sim.resetRequests();
      for (const key of keys.slice(1)) {
        const result = await applyAction(tracker, action(key));
        if (!result.ok) throw new Error(`${f.name}: ${result.summary}`);
      }
      return sim.requests.length / (ISSUES - 1);
    };
    const counts = {
      move: await perIssue((key) => move(key, st.oneStep)),
      noop: await perIssue((key) => move(key, st.oneStep)),
      field: await perIssue((key) => ({
        kind: "set_field",
        key,
        field: f.field.id,
        value: `https://${key.toLowerCase()}.bench.example/`,
      })),
      "routed (k=2)": 0,
    };
    keys = routed;
    counts["routed (k=2)"] = await perIssue((key) => move(key, st.routed.target, st.routed.via));
    return counts;
  } finally {
    await sim.close();
  }
}

export async function benchTrackerKinds(ctx: { say(message: string): void }): Promise<PartOutput> {
  const results: Record<string, Record<Scenario, number>> = {};
  for (const fixture of KIT_FIXTURES) {
    results[fixture.name] = await countKind(fixture);
    ctx.say(`  ${fixture.name}: ${JSON.stringify(results[fixture.name])} calls per issue`);
  }
  const rows: Row[] = SCENARIOS.map((scenario) => ({
    part: "3b tracker calls by kind",
    metric: `calls per ${scenario}`,
    result: Object.entries(results)
      .map(([name, counts]) => `${name} ${counts[scenario]}`)
      .join(", "),
    target: "",
    met: null,
  }));
  const detail = markdownTable(
    ["adapter", ...SCENARIOS],
    Object.entries(results).map(([name, counts]) => [
      name,
      ...SCENARIOS.map((s) => String(counts[s])),
    ]),
  );
  return { rows, data: results, detail };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const output = await benchTrackerKinds({
    say: (message) => process.stderr.write(`${message}\n`),
  });
  process.stdout.write(`${output.detail}\n`);
}
