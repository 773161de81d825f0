/**
 * How many tracker jobs run at once on a connection, through the real server: the default
 * lets a PR's moves of six issues overlap; `TRACKER_CONCURRENCY=2` holds them to two at a
 * time. The simulator answers slowly, so jobs that may overlap do.
 */
import { afterEach, describe, expect, it } from "vitest";
import { startTestbed, type Testbed } from "../../src/simulators/scenario/testbed.js";
import { openPr, prEvent, status } from "./world.js";

const KEYS = ["PROJ-1", "PROJ-2", "PROJ-3", "PROJ-4", "PROJ-5", "PROJ-6"];

describe("tracker jobs at once on a connection", () => {
  let bed: Testbed | undefined;
  afterEach(async () => bed?.close());

  async function openWithSixIssues(extraEnv: Record<string, string>): Promise<Testbed> {
    bed = await startTestbed({ extraEnv });
    for (const key of KEYS) bed.tracker.createIssue(key);
    bed.tracker.setLatency(40);
    const pr = openPr(bed, { number: 1, branch: "feature/batch", title: KEYS.join(" ") });
    await prEvent(bed, "opened", pr);
    for (const key of KEYS) expect(status(bed, key)).toBe("In progress");
    return bed;
  }

  it("by default (16 at once), the moves of six issues all run together", async () => {
    const { tracker } = await openWithSixIssues({});
    expect(tracker.peakInFlight).toBe(KEYS.length);
  });

  it("TRACKER_CONCURRENCY=2: never more than two requests at the tracker at once", async () => {
    const { tracker } = await openWithSixIssues({ TRACKER_CONCURRENCY: "2" });
    expect(tracker.peakInFlight).toBe(2);
  });
});
