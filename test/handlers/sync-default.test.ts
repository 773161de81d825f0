/**
 * How far back a sync reaches when no one says is one constant: changed in core, every way a
 * sync starts follows (a dispatch without since_days, the CLI without --since, the console's
 * form left empty).
 */
import { describe, expect, it, vi } from "vitest";
import { syncPreview } from "../../src/console/data.js";
import type { ConsoleDeps } from "../../src/console/deps.js";
import { parseSyncTarget } from "../../src/handlers/sync-dispatch.js";
import { sinceDaysOf } from "../../src/handlers/sync-repository.js";

vi.mock("../../src/core/plan-sync.js", async (original) => ({
  ...(await original<object>()),
  DEFAULT_SYNC_DAYS: 9,
}));

describe("the sync's default reach (DEFAULT_SYNC_DAYS, here 9)", () => {
  it("a trackbridge.sync dispatch without since_days", () => {
    expect(sinceDaysOf({ client_payload: {} })).toBe(9);
    expect(sinceDaysOf({})).toBe(9);
    expect(sinceDaysOf({ client_payload: { since_days: 3 } })).toBe(3);
  });

  it("the CLI without --since, and the console's form left empty", async () => {
    expect(parseSyncTarget("acme/web")).toEqual({ owner: "acme", name: "web", sinceDays: 9 });
    expect(parseSyncTarget("acme/web", " ").sinceDays).toBe(9);
    expect(parseSyncTarget("acme/web", "30d").sinceDays).toBe(30);
    const refused = new Error("the App is not installed");
    const deps = {
      app: { auth: async () => Promise.reject(refused), plan: async () => [] },
      trackers: new Map(),
      log: { warn: () => undefined },
    } as unknown as ConsoleDeps;
    const preview = await syncPreview(deps, { repo: "acme/web", since: "" });
    expect(preview).toMatchObject({ ok: false, sinceDays: 9 });
  });
});
