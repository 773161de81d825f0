/** The tracker simulators' own wire behaviour, checked with plain fetch. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type JiraSimulator, startJiraSimulator } from "../../src/simulators/jira/index.js";
import { defaultYandexWorkflow } from "../../src/simulators/shared/workflow.js";
import { startYandexSimulator, type YandexSimulator } from "../../src/simulators/yandex/index.js";

const TOKEN = "sim-token-123456";

async function call(url: string, init: RequestInit & { json?: unknown } = {}) {
  const { json, ...rest } = init;
  const response = await fetch(url, {
    ...rest,
    headers: { "content-type": "application/json", ...(rest.headers as Record<string, string>) },
    body: json === undefined ? rest.body : JSON.stringify(json),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? JSON.parse(text) : undefined,
  };
}

describe("Yandex Tracker simulator", () => {
  let sim: YandexSimulator;
  const auth = { authorization: `OAuth ${TOKEN}`, "x-org-id": "42" };
  const api = (path: string, init: RequestInit & { json?: unknown } = {}) =>
    call(`${sim.url}/v2${path}`, { ...init, headers: { ...auth, ...(init.headers as object) } });

  beforeAll(async () => {
    sim = await startYandexSimulator({ token: TOKEN, orgId: "42" });
  });
  afterAll(() => sim.close());
  beforeEach(() => {
    sim.reset();
    sim.createIssue("PROJ-1");
  });

  it("answers a bad token with 401 and a wrong org with 403, in Tracker's error shape", async () => {
    const bad = await api("/issues/PROJ-1", { headers: { authorization: "OAuth nope" } });
    expect(bad).toMatchObject({
      status: 401,
      body: { errors: {}, errorMessages: ["Not authorized"], statusCode: 401 },
    });
    const org = await api("/issues/PROJ-1", { headers: { "x-org-id": "43" } });
    expect(org).toMatchObject({ status: 403, body: { errorCode: 620345, statusCode: 403 } });
  });

  it("answers an unknown issue with 404", async () => {
    expect(await api("/issues/PROJ-99")).toMatchObject({
      status: 404,
      body: { errorMessages: ["Issue does not exist."], statusCode: 404 },
    });
  });

  it("executes a transition and answers with the transitions from the new status", async () => {
    const response = await api("/issues/PROJ-1/transitions/close/_execute", {
      method: "POST",
      json: {},
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject([{ id: "reopen", to: { key: "open", display: "Open" } }]);
    expect(sim.getIssue("PROJ-1").status.key).toBe("closed");
    const again = await api("/issues/PROJ-1/transitions/close/_execute", { method: "POST" });
    expect(again.status).toBe(400);
  });

  it("refuses an unknown field with the field named in errors", async () => {
    const response = await api("/issues/PROJ-1", {
      method: "PATCH",
      json: { benchLink: "u", nope: 1 },
    });
    expect(response).toMatchObject({ status: 400, body: { errors: { nope: "Field not found" } } });
    expect(sim.getIssue("PROJ-1").fields.benchLink).toBeUndefined();
  });

  it("answers the old key of a moved issue under its new key", async () => {
    const newKey = sim.moveIssue("PROJ-1", "OPS");
    const response = await api("/issues/PROJ-1");
    expect(response.body).toMatchObject({
      key: newKey,
      aliases: ["PROJ-1"],
      queue: { key: "OPS" },
    });
  });

  it("forgets the old key of a deleted issue, even when its new key is taken again", async () => {
    const newKey = sim.moveIssue("PROJ-1", "OPS");
    sim.deleteIssue("PROJ-1");
    expect(sim.hasIssue(newKey)).toBe(false);
    sim.createIssue(newKey);
    expect((await api("/issues/PROJ-1")).status).toBe(404);
    expect((await api(`/issues/${newKey}`)).status).toBe(200);
  });

  it("pages comments through a Link header", async () => {
    for (let i = 0; i < 3; i++)
      await api("/issues/PROJ-1/comments", { method: "POST", json: { text: `c${i}` } });
    const first = await api("/issues/PROJ-1/comments?perPage=2");
    expect(first.body).toHaveLength(2);
    const next = /<([^>]+)>; rel="next"/.exec(first.headers.get("link") ?? "")?.[1];
    expect(next).toBeDefined();
    const second = await call(next!, { headers: auth });
    expect(second.body.map((c: { text: string }) => c.text)).toEqual(["c2"]);
    expect(second.headers.get("link")).toBeNull();
  });

  it("fails the next N requests as injected, then recovers", async () => {
    sim.injectFaults({ status: 429, count: 2, retryAfterSeconds: 3 });
    const first = await api("/issues/PROJ-1");
    expect(first.status).toBe(429);
    expect(first.headers.get("retry-after")).toBe("3");
    expect((await api("/issues/PROJ-1")).status).toBe(429);
    expect((await api("/issues/PROJ-1")).status).toBe(200);
  });

  it("injects faults only into matching requests", async () => {
    sim.injectFaults({ status: 500, count: 1, method: "POST", pathIncludes: "/comments" });
    expect((await api("/issues/PROJ-1")).status).toBe(200);
    expect(
      (await api("/issues/PROJ-1/comments", { method: "POST", json: { text: "x" } })).status,
    ).toBe(500);
    expect(
      (await api("/issues/PROJ-1/comments", { method: "POST", json: { text: "x" } })).status,
    ).toBe(201);
  });

  it("logs requests with method, path, query and status until reset", async () => {
    await api("/issues/PROJ-1?expand=transitions");
    expect(sim.requests).toMatchObject([
      { method: "GET", path: "/v2/issues/PROJ-1", query: "expand=transitions", status: 200 },
    ]);
    sim.resetRequests();
    expect(sim.requests).toHaveLength(0);
  });

  it("uses a queue's own workflow and rejects one naming unknown statuses", async () => {
    const workflow = defaultYandexWorkflow();
    workflow.transitions = workflow.transitions.filter((t) => t.id !== "sendToTest");
    sim.setWorkflow(workflow, "LOCKED");
    sim.createIssue("LOCKED-1");
    const list = await api("/issues/LOCKED-1/transitions");
    expect(list.body.map((t: { id: string }) => t.id)).not.toContain("sendToTest");
    expect(() => sim.setWorkflow({ statuses: [], transitions: [] })).toThrow();
    expect(() =>
      sim.setWorkflow({
        ...workflow,
        transitions: [{ id: "x", display: "X", from: ["open"], to: "gone" }],
      }),
    ).toThrow(/unknown status "gone"/);
  });

  it("reset() clears issues", () => {
    sim.reset();
    expect(sim.hasIssue("PROJ-1")).toBe(false);
  });
});

describe("Jira simulator", () => {
  let cloud: JiraSimulator;
  let dc: JiraSimulator;
  const basic = `Basic ${Buffer.from(`bot@acme.test:${TOKEN}`).toString("base64")}`;
  const cloudApi = (path: string, init: RequestInit & { json?: unknown } = {}) =>
    call(`${cloud.url}/rest/api/3${path}`, {
      ...init,
      headers: { authorization: basic, ...(init.headers as object) },
    });

  beforeAll(async () => {
    cloud = await startJiraSimulator({ email: "bot@acme.test", token: TOKEN, apiVersion: 3 });
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

  it("answers bad credentials with 401 in Jira's error shape", async () => {
    const response = await cloudApi("/issue/PROJ-1", {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(response).toMatchObject({
      status: 401,
      body: {
        errorMessages: ["Client must be authenticated to access this resource."],
        errors: {},
      },
    });
  });

  it("serves only REST v2 on Data Center, with a Bearer PAT", async () => {
    const headers = { authorization: `Bearer ${TOKEN}` };
    expect((await call(`${dc.url}/rest/api/2/issue/PROJ-1`, { headers })).status).toBe(200);
    expect((await call(`${dc.url}/rest/api/3/issue/PROJ-1`, { headers })).status).toBe(404);
  });

  it("executes a transition with 204 and refuses an invalid one with the documented body", async () => {
    const ok = await cloudApi("/issue/PROJ-1/transitions", {
      method: "POST",
      json: { transition: { id: "21" } },
    });
    expect(ok.status).toBe(204);
    expect(cloud.getIssue("PROJ-1").status.display).toBe("In progress");
    const bad = await cloudApi("/issue/PROJ-1/transitions", {
      method: "POST",
      json: { transition: { id: "71" } },
    });
    expect(bad).toMatchObject({
      status: 400,
      body: { errorMessages: ["Transition id '71' is not valid for this issue."], errors: {} },
    });
  });

  it("filters fields and expands transitions on GET issue", async () => {
    const response = await cloudApi("/issue/PROJ-1?fields=status&expand=transitions");
    expect(Object.keys(response.body.fields)).toEqual(["status"]);
    expect(response.body.fields.status).toMatchObject({
      id: "1",
      name: "Open",
      statusCategory: { key: "new" },
    });
    expect(response.body.transitions[0]).toMatchObject({
      id: "21",
      name: "Start progress",
      to: { id: "3" },
    });
  });

  it("refuses a field that is not on the screen with Jira's message", async () => {
    const response = await cloudApi("/issue/PROJ-1", {
      method: "PUT",
      json: { fields: { customfield_10030: "A" } },
    });
    expect(response).toMatchObject({
      status: 400,
      body: {
        errorMessages: [],
        errors: {
          customfield_10030:
            "Field 'customfield_10030' cannot be set. It is not on the appropriate screen, or unknown.",
        },
      },
    });
  });

  it("requires ADF comment bodies on v3 and answers 201", async () => {
    const plain = await cloudApi("/issue/PROJ-1/comment", { method: "POST", json: { body: "hi" } });
    expect(plain.status).toBe(400);
    const adf = {
      type: "doc",
      version: 1,
      content: [{ type: "paragraph", content: [{ type: "text", text: "hi" }] }],
    };
    const created = await cloudApi("/issue/PROJ-1/comment", {
      method: "POST",
      json: { body: adf },
    });
    expect(created).toMatchObject({ status: 201, body: { body: adf } });
    const listed = await cloudApi("/issue/PROJ-1/comment");
    expect(listed.body).toMatchObject({ startAt: 0, total: 1, comments: [{ body: adf }] });
  });

  it("creates a remote link (201) and updates it for the same globalId (200)", async () => {
    const link = { globalId: "g1", object: { url: "https://x.test/1", title: "One" } };
    expect(
      (await cloudApi("/issue/PROJ-1/remotelink", { method: "POST", json: link })).status,
    ).toBe(201);
    expect(
      (await cloudApi("/issue/PROJ-1/remotelink", { method: "POST", json: link })).status,
    ).toBe(200);
    expect(cloud.getIssue("PROJ-1").links).toHaveLength(1);
  });

  it("answers a moved issue's old key with 200 and the new key", async () => {
    const newKey = cloud.moveIssue("PROJ-1", "NEW");
    const response = await cloudApi("/issue/PROJ-1");
    expect(response).toMatchObject({ status: 200, body: { key: newKey } });
  });

  it("answers 403 for a forbidden issue and 429 with rate-limit headers", async () => {
    cloud.updateIssue("PROJ-1", { forbidden: true });
    expect((await cloudApi("/issue/PROJ-1")).status).toBe(403);
    cloud.injectFaults({ status: 429, count: 1, retryAfterSeconds: 5 });
    const limited = await cloudApi("/field");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("5");
    expect(limited.headers.get("ratelimit-reason")).toBe("jira-burst-based");
  });
});
