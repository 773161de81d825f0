/**
 * Reads a V8 `.cpuprofile` (from `node --cpu-prof`) and says where the time went: self time
 * per function, self time per package, and inclusive time of trackbridge's own functions
 * (mapped back to src/ through the bundle's source map), so a missed target names its cause.
 */
import { existsSync, readFileSync } from "node:fs";
import { SourceMap } from "node:module";
import { fileURLToPath } from "node:url";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileLine {
  name: string;
  where: string;
  ms: number;
  /** Share of the busy (non-idle) time. */
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  idleMs: number;
  selfTop: ProfileLine[];
  byArea: ProfileLine[];
  /** trackbridge functions (src/) with the time spent in them and everything they called. */
  inclusiveSrc: ProfileLine[];
}

export function summarizeProfile(file: string, top = 12): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const parent = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });

  const locate = locator();
  const self = new Map<string, ProfileLine>();
  const areas = new Map<string, ProfileLine>();
  const inclusive = new Map<string, ProfileLine>();
  let idleMs = 0;
  const add = (map: Map<string, ProfileLine>, name: string, where: string, ms: number) => {
    const key = `${name}@${where}`;
    const line = map.get(key) ?? { name, where, ms: 0, share: 0 };
    line.ms += ms;
    map.set(key, line);
  };
  for (const [id, ms] of selfMs) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    const name = frame.functionName || "(anonymous)";
    if (name === "(idle)") {
      idleMs += ms;
      continue;
    }
    const where = locate(frame);
    add(self, name, where, ms);
    add(areas, areaOf(where, name), "", ms);
    // Inclusive: every distinct src/ function on this sample's stack gets the time once.
    const seen = new Set<string>();
    for (let node: number | undefined = id; node !== undefined; node = parent.get(node)) {
      const f = byId.get(node)?.callFrame;
      if (!f) break;
      const at = locate(f);
      const key = `${f.functionName}@${at}`;
      if (!at.startsWith("src/") || seen.has(key)) continue;
      seen.add(key);
      add(inclusive, f.functionName || "(anonymous)", at, ms);
    }
  }
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  const busy = totalMs - idleMs;
  const ranked = (map: Map<string, ProfileLine>) =>
    [...map.values()]
      .sort((a, b) => b.ms - a.ms)
      .slice(0, top)
      .map((line) => ({ ...line, share: busy > 0 ? line.ms / busy : 0 }));
  return {
    totalMs,
    idleMs,
    selfTop: ranked(self),
    byArea: ranked(areas),
    inclusiveSrc: ranked(inclusive),
  };
}

/** `file:line` in src/ (through the bundle's source map) or in node_modules/. */
function locator(): (frame: ProfileNode["callFrame"]) => string {
  const maps = new Map<string, SourceMap | null>();
  return (frame) => {
    const { url } = frame;
    if (!url) return "";
    if (url.endsWith(".mjs") && url.startsWith("file:")) {
      let map = maps.get(url);
      if (map === undefined) {
        const file = `${fileURLToPath(url)}.map`;
        map = existsSync(file) ? new SourceMap(JSON.parse(readFileSync(file, "utf8"))) : null;
        maps.set(url, map);
      }
      const entry = map?.findEntry(frame.lineNumber, frame.columnNumber);
      if (entry && "originalSource" in entry && entry.originalSource) {
        const source = entry.originalSource.replace(/^.*?\/(src|bench)\//, "$1/");
        return `${source}:${entry.originalLine + 1}`;
      }
    }
    const modules = url.lastIndexOf("node_modules/");
    if (modules !== -1)
      return `${url.slice(modules + "node_modules/".length)}:${frame.lineNumber + 1}`;
    return `${url}:${frame.lineNumber + 1}`;
  };
}

/** A package name, a src/ folder, `node:` internals, or V8's pseudo-frames ((garbage collector), (program)). */
function areaOf(where: string, name: string): string {
  if (!where) return name.startsWith("(") ? name : "(native)";
  if (where.startsWith("src/")) return where.split("/").slice(0, 2).join("/");
  if (where.startsWith("node:")) return "node: internals";
  const parts = where.split("/");
  return parts[0]?.startsWith("@") ? `${parts[0]}/${parts[1]}` : (parts[0] ?? where);
}
