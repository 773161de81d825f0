// Runs before `npm run demo` and `npm test`: on a fresh clone (or after the lockfile
// changed) it installs exactly what package-lock.json pins, so each is one command.
// No dependencies of its own: it runs before any are installed.
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";

const installed = "node_modules/.package-lock.json";
const stale =
  !existsSync(installed) || statSync("package-lock.json").mtimeMs > statSync(installed).mtimeMs;
if (stale) {
  console.error("trackbridge: installing the locked dependencies (npm ci)…");
  const result = spawnSync("npm", ["ci", "--no-audit", "--no-fund"], { stdio: "inherit" });
  process.exit(result.status ?? 1);
}
