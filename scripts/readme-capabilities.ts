/** Rewrites the README's capability table from the tracker kinds' registry. */
import { readFileSync, writeFileSync } from "node:fs";
import { withCapabilityTable } from "../src/trackers/capability-table.js";

const file = new URL("../README.md", import.meta.url);
writeFileSync(file, withCapabilityTable(readFileSync(file, "utf8")));
