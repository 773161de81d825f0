import { readdirSync } from "node:fs";
import { summarizeProfile } from "./lib/profile-summary.js";
const dir = process.argv[2]!;
const s = summarizeProfile(`${dir}/${readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"))[0]}`, 20);
console.log("total", s.totalMs.toFixed(0), "idle", s.idleMs.toFixed(0));
for (const f of s.topFunctions) console.log((f.share * 100).toFixed(1).padStart(5), f.selfMs.toFixed(0).padStart(6), f.name, f.where);
