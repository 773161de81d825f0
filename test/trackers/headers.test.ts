/** Narrow nock checks of the exact header formats each tracker expects. */
import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTracker } from "../../src/trackers/create-tracker.js";

const YANDEX = "https://api.tracker.example.test";
const JIRA = "https://acme.jira.example.test";
const status = { key: "open", display: "Open" };

describe("tracker request headers", () => {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  afterAll(() => nock.enableNetConnect());

  it("Yandex 360: OAuth scheme and X-Org-ID", async () => {
    const scope = nock(YANDEX)
      .get("/v2/issues/PROJ-1")
      .matchHeader("authorization", "OAuth tok-1")
      .matchHeader("x-org-id", "360")
      .matchHeader("x-cloud-org-id", (value) => value === undefined)
      .reply(200, { key: "PROJ-1", status });
    const tracker = createTracker({
      name: "y",
      type: "yandex",
      url: YANDEX,
      token: "tok-1",
      orgId: "360",
    });
    await tracker.getIssue("PROJ-1");
    expect(scope.isDone()).toBe(true);
  });

  it("Yandex Cloud: Bearer scheme and X-Cloud-Org-ID", async () => {
    const scope = nock(YANDEX)
      .get("/v2/issues/PROJ-1")
      .query({ expand: "transitions" })
      .matchHeader("authorization", "Bearer iam-1")
      .matchHeader("x-cloud-org-id", "bpf-1")
      .matchHeader("x-org-id", (value) => value === undefined)
      .reply(200, { key: "PROJ-1", status, transitions: [] });
    const tracker = createTracker({
      name: "y",
      type: "yandex",
      url: `${YANDEX}/`,
      token: "iam-1",
      cloudOrgId: "bpf-1",
      authScheme: "Bearer",
    });
    await tracker.getIssue("PROJ-1", { transitions: true });
    expect(scope.isDone()).toBe(true);
  });

  it("Jira Cloud: Basic base64(email:token) on REST v3", async () => {
    const basic = Buffer.from("bot@acme.test:tok-2").toString("base64");
    const scope = nock(JIRA)
      .get("/rest/api/3/issue/PROJ-1")
      .query({ fields: "status,project,issuetype" })
      .matchHeader("authorization", `Basic ${basic}`)
      .reply(200, { key: "PROJ-1", fields: { status: { id: "1", name: "Open" } } });
    const tracker = createTracker({
      name: "j",
      type: "jira",
      url: JIRA,
      token: "tok-2",
      email: "bot@acme.test",
    });
    await tracker.getIssue("PROJ-1");
    expect(scope.isDone()).toBe(true);
  });

  it("Jira Data Center: Bearer PAT on REST v2 under a context path", async () => {
    const scope = nock(JIRA)
      .post("/jira/rest/api/2/issue/PROJ-1/transitions", { transition: { id: "21" } })
      .matchHeader("authorization", "Bearer pat-3")
      .matchHeader("content-type", "application/json")
      .reply(204);
    const tracker = createTracker({ name: "j", type: "jira", url: `${JIRA}/jira`, token: "pat-3" });
    await tracker.executeTransition("PROJ-1", "21");
    expect(scope.isDone()).toBe(true);
  });
});

describe("Yandex Tracker: transitions when expand=transitions lacks their targets", () => {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  afterAll(() => nock.enableNetConnect());
  const tracker = () =>
    createTracker({ name: "y", type: "yandex", url: YANDEX, token: "t", orgId: "1" });

  it("asks the documented transitions list (one more call)", async () => {
    const scope = nock(YANDEX)
      .get("/v2/issues/PROJ-1")
      .query({ expand: "transitions" })
      .reply(200, { key: "PROJ-1", status, transitions: [{ id: "start", display: "Start" }] })
      .get("/v2/issues/PROJ-1/transitions")
      .reply(200, [
        { id: "start", display: "Start", to: { key: "inProgress", display: "In progress" } },
      ]);
    const issue = await tracker().getIssue("PROJ-1", { transitions: true });
    expect(issue.transitions).toEqual([
      { id: "start", display: "Start", to: { key: "inProgress", display: "In progress" } },
    ]);
    expect(scope.isDone()).toBe(true);
  });

  it("uses the expanded transitions when they carry targets (one call)", async () => {
    const scope = nock(YANDEX)
      .get("/v2/issues/PROJ-1")
      .query({ expand: "transitions" })
      .reply(200, {
        key: "PROJ-1",
        status,
        transitions: [
          { id: "start", display: "Start", to: { key: "inProgress", display: "In progress" } },
        ],
      });
    const issue = await tracker().getIssue("PROJ-1", { transitions: true });
    expect(issue.transitions?.[0]?.to.key).toBe("inProgress");
    expect(scope.isDone()).toBe(true);
  });
});
