/**
 * The console's queries, sessions and audit on PostgreSQL (when TEST_DATABASE_URL is set):
 * the same pages and actions as on SQLite, through the same query module.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Testbed } from "../../src/simulators/scenario/testbed.js";
import { postgresDb } from "../delivery/helpers.js";
import { waitFor } from "../e2e/app-process.js";
import {
  CONSOLE_TOKEN,
  failUntilDead,
  postForm,
  signInWithToken,
  startConsoleBed,
} from "./helpers.js";

const url = process.env.TEST_DATABASE_URL ?? "";

describe.runIf(url !== "")("the console on PostgreSQL", () => {
  let bed: Testbed;
  let db: Awaited<ReturnType<typeof postgresDb>>;
  beforeAll(async () => {
    db = await postgresDb(url);
    const shared = `${url}${url.includes("?") ? "&" : "?"}options=${encodeURIComponent(`-c search_path=${db.schema}`)}`;
    bed = await startConsoleBed({
      workerPolicy: { maxAttempts: 2 },
      extraEnv: { TRACKBRIDGE_DATABASE_URL: shared },
    });
    await failUntilDead(bed);
  });
  afterAll(async () => {
    await bed.close();
    await db.cleanup();
  });

  it("shows the dead letters, retries one, discards one, and audits both", async () => {
    const session = await signInWithToken(bed);
    const get = async (path: string) => {
      const response = await fetch(`${bed.server!.url}${path}`, {
        headers: { cookie: session.cookie },
      });
      expect(response.status, path).toBe(200);
      return response.text();
    };
    expect(await get("/console/overview")).toContain("Injected failure (500)");
    expect(await get("/console/activity?repo=acme/web&key=proj-7")).toContain("acme/web#7");
    const ids = [...(await get("/console/dead-letters")).matchAll(/name="id" value="(\d+)"/g)].map(
      (m) => m[1]!,
    );
    expect(ids).toHaveLength(2);

    bed.tracker.clearFaults();
    await postForm(bed, "/console/dead-letters/retry", session, [["only", ids[0]!]]);
    await postForm(bed, "/console/dead-letters/discard", session, [
      ["id", ids[1]!],
      ["confirm", "yes"],
    ]);
    await waitFor(
      async () => (await get("/console/activity?state=done")).includes("acme/web#7"),
      20_000,
    );
    const discarded = await get("/console/activity?state=discarded");
    expect(discarded).toContain("discarded by token in the console");
    const audit = await get("/console/audit");
    expect(audit).toContain(`job ${ids[0]}`);
    expect(audit).toContain(`job ${ids[1]}`);

    const metrics = await (await fetch(`${bed.server!.url}/metrics`)).text();
    expect(metrics).toContain('trackbridge_jobs{state="discarded",tracker="yandex"} 1');
    const api = await fetch(`${bed.server!.url}/console/api/overview`, {
      headers: { authorization: `Bearer ${CONSOLE_TOKEN}` },
    });
    expect(((await api.json()) as { acknowledgedLastHour: number }).acknowledgedLastHour).toBe(1);
  });
});
