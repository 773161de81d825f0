/** The poll's window, with a fake clock: narrow, because the e2e test covers the trackers. */
import { describe, expect, it } from "vitest";
import { createTrackerPoller } from "../../src/delivery/tracker-poll.js";
import { silentLog } from "./helpers.js";

describe("the tracker poll's window", () => {
  it("looks back an hour after a start, then from the last poll; only keys open PRs move", async () => {
    let now = Date.parse("2026-12-02T10:00:00Z");
    const asked: number[] = [];
    const recorded: string[] = [];
    const poller = createTrackerPoller({
      store: {
        openIssueKeys: async () => ["PROJ-1", "OPS-2"],
        recordDelivery: async (delivery) => {
          recorded.push(delivery.id);
          return "new";
        },
      },
      trackers: new Map([
        [
          "yandex",
          {
            updatedSince: async (projects: readonly string[], since: number) => {
              expect([...projects].sort()).toEqual(["OPS", "PROJ"]);
              asked.push(since);
              return ["PROJ-1", "PROJ-99"];
            },
          },
        ],
      ]),
      intervalMs: 300_000,
      log: silentLog,
      clock: { now: () => now },
    });
    const first = await poller.runOnce();
    now += 300_000;
    await poller.runOnce();
    expect(asked).toEqual([
      Date.parse("2026-12-02T08:59:00Z"), // an hour back, and a minute of overlap
      Date.parse("2026-12-02T09:59:00Z"), // the last poll, and a minute of overlap
    ]);
    expect(first).toEqual([{ connection: "yandex", key: "PROJ-1", origin: "poll" }]);
    expect(recorded).toHaveLength(2);
  });
});
