import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type JiraSimulator, startJiraSimulator } from "../../src/simulators/jira/index.js";
import { createTracker } from "../../src/trackers/create-tracker.js";
import { TrackerError } from "../../src/trackers/errors.js";

const TOKEN = "jira-api-token-0987654321";
const EMAIL = "bot@acme.test";

describe("Jira adapter specifics", () => {
  let cloud: JiraSimulator;
  let dc: JiraSimulator;
  const cloudTracker = () =>
    createTracker({ name: "jira", type: "jira", url: cloud.url, token: TOKEN, email: EMAIL });
  const dcTracker = () =>
    createTracker({ name: "jira-dc", type: "jira", url: dc.url, token: TOKEN });

  beforeAll(async () => {
    cloud = await startJiraSimulator({ email: EMAIL, token: TOKEN, apiVersion: 3 });
    dc = await startJiraSimulator({ token: TOKEN, apiVersion: 2 });
  });
  afterAll(async () => {
    await cloud.close();
    await dc.close();
  });
  beforeEach(() => {
    cloud.reset();
    dc.reset();
    cloud.createIssue("PROJ-1");
    dc.createIssue("PROJ-1");
  });

  it("talks REST v3 to Cloud and REST v2 to Data Center", async () => {
    await cloudTracker().getIssue("PROJ-1", { transitions: true });
    await dcTracker().getIssue("PROJ-1", { transitions: true });
    expect(cloud.requests[0]).toMatchObject({
      path: "/rest/api/3/issue/PROJ-1",
      query: "fields=status,project,issuetype&expand=transitions.fields",
    });
    expect(dc.requests[0]).toMatchObject({ path: "/rest/api/2/issue/PROJ-1" });
  });

  it("resolves a display name through the field list, fetched once per adapter", async () => {
    const tracker = cloudTracker();
    await tracker.setField("PROJ-1", "Bench link", "https://a.bench.test");
    await tracker.setField("PROJ-1", "bench LINK", "https://b.bench.test");
    expect(cloud.getIssue("PROJ-1").fields.customfield_10010).toBe("https://b.bench.test");
    expect(cloud.requests.filter((r) => r.path === "/rest/api/3/field")).toHaveLength(1);
  });

  it("uses field ids as given without fetching the field list", async () => {
    await cloudTracker().setField("PROJ-1", "summary", "New title");
    expect(cloud.getIssue("PROJ-1").fields.summary).toBe("New title");
    expect(cloud.requests.map((r) => r.method)).toEqual(["PUT"]);
  });

  it("names the field and the custom fields there are when no name matches", async () => {
    const error = await cloudTracker()
      .setField("PROJ-1", "Bench lnk", "x")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrackerError);
    expect((error as TrackerError).kind).toBe("invalid");
    expect((error as TrackerError).message).toBe(
      'no field named "Bench lnk" in jira; custom fields there: "Bench link", "Story points", "Team"',
    );
  });

  it("refuses a name shared by two fields and lists their ids", async () => {
    cloud.defineField({ id: "customfield_10040", name: "Bench link" });
    const error = await cloudTracker()
      .setField("PROJ-1", "Bench link", "x")
      .catch((e: unknown) => e);
    expect((error as TrackerError).message).toContain("customfield_10010, customfield_10040");
  });

  it("retries the field list after a failed fetch instead of caching the failure", async () => {
    const tracker = cloudTracker();
    cloud.injectFaults({ status: 503, count: 1, pathIncludes: "/field" });
    await expect(tracker.setField("PROJ-1", "Bench link", "x")).rejects.toMatchObject({
      kind: "server",
    });
    await tracker.setField("PROJ-1", "Bench link", "y");
    expect(cloud.getIssue("PROJ-1").fields.customfield_10010).toBe("y");
  });

  it("sends ADF comment bodies on v3 and plain text on v2", async () => {
    await cloudTracker().addComment("PROJ-1", "first line\nsecond\n\nnext paragraph");
    await dcTracker().addComment("PROJ-1", "plain text");
    expect(cloud.requests[0]!.body).toEqual({
      body: {
        type: "doc",
        version: 1,
        content: [
          {
            type: "paragraph",
            content: [
              { type: "text", text: "first line" },
              { type: "hardBreak" },
              { type: "text", text: "second" },
            ],
          },
          { type: "paragraph", content: [{ type: "text", text: "next paragraph" }] },
        ],
      },
    });
    expect(cloud.getIssue("PROJ-1").comments[0]!.text).toBe("first line\nsecond\n\nnext paragraph");
    expect(dc.requests[0]!.body).toEqual({ body: "plain text" });
  });

  it("links a pull request as one remote link keyed by globalId", async () => {
    const tracker = dcTracker();
    const link = {
      url: "https://github.com/acme/web/pull/7",
      title: "Fix login",
      globalId: "gid-7",
    };
    expect(await tracker.linkPullRequest("PROJ-1", link)).toBe("created");
    expect(await tracker.linkPullRequest("PROJ-1", { ...link, title: "Fix login (renamed)" })).toBe(
      "exists",
    );
    expect(dc.getIssue("PROJ-1").links).toEqual([
      { id: expect.any(String), globalId: "gid-7", url: link.url, title: "Fix login (renamed)" },
    ]);
    expect(dc.requests[0]!.body).toMatchObject({
      globalId: "gid-7",
      object: { url: link.url, title: "Fix login" },
    });
  });

  it("passes Jira's message on for an invalid transition id", async () => {
    const error = await cloudTracker()
      .executeTransition("PROJ-1", "999")
      .catch((e: unknown) => e);
    expect((error as TrackerError).kind).toBe("invalid");
    expect((error as TrackerError).message).toBe(
      "jira refused to transition PROJ-1 (400): Transition id '999' is not valid for this issue.",
    );
  });

  it("does not let a Cloud API token through as a Bearer token", async () => {
    const bearerOnCloud = createTracker({
      name: "jira",
      type: "jira",
      url: cloud.url,
      token: TOKEN,
    });
    await expect(bearerOnCloud.getIssue("PROJ-1")).rejects.toMatchObject({ kind: "auth" });
  });
});
