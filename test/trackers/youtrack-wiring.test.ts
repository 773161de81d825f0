/**
 * A YouTrack connection as the server takes it, and as doctor checks it: `type: youtrack` in
 * the connections file (secrets as `{env}`/`{file}` references) or TRACKER_TYPE=youtrack, and
 * `trackbridge doctor`'s checks against the simulator, with no secret in what they print.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { loadServerConfig } from "../../src/config/server-config.js";
import { checkConnection } from "../../src/doctor/tracker.js";
import {
  startYouTrackSimulator,
  type YouTrackSimulator,
} from "../../src/simulators/youtrack/index.js";

const TOKEN = "perm:Ym90.MS0x.wiringT0kenValue";
const HOOK = "youtrack-hook-secret-0123456789";

let sim: YouTrackSimulator;
let dir: string;
beforeAll(async () => {
  sim = await startYouTrackSimulator({ token: TOKEN });
  sim.createIssue("NP-1");
  dir = mkdtempSync(path.join(tmpdir(), "tb-youtrack-"));
});
afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

it("the connections file takes type: youtrack with the token from a file and the secret from the environment", () => {
  writeFileSync(path.join(dir, "token"), `${TOKEN}\n`);
  writeFileSync(
    path.join(dir, "c.yml"),
    `connections:\n  yt:\n    type: youtrack\n    url: ${sim.url}\n    token: { file: ${path.join(dir, "token")} }\n    webhook_secret: { env: YT_HOOK }\n`,
  );
  const config = loadServerConfig({
    TRACKBRIDGE_CONNECTIONS: path.join(dir, "c.yml"),
    YT_HOOK: HOOK,
  });
  expect(config.connections).toMatchObject([
    { name: "yt", type: "youtrack", url: sim.url, token: TOKEN, webhookSecret: HOOK },
  ]);
  const fromEnv = loadServerConfig({
    TRACKER_TYPE: "youtrack",
    TRACKER_URL: sim.url,
    TRACKER_TOKEN: TOKEN,
  });
  expect(fromEnv.connections).toMatchObject([{ name: "youtrack", type: "youtrack", token: TOKEN }]);
});

it("doctor: reachable, the token's user, and no workflow API needed; a bad token fails naming the fix", async () => {
  const connection = { name: "yt", type: "youtrack", url: sim.url, token: TOKEN };
  const checks = await checkConnection(connection, { timeoutMs: 2000 });
  const byName = Object.fromEntries(checks.map((c) => [c.name, c]));
  expect(byName["tracker yt: reachable"]).toMatchObject({ status: "ok" });
  expect(byName["tracker yt: token"]).toMatchObject({
    status: "ok",
    detail: "accepted: Robot (robot)",
  });
  expect(byName["tracker yt: workflows"]).toMatchObject({ status: "ok" });
  expect(byName["tracker yt: workflows"]!.detail).toContain("YouTrack has no workflow API");

  const refused = await checkConnection(
    { ...connection, token: "perm:wrong" },
    { timeoutMs: 2000 },
  );
  const token = refused.find((c) => c.name === "tracker yt: token")!;
  expect(token.status).toBe("fail");
  expect(JSON.stringify(refused)).not.toContain("perm:wrong");
  expect(JSON.stringify(checks)).not.toContain(TOKEN);
});
