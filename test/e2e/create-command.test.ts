/**
 * Asking for an issue on Yandex Tracker, over real HTTP (the App in process): the
 * `/trackbridge create` comment counts only from a writer, the config's label asks too, and
 * with `write_back: comment` the App's own comment names the key, which then follows the PR.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pullRequestPayload } from "../../src/simulators/scenario/payloads.js";
import { startTestbed, type Testbed } from "../../src/simulators/scenario/testbed.js";
import { comment, common, latestCheckRun, openPr, review, send, status } from "./world.js";

const CONFIG = `keys: { projects: [PROJ, OPS] }
statuses: { opened: inProgress, approved: readyForTest }
create: { queue: PROJ, label: needs-ticket, write_back: comment }
`;

describe("asking for an issue (yandex, write_back: comment)", () => {
  let bed: Testbed;
  beforeAll(async () => {
    bed = await startTestbed({ tracker: "yandex", repoConfig: CONFIG });
    bed.github.setPermission(bed.owner, bed.repo, "maria", "maintain");
  });
  afterAll(async () => bed.close());

  it("a reader's /trackbridge create is a note; a writer's creates, in the queue named", async () => {
    const pr = openPr(bed, { number: 31, branch: "chore/deps", title: "Bump deps" });
    await send(bed, "pull_request", pullRequestPayload("opened", pr, common(bed)));
    await comment(bed, pr, "/trackbridge create", "dave");
    expect(latestCheckRun(bed).output.summary).toContain("needs write access");
    expect(bed.tracker.issueKeys("PROJ")).toEqual([]);

    await comment(bed, pr, "/trackbridge create OPS", "maria");
    expect(bed.tracker.issueKeys("OPS")).toEqual(["OPS-1"]);
    expect(bed.tracker.getIssue("OPS-1").fields.summary).toBe("Bump deps");
    // The App's comment names the key; its key counts as the PR's from now on.
    const written = bed.github
      .comments(bed.owner, bed.repo, 31)
      .filter((c) => c.body?.includes("OPS-1"));
    expect(written).toHaveLength(1);
    await review(bed, "approved", pr);
    expect(status(bed, "OPS-1")).toBe("Ready for test");

    // Asked again: the same issue, nothing new.
    await comment(bed, pr, "/trackbridge create OPS", "maria");
    expect(bed.tracker.issueKeys("OPS")).toEqual(["OPS-1"]);
  });

  it("the config's label creates the issue of a PR that names none", async () => {
    const pr = openPr(bed, { number: 32, branch: "docs/readme", title: "Document setup" });
    await send(bed, "pull_request", pullRequestPayload("opened", pr, common(bed)));
    const label = {
      id: 1,
      node_id: "LA_1",
      url: `https://api.github.com/repos/acme/web/labels/needs-ticket`,
      name: "needs-ticket",
      color: "ededed",
      default: false,
      description: null,
    };
    await send(bed, "pull_request", {
      ...pullRequestPayload("labeled", pr, common(bed)),
      label,
    });
    expect(bed.tracker.issueKeys("PROJ")).toEqual(["PROJ-1"]);
    expect(bed.tracker.getIssue("PROJ-1").fields.summary).toBe("Document setup");
    expect(latestCheckRun(bed).output.summary).toContain("created PROJ-1");
  });
});
