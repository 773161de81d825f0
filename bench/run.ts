/**
 * `npm run bench`: every part of issue 5's benchmark in one run, against the simulators on
 * loopback, with bare Probot as the baseline on the same machine. Prints the table and
 * writes bench/results/latest.json. Timings never go into tests.
 *
 *   npm run bench                      # everything (~4 min on 2 cores, and "sustained": 199 s busy)
 *   npm run bench -- --only ingest,e2e # some parts
 *   npm run bench -- --only sustained --backend sqlite --rates 100   # see parts/sustained.ts
 *   npm run bench -- --quick           # shorter runs, to try the harness (not for RESULTS.md)
 */
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { RESULTS_DIR } from "./lib/bundle.js";
import { type BenchContext, closeContext, createContext } from "./lib/context.js";
import { LoadMonitor } from "./lib/machine-load.js";
import { markdownTable, type PartOutput, type Row, rowsTable } from "./lib/table.js";
import { benchEndToEnd } from "./parts/end-to-end.js";
import { benchExtraction } from "./parts/extraction.js";
import { benchFairness } from "./parts/fairness.js";
import { benchGithubRequests } from "./parts/github-requests.js";
import { benchIngest } from "./parts/ingest.js";
import { benchStorage } from "./parts/storage.js";
import { benchSustained } from "./parts/sustained.js";
import { benchTrackerCalls } from "./parts/tracker-calls.js";
import { benchTrackerKinds } from "./parts/tracker-kinds.js";

const PARTS: Record<string, (ctx: BenchContext) => Promise<PartOutput>> = {
  ingest: benchIngest,
  e2e: benchEndToEnd,
  calls: benchTrackerCalls,
  kinds: benchTrackerKinds,
  extraction: benchExtraction,
  storage: benchStorage,
  github: benchGithubRequests,
  sustained: benchSustained,
  fairness: benchFairness,
};

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const onlyIndex = args.indexOf("--only");
const only = onlyIndex === -1 ? Object.keys(PARTS) : (args[onlyIndex + 1] ?? "").split(",");
for (const name of only) {
  if (!PARTS[name])
    throw new Error(`unknown part "${name}"; parts: ${Object.keys(PARTS).join(", ")}`);
}

const say = (message: string) => process.stderr.write(`${message}\n`);
const machine = {
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model ?? "unknown",
  memoryGb: Math.round(os.totalmem() / 1024 ** 3),
  node: process.version,
  platform: `${os.type()} ${os.release()} ${os.arch()}`,
};
say(
  `trackbridge bench: ${machine.cpus} cores (${machine.cpuModel}), Node ${machine.node}${quick ? ", QUICK mode" : ""}`,
);

const started = Date.now();
const ctx = await createContext({ quick, say });
const rows: Row[] = [];
const data: Record<string, unknown> = {};
const details: string[] = [];
const neighbours: Array<{ part: string; seconds: number; otherCpuPercent: number | null }> = [];
const monitor = new LoadMonitor(() => [ctx.sims.pid]);
try {
  for (const name of only) {
    const partStarted = Date.now();
    say(`\n== ${name}`);
    monitor.lap();
    const output = await PARTS[name]!(ctx);
    const otherCpuPercent = monitor.lap();
    rows.push(...output.rows);
    data[name] = output.data;
    if (output.detail) details.push(`### ${name}\n\n${output.detail}`);
    const seconds = (Date.now() - partStarted) / 1000;
    neighbours.push({
      part: name,
      seconds: Math.round(seconds),
      otherCpuPercent: otherCpuPercent === null ? null : Math.round(otherCpuPercent),
    });
    say(
      `== ${name} took ${seconds.toFixed(0)} s; other processes used ${otherCpuPercent === null ? "?" : otherCpuPercent.toFixed(0)}% CPU meanwhile`,
    );
  }
} finally {
  await closeContext(ctx);
}

const seconds = (Date.now() - started) / 1000;
const table = rowsTable(rows);
const machineLoad = markdownTable(
  ["part", "took", "CPU used by other processes (100% = one core)"],
  neighbours.map((n) => [
    n.part,
    `${n.seconds} s`,
    n.otherCpuPercent === null ? "unknown" : `${n.otherCpuPercent}%`,
  ]),
);
details.push(
  `### machine load\n\nThe machine has ${machine.cpus} cores; anything else running on it competes with the benchmark.\n\n${machineLoad}`,
);
process.stdout.write(`\n${table}\n\n${details.join("\n\n")}\n\nTotal: ${seconds.toFixed(0)} s\n`);
mkdirSync(RESULTS_DIR, { recursive: true });
const at = new Date().toISOString();
const file = path.join(RESULTS_DIR, "latest.json");
writeFileSync(
  file,
  `${JSON.stringify({ at, quick, seconds: Math.round(seconds), machine, neighbours, rows, parts: data, table, details }, null, 2)}\n`,
);
// The same, as Markdown: what bench/RESULTS.md is updated from.
writeFileSync(
  path.join(RESULTS_DIR, "latest.md"),
  [
    `Run ${at}${quick ? " (QUICK mode: not for RESULTS.md)" : ""}, ${Math.round(seconds)} s.`,
    `Machine: ${machine.cpus} cores (${machine.cpuModel}), ${machine.memoryGb} GB, ${machine.platform}, Node ${machine.node}.`,
    "",
    table,
    "",
    details.join("\n\n"),
    "",
  ].join("\n"),
);
say(`wrote ${path.relative(process.cwd(), file)} and latest.md`);
