/**
 * GitHub refusing the App an installation token: the delivery is not planned as if the
 * repository had no config; it waits with the reason for everyone to see
 * (`trackbridge deliveries`, the console), and is planned once GitHub answers again.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pullRequestPayload } from "../../src/simulators/scenario/payloads.js";
import { startTestbed, type Testbed } from "../../src/simulators/scenario/testbed.js";
import { waitFor } from "./app-process.js";
import { common, openPr, status } from "./world.js";

describe("a refused installation token", () => {
  let bed: Testbed;
  // A testbed each: the App keeps an installation's token once it has one.
  beforeEach(async () => {
    bed = await startTestbed({ workerPolicy: { baseMs: 50, capMs: 200 } });
  });
  afterEach(async () => bed.close());

  it.each([404, 403])(
    "(%i) is shown on the delivery and retried, not taken for a missing config",
    async (code) => {
      const key = `PROJ-7${code % 10}`;
      bed.tracker.createIssue(key);
      const pr = openPr(bed, { number: 700 + code, branch: `feature/${key}-x`, title: "x" });
      bed.github.injectFaults({ status: code, count: 1_000, pathIncludes: "/access_tokens" });
      const answer = await bed.github.deliver({
        event: "pull_request",
        payload: pullRequestPayload("opened", pr, common(bed)),
      });
      expect(answer.status_code).toBe(202);
      const store = bed.server!.store;
      const delivery = async () =>
        (await store.listDeliveries({ limit: 5 })).find((d) => d.id === answer.guid);
      // Tried twice, or settled (planned as if there were no config, or failed for good).
      await waitFor(async () => {
        const now = await delivery();
        return now !== undefined && (now.attempts >= 2 || now.state !== "received");
      }, 30_000);
      expect(await delivery()).toMatchObject({
        state: "received",
        error: expect.stringMatching(
          new RegExp(`GitHub refused an installation token for installation \\d+ \\(${code}`),
        ),
      });
      // The reason, never the App's JWT or key.
      const shown = (await delivery())?.error ?? "";
      expect(shown).not.toMatch(/bearer|eyJ|-----BEGIN/i);
      expect(shown).not.toContain(bed.privateKey.split("\n")[1]!);
      expect(status(bed, key)).toBe("Open");

      bed.github.clearFaults();
      await waitFor(async () => (await delivery())?.state === "planned", 30_000);
      await bed.server!.worker.drain();
      expect(status(bed, key)).toBe("In progress");
    },
  );
});
