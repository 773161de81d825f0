/**
 * The poll over real HTTP: a QA move whose webhook never arrived still reaches the PR's
 * `trackbridge/issue` check within one poll interval (Yandex `POST /v2/issues/_search` with
 * `updatedAt`, Jira JQL `updated >= …`), and the App's own moves found by the poll start nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestbed, type Testbed } from "../../src/simulators/scenario/testbed.js";
import { waitFor } from "./app-process.js";
import { checkRunNamed, GATED_CONFIGS, openPr, prEvent, READY, trackerWebhook } from "./world.js";

describe.each(["yandex", "jira"] as const)("the tracker poll (%s)", (tracker) => {
  let bed: Testbed;
  beforeAll(async () => {
    // No webhook secret: this server gets no tracker webhooks at all, only the poll.
    bed = await startTestbed({
      tracker,
      repoConfig: GATED_CONFIGS[tracker],
      extraEnv: { TRACKBRIDGE_TRACKER_POLL_SECONDS: "1" },
    });
  });
  afterAll(async () => bed.close());

  it("takes no tracker webhooks for a connection without a webhook secret (404)", async () => {
    const answer = await trackerWebhook(bed, { body: '{"key":"PROJ-5"}' });
    expect(answer).toEqual({
      status: 404,
      body: {
        ok: false,
        error: `connection "${tracker}" takes no webhooks: it has no webhook_secret`,
      },
    });
  });

  it("catches a change whose webhook was lost, and leaves the App's own move alone", async () => {
    bed.tracker.createIssue("PROJ-5");
    const pr = openPr(bed, { number: 5, branch: "PROJ-5-poll", title: "Poll" });
    await prEvent(bed, "opened", pr);
    const issueCheck = () => checkRunNamed(bed, "trackbridge/issue", pr.head.sha);
    expect(issueCheck()?.conclusion).toBe("failure");

    // Polls see the App's own move (In progress): the loop guard keeps them from writing.
    const writes = () =>
      bed.github.requests.filter((r) => r.path.includes("/check-runs") && r.method !== "GET")
        .length;
    const before = writes();
    const searches = () => bed.tracker.requests.filter((r) => r.path.includes("search")).length;
    const searched = searches();
    await waitFor(() => searches() >= searched + 2, 10_000);
    await bed.server!.worker.drain();
    expect(writes()).toBe(before);

    // QA moves the issue; the tracker's webhook is lost (none is configured here).
    bed.tracker.updateIssue("PROJ-5", {
      status: READY[tracker],
    });
    await waitFor(() => issueCheck()?.conclusion === "success", 15_000);
    expect(issueCheck()?.output.title).toBe("Ready to merge: PROJ-5 (Ready for test)");
    const search = bed.tracker.requests.find((r) => r.path.includes("search"));
    expect(search?.path).toBe(
      tracker === "yandex" ? "/v2/issues/_search" : "/rest/api/3/search/jql",
    );
  });
});
