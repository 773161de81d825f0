import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startYandexSimulator, type YandexSimulator } from "../../src/simulators/yandex/index.js";
import type { TrackerConnection } from "../../src/trackers/connection.js";
import { createTracker } from "../../src/trackers/create-tracker.js";
import { mentionsUrl } from "../../src/trackers/link-by-comment.js";

const TOKEN = "y0_yandex-oauth-token-42";

describe("Yandex Tracker adapter specifics", () => {
  let sim360: YandexSimulator;
  let simCloud: YandexSimulator;
  const conn = (sim: YandexSimulator, extra: Partial<TrackerConnection>): TrackerConnection => ({
    name: "yandex",
    type: "yandex",
    url: sim.url,
    token: TOKEN,
    ...extra,
  });

  beforeAll(async () => {
    sim360 = await startYandexSimulator({ token: TOKEN, orgId: "360-1" });
    simCloud = await startYandexSimulator({ token: TOKEN, cloudOrgId: "bpf-cloud" });
  });
  afterAll(async () => {
    await sim360.close();
    await simCloud.close();
  });
  beforeEach(() => {
    sim360.reset();
    simCloud.reset();
    sim360.createIssue("PROJ-1");
    simCloud.createIssue("PROJ-1");
  });

  it("reaches a Cloud org with X-Cloud-Org-ID and an IAM Bearer token", async () => {
    const tracker = createTracker(
      conn(simCloud, { cloudOrgId: "bpf-cloud", authScheme: "Bearer" }),
    );
    expect((await tracker.getIssue("PROJ-1")).key).toBe("PROJ-1");
  });

  it("says which setting to check when the org is wrong", async () => {
    const tracker = createTracker(conn(sim360, { orgId: "360-2" }));
    await expect(tracker.getIssue("PROJ-1")).rejects.toMatchObject({
      kind: "forbidden",
      message:
        'the token for connection "yandex" lacks permission to read PROJ-1 (403): Organization is not available, not ready or not found (check the connection\'s orgId / cloudOrgId)',
    });
  });

  it("keeps old keys as aliases after a move", async () => {
    const newKey = sim360.moveIssue("PROJ-1", "OPS");
    const issue = await createTracker(conn(sim360, { orgId: "360-1" })).getIssue("PROJ-1");
    expect(issue).toMatchObject({ key: newKey, aliases: ["PROJ-1"] });
  });

  it("links a pull request with one comment, telling /pull/1 from /pull/12", async () => {
    const tracker = createTracker(conn(sim360, { orgId: "360-1" }));
    const pr12 = { url: "https://github.com/acme/web/pull/12", title: "Add bench", globalId: "12" };
    const pr1 = { url: "https://github.com/acme/web/pull/1", title: "Fix login", globalId: "1" };
    expect(await tracker.linkPullRequest("PROJ-1", pr12)).toBe("created");
    expect(await tracker.linkPullRequest("PROJ-1", pr1)).toBe("created");
    expect(await tracker.linkPullRequest("PROJ-1", pr1)).toBe("exists");
    expect(sim360.getIssue("PROJ-1").comments.map((c) => c.text)).toEqual([
      "Pull request: Add bench https://github.com/acme/web/pull/12",
      "Pull request: Fix login https://github.com/acme/web/pull/1",
    ]);
  });

  it("sets a top-level field with PATCH and the field id as the key", async () => {
    await createTracker(conn(sim360, { orgId: "360-1" })).setField(
      "PROJ-1",
      "benchLink",
      "https://b.test",
    );
    expect(sim360.requests.at(-1)).toMatchObject({
      method: "PATCH",
      path: "/v2/issues/PROJ-1",
      body: { benchLink: "https://b.test" },
    });
  });
});

describe("mentionsUrl", () => {
  const url = "https://github.com/acme/web/pull/1";
  it.each([
    [`Pull request: Fix ${url}`, true],
    [`${url}.`, true],
    [`see ${url}) and more`, true],
    [`${url}2`, false],
    [`${url}/files`, false],
    [`${url}2 and later ${url}`, true],
    ["nothing here", false],
  ])("%s → %s", (text, expected) => {
    expect(mentionsUrl(text, url)).toBe(expected);
  });
});
