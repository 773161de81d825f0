/**
 * Keeps docs/ARCHITECTURE.md true: the files and functions its walk names exist, the rooms
 * import only what its table allows, no runtime import cycle, and no file of src past 300 lines.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { importCycles, ROOT, roomOf, runtimeImports, sourceFiles } from "./import-graph.js";

const DOC = fs.readFileSync(path.join(ROOT, "docs/ARCHITECTURE.md"), "utf8");
const FILES = sourceFiles();
const MAX_LINES = 300;

/** `src/…` paths in backticks, each with the backticked name that follows it, if any. */
function namedSteps(doc: string): Array<{ file: string; symbol?: string }> {
  const steps: Array<{ file: string; symbol?: string }> = [];
  const pattern = /`((?:src|test)\/[\w/.-]+\.(?:ts|tsx|mjs))`(?:\s+`([A-Za-z_]\w*)`)?/g;
  for (const match of doc.matchAll(pattern)) {
    steps.push({ file: match[1] as string, ...(match[2] ? { symbol: match[2] } : {}) });
  }
  return steps;
}

/** The rooms table: room → the rooms it may import (null: any). */
function allowedImports(doc: string): Map<string, Set<string> | null> {
  const allowed = new Map<string, Set<string> | null>();
  const seen: string[] = [];
  for (const line of doc.split("\n")) {
    const cells = line.split("|").map((cell) => cell.trim());
    const rooms = [...(cells[1] ?? "").matchAll(/`src\/(\w+)`/g)].map((m) => m[1] as string);
    if (rooms.length === 0 || cells.length < 5) continue;
    const may = cells[3] ?? "";
    const named = new Set(may.split(/[,\s]+/).filter((word) => /^[a-z]+$/.test(word)));
    for (const room of rooms) {
      if (may.startsWith("nothing")) allowed.set(room, new Set());
      else if (may.startsWith("all of the above")) allowed.set(room, new Set(seen));
      else if (/^(everything|what they)/.test(may)) allowed.set(room, null);
      else allowed.set(room, named);
    }
    seen.push(...rooms);
  }
  return allowed;
}

describe("the architecture as docs/ARCHITECTURE.md writes it", () => {
  it("names only files and functions that exist", () => {
    const steps = namedSteps(DOC);
    expect(steps.length).toBeGreaterThan(20);
    const missing = steps.flatMap(({ file, symbol }) => {
      const full = path.join(ROOT, file);
      if (!fs.existsSync(full)) return [`${file} does not exist`];
      if (symbol && !new RegExp(`\\b${symbol}\\b`).test(fs.readFileSync(full, "utf8"))) {
        return [`${file} has no ${symbol}`];
      }
      return [];
    });
    expect(missing).toEqual([]);
  });

  it("has a row in the rooms table for every folder of src", () => {
    const rooms = new Set(FILES.map(roomOf));
    const table = allowedImports(DOC);
    expect([...rooms].filter((room) => !table.has(room)).sort()).toEqual([]);
  });

  it("keeps the arrows between rooms one way, as the table allows", () => {
    const table = allowedImports(DOC);
    const wrong: string[] = [];
    for (const [file, targets] of runtimeImports(FILES)) {
      const from = roomOf(file);
      const may = table.get(from);
      for (const target of targets) {
        const to = roomOf(target);
        if (to === from || may === null || may === undefined || may.has(to)) continue;
        wrong.push(`${path.relative(ROOT, file)} imports ${path.relative(ROOT, target)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("has no runtime import cycle in src", () => {
    const cycles = importCycles(runtimeImports(FILES)).map((cycle) =>
      cycle.map((file) => path.relative(ROOT, file)),
    );
    expect(cycles).toEqual([]);
  });

  it(`keeps every file of src under ${MAX_LINES} lines`, () => {
    const long = FILES.flatMap((file) => {
      const lines = fs.readFileSync(file, "utf8").split("\n").length - 1;
      const name = path.relative(ROOT, file);
      return lines > MAX_LINES ? [`${name}: ${lines}`] : [];
    });
    expect(long).toEqual([]);
  });
});

describe("the import graph reader", () => {
  it("finds a cycle and ignores type-only imports", () => {
    const graph = new Map([
      ["a", ["b"]],
      ["b", ["c"]],
      ["c", ["a"]],
      ["d", ["a"]],
    ]);
    expect(importCycles(graph).map((cycle) => [...cycle].sort())).toEqual([["a", "b", "c"]]);
    const dir = fs.mkdtempSync(path.join(ROOT, "test/architecture/.tmp-"));
    try {
      fs.writeFileSync(
        path.join(dir, "x.ts"),
        'import type { Y } from "./y.js";\nexport const x = 1;\n',
      );
      fs.writeFileSync(
        path.join(dir, "y.ts"),
        'import { x } from "./x.js";\nexport type Y = typeof x;\n',
      );
      const edges = runtimeImports([path.join(dir, "x.ts"), path.join(dir, "y.ts")]);
      expect(edges.get(path.join(dir, "x.ts"))).toEqual([]);
      expect(edges.get(path.join(dir, "y.ts"))).toEqual([path.join(dir, "x.ts")]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
