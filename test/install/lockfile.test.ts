/**
 * The lockfile must stay in step with package.json and record every platform's optional
 * binaries: a lockfile written from a tree pruned to one platform makes `npm ci` fail on
 * the others ("Missing: @biomejs/cli-darwin-arm64 from lock file").
 * Regenerate with `rm package-lock.json && npm install --package-lock-only`.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

interface LockEntry {
  version?: string;
  optional?: boolean;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

const manifest = JSON.parse(readFileSync("package.json", "utf8")) as LockEntry;
const lock = JSON.parse(readFileSync("package-lock.json", "utf8")) as {
  lockfileVersion: number;
  packages: Record<string, LockEntry>;
};
const root = lock.packages[""] ?? {};

describe("package-lock.json", () => {
  it("declares the same dependencies as package.json", () => {
    expect(root.dependencies ?? {}).toEqual(manifest.dependencies ?? {});
    expect(root.devDependencies ?? {}).toEqual(manifest.devDependencies ?? {});
  });

  it("locks every direct dependency at the version package.json pins", () => {
    const wanted = { ...manifest.dependencies, ...manifest.devDependencies };
    const drift = Object.entries(wanted).filter(
      ([name, version]) => lock.packages[`node_modules/${name}`]?.version !== version,
    );
    expect(drift).toEqual([]);
  });

  it("records the optional binaries of every platform, not only this one", () => {
    const optionalOf = (name: string) =>
      Object.keys(lock.packages[`node_modules/${name}`]?.optionalDependencies ?? {});
    const missing = ["@biomejs/biome", "esbuild"]
      .flatMap(optionalOf)
      .filter((name) => !lock.packages[`node_modules/${name}`]);
    expect(optionalOf("@biomejs/biome")).toContain("@biomejs/cli-darwin-arm64");
    expect(missing).toEqual([]);
  });
});
