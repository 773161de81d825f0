/**
 * Compiles the benchmark's server scripts with esbuild (packages stay external, resolved from
 * node_modules) so they run on plain `node`: no TypeScript loader in the measured process,
 * whose RSS and start-up would otherwise include it. Output goes to node_modules/.cache, where
 * packages still resolve and no linter or git looks.
 */
import { createHash } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

export const BENCH_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const RESULTS_DIR = path.join(BENCH_DIR, "results");
// Named for the checkout: worktrees that share one node_modules (a link) each build their own.
const OUT_DIR = path.join(
  BENCH_DIR,
  "..",
  "node_modules",
  ".cache",
  `trackbridge-bench-${createHash("sha256").update(BENCH_DIR).digest("hex").slice(0, 8)}`,
);

export type ServerScript = "app-server" | "bare-probot" | "simulators";

/** Builds every server script once; returns the path of each compiled file. */
export async function bundleServers(): Promise<Record<ServerScript, string>> {
  const names: ServerScript[] = ["app-server", "bare-probot", "simulators"];
  await build({
    entryPoints: {
      ...Object.fromEntries(
        names.map((name) => [name, path.join(BENCH_DIR, "servers", `${name}.ts`)]),
      ),
      // The App starts its processing thread from `./thread-main.mjs` next to itself: in the
      // bundle that is this file, already JavaScript (thread-main.mjs in src/ loads tsx).
      "thread-main": path.join(BENCH_DIR, "..", "src", "thread", "thread-main.ts"),
      // The same for the SQLite delivery writer's thread (plain JavaScript already).
      "delivery-writer-thread": path.join(
        BENCH_DIR,
        "..",
        "src",
        "delivery",
        "delivery-writer-thread.mjs",
      ),
    },
    outdir: OUT_DIR,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    packages: "external",
    platform: "node",
    format: "esm",
    target: "node20",
    sourcemap: "linked",
    logLevel: "warning",
  });
  return Object.fromEntries(
    names.map((name) => [name, path.join(OUT_DIR, `${name}.mjs`)]),
  ) as Record<ServerScript, string>;
}
