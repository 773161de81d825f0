/**
 * Each kind's issue page, as the console links it, from connections as the server's config
 * loader builds them: Linear's is https://linear.app/<workspace>/issue/<KEY>; a GitHub
 * project's issues are on the App's GitHub (GitHub Enterprise Server's own host).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadServerConfig } from "../../src/config/server-config.js";
import { kindOf } from "../../src/trackers/kinds.js";

const BASE = { WEBHOOK_SECRET: "s" };

function pageOf(env: Record<string, string>, key: string) {
  const [connection] = loadServerConfig({ ...BASE, ...env }).connections;
  if (!connection) throw new Error("no connection");
  return kindOf(connection.type).issueUrl(connection, key);
}

const LINEAR = {
  TRACKER_TYPE: "linear",
  TRACKER_URL: "https://api.linear.app",
  TRACKER_TOKEN: "lin_api_x",
};
const PROJECT = { TRACKER_TYPE: "github-projects", TRACKER_PROJECT: "acme/3" };

describe("issue pages", () => {
  it.each([
    [{ ...LINEAR, TRACKER_WORKSPACE: "acme" }, "ENG-123", "https://linear.app/acme/issue/ENG-123"],
    [
      { ...LINEAR, TRACKER_WORKSPACE: "https://linear.app/Acme-Labs/" },
      "ENG-7",
      "https://linear.app/acme-labs/issue/ENG-7",
    ],
    [LINEAR, "ENG-123", undefined],
    [PROJECT, "acme/web#12", "https://github.com/acme/web/issues/12"],
    [
      { ...PROJECT, GHE_HOST: "github.acme.test" },
      "acme/web#12",
      "https://github.acme.test/acme/web/issues/12",
    ],
    [
      { ...PROJECT, GHE_HOST: "127.0.0.1:8443", GHE_PROTOCOL: "http" },
      "acme/web#12",
      "http://127.0.0.1:8443/acme/web/issues/12",
    ],
    [PROJECT, "PROJ-12", undefined],
  ])("%o %s → %s", (env, key, page) => {
    expect(pageOf(env, key)).toBe(page);
  });

  it("Linear's workspace from the connections file, and a wrong one named", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "tb-urls-"));
    const file = path.join(dir, "connections.yml");
    writeFileSync(
      file,
      "connections:\n  linear: { type: linear, url: https://api.linear.app, token: { env: K }, workspace: acme }\n",
    );
    expect(pageOf({ TRACKBRIDGE_CONNECTIONS: file, K: "k" }, "ENG-1")).toBe(
      "https://linear.app/acme/issue/ENG-1",
    );
    expect(() => pageOf({ ...LINEAR, TRACKER_WORKSPACE: "acme/issue" }, "ENG-1")).toThrow(
      "TRACKER_WORKSPACE: expected the workspace's URL key, as in https://linear.app/acme",
    );
  });
});
