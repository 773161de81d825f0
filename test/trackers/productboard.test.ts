/**
 * Productboard over real HTTP against its simulator: the client's calls, its errors (the token
 * never in them, a 429's wait kept), its pace under the 50 requests a second; and a feature's
 * jobs with the Jira simulator and the store: a push creates once, a retry after a lost answer
 * creates nothing more, the status follows through the map, a deleted issue resets the button.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Store } from "../../src/delivery/store.js";
import { sendHttp } from "../../src/http/send.js";
import { startJiraSimulator } from "../../src/simulators/jira/index.js";
import {
  type ProductboardSimulator,
  startProductboardSimulator,
} from "../../src/simulators/productboard/index.js";
import type { TrackerSimulator } from "../../src/simulators/shared/admin.js";
import { createTracker } from "../../src/trackers/create-tracker.js";
import type { TrackerError } from "../../src/trackers/errors.js";
import {
  createProductboardClient,
  type ProductboardClient,
} from "../../src/trackers/productboard/client.js";
import {
  applyFeatureAction,
  type FeatureDeps,
  featureStatusFor,
  showPushFailed,
} from "../../src/trackers/productboard/follow-feature.js";
import { htmlToText } from "../../src/trackers/productboard/map.js";
import { backends } from "../delivery/helpers.js";
import { startProbeAnswerer } from "../helpers/productboard.js";

const TOKEN = "pb-token-0123456789abcdef";
const INTEGRATION = "int-1";

describe("the Productboard client", () => {
  let pb: ProductboardSimulator;
  let client: ProductboardClient;
  beforeAll(async () => {
    pb = await startProductboardSimulator({ token: TOKEN });
    // The probe needs an action URL that answers; the client only needs the integration's id.
    const probe = await startProbeAnswerer();
    await pb.createIntegration({ id: INTEGRATION, url: probe.url, authorization: "x" });
    await probe.close();
    client = createProductboardClient(
      { url: pb.url, token: TOKEN, integrationId: INTEGRATION },
      { send: sendHttp, timeoutMs: 2_000 },
    );
  });
  afterAll(async () => pb.close());
  afterEach(() => pb.clearFaults());

  it("reads a feature, sets its status by name and its button's connection", async () => {
    const { id } = pb.createFeature({ name: "SSO", description: "<p>Sign in with <b>SSO</b></p>" });
    expect(await client.getFeature(id)).toEqual({
      id,
      name: "SSO",
      description: "Sign in with SSO",
      status: "New idea",
      url: `https://acme.productboard.com/entity-detail/features/${id}`,
    });
    await client.setFeatureStatus(id, "Planned");
    expect(pb.feature(id).status.name).toBe("Planned");
    const state = {
      state: "connected" as const,
      label: "PROJ-1",
      hoverLabel: "Open PROJ-1",
      tooltip: "PROJ-1: SSO",
      color: "blue",
      targetUrl: "https://acme.atlassian.net/browse/PROJ-1",
    };
    await client.setConnection(id, state);
    expect(pb.connection(id)).toEqual(state);
    await client.resetConnection(id);
    await client.resetConnection(id);
    expect(pb.connection(id)).toEqual({ state: "initial" });
    // What doctor reads: the integration exists and the token is accepted.
    expect(await client.getIntegration()).toEqual({
      id: INTEGRATION,
      name: "trackbridge",
      enabled: true,
    });
  });

  it("names what failed, never with the token, and keeps a 429's Retry-After", async () => {
    const wrong = createProductboardClient(
      { url: pb.url, token: "wrong-token-123", integrationId: INTEGRATION },
      { send: sendHttp, timeoutMs: 2_000 },
    );
    const refused = await wrong.getFeature("x").catch((e: unknown) => e);
    expect(refused).toMatchObject({ kind: "auth", connection: "productboard" });

    const { id } = pb.createFeature({ name: "Echo" });
    pb.injectFaults({ status: 500, count: 1, body: { message: `bad header Bearer ${TOKEN}` } });
    const echoed = (await client.getFeature(id).catch((e: unknown) => e)) as TrackerError;
    expect(echoed.kind).toBe("server");
    expect(echoed.message).not.toContain(TOKEN);

    pb.injectFaults({ status: 429, count: 1, retryAfterSeconds: 3 });
    const limited = (await client
      .setFeatureStatus(id, "Planned")
      .catch((e: unknown) => e)) as TrackerError;
    expect(limited).toMatchObject({ kind: "rate_limited", retryAfterMs: 3000 });
    expect(limited.retryable).toBe(true);
    const missing = await client.setFeatureStatus(id, "Shipped to Mars").catch((e: unknown) => e);
    expect(missing).toMatchObject({ kind: "invalid", status: 422 });
  });

  it("keeps under the 50 requests a second however many calls are made at once", async () => {
    // 60 calls at once are more than the simulator takes in a second: unpaced, 10 would be
    // refused with 429 (and counted), so the client's pace is what keeps the count at 0.
    const { id } = pb.createFeature({ name: "Busy" });
    const calls = await Promise.allSettled(Array.from({ length: 60 }, () => client.getFeature(id)));
    expect(pb.refusedForRate).toBe(0);
    expect(calls.filter((c) => c.status === "rejected")).toEqual([]);
  });
});

describe.each(backends())("a feature's jobs ($name)", (backend) => {
  let jira: TrackerSimulator;
  let pb: ProductboardSimulator;
  let db: Awaited<ReturnType<typeof backend.create>>;
  let store: Store;
  let deps: FeatureDeps;
  beforeAll(async () => {
    jira = await startJiraSimulator({ token: TOKEN, email: "bot@acme.test", apiVersion: 3 });
    pb = await startProductboardSimulator({ token: TOKEN });
    const probe = await startProbeAnswerer();
    await pb.createIntegration({ id: INTEGRATION, url: probe.url, authorization: "x" });
    await probe.close();
  });
  afterAll(async () => {
    await jira.close();
    await pb.close();
  });
  beforeEach(async () => {
    jira.reset();
    db = await backend.create();
    store = await db.open();
    const tracker = createTracker(
      { name: "jira", type: "jira", url: jira.url, token: TOKEN, email: "bot@acme.test" },
      { timeoutMs: 2_000 },
    );
    deps = {
      config: {
        connection: "jira",
        project: "PROJ",
        statuses: { "In progress": "In progress", Closed: "Released" },
      },
      productboard: createProductboardClient(
        { url: pb.url, token: TOKEN, integrationId: INTEGRATION },
        { send: sendHttp, timeoutMs: 2_000 },
      ),
      tracker,
      issueUrl: (key) => `${jira.url}/browse/${key}`,
      links: store.ledger,
      ledger: store.ledger,
    };
  });
  afterEach(async () => db.cleanup());

  const act = (key: string, op: "push" | "follow" | "unlink") =>
    applyFeatureAction(
      {
        kind: "feature",
        key,
        op,
        ...(op === "follow" ? { issue: { connection: "jira", key: "" } } : {}),
      },
      deps,
    );

  it("a push creates once though Jira's answer to the create is lost, then connects the button", async () => {
    const { id } = pb.createFeature({ name: "SSO", description: "<p>Sign in</p>" });
    jira.injectFaults({
      count: 1,
      drop: true,
      afterCommit: true,
      method: "POST",
      pathIncludes: "/issue",
    });
    await expect(act(id, "push")).rejects.toMatchObject({ kind: "network" });
    expect(await act(id, "push")).toMatchObject({
      summary: `already created PROJ-1 for Productboard feature https://acme.productboard.com/entity-detail/features/${id}`,
      created: "PROJ-1",
    });
    expect(jira.issueKeys("PROJ")).toEqual(["PROJ-1"]);
    expect(String(jira.getIssue("PROJ-1").fields.description)).toContain("Sign in");
    expect(pb.connection(id)).toMatchObject({ state: "connected", label: "PROJ-1" });
    expect(await act(id, "push")).toMatchObject({ summary: "already linked to PROJ-1" });
    expect(await store.ledger.featuresOfIssue("jira", ["PROJ-1"])).toEqual([
      { featureId: id, featureUrl: `https://acme.productboard.com/entity-detail/features/${id}` },
    ]);
  });

  it("a push that cannot create fails for the outbox, whose report shows it on the button", async () => {
    const { id } = pb.createFeature({ name: "Nowhere" });
    // Jira refuses the create (a required field, a project the token cannot create in).
    jira.injectFaults({ status: 400, count: 1, method: "POST", pathIncludes: "/issue" });
    const failed = await act(id, "push").catch((e: unknown) => e);
    expect(failed).toMatchObject({ retryable: false });
    expect(jira.issueKeys("PROJ")).toEqual([]);
    // The job alone leaves the button to the outbox: it may still retry (a 5xx).
    expect(pb.connection(id)).toEqual({ state: "initial" });
    await showPushFailed(id, String((failed as Error).message), deps);
    expect(pb.connection(id)).toMatchObject({ state: "error", label: "Not created" });

    // A feature linked meanwhile (a later push succeeded) keeps its button.
    await act(id, "push");
    await showPushFailed(id, "an older push gave up", deps);
    expect(pb.connection(id)).toMatchObject({ state: "connected", label: "PROJ-1" });
  });

  it("the status follows through the map; a status the map does not name changes nothing", async () => {
    const { id } = pb.createFeature({ name: "Dark mode" });
    await act(id, "push");
    expect(await act(id, "follow")).toMatchObject({
      summary: 'no feature status for PROJ-1\'s "Open"',
    });
    jira.updateIssue("PROJ-1", { status: "In progress" });
    await act(id, "follow");
    expect(pb.feature(id).status.name).toBe("In progress");
  });

  it("a deleted issue resets the button and the next push creates anew; unlink forgets", async () => {
    const { id } = pb.createFeature({ name: "Export" });
    await act(id, "push");
    jira.deleteIssue("PROJ-1");
    expect(await act(id, "follow")).toMatchObject({ summary: "unlinked: PROJ-1 no longer exists" });
    expect(pb.connection(id)).toEqual({ state: "initial" });
    expect(await store.ledger.featuresOfIssue("jira", ["PROJ-1"])).toEqual([]);
    expect(await act(id, "push")).toMatchObject({ created: "PROJ-2" });
    expect(await act(id, "unlink")).toMatchObject({ summary: "unlinked from PROJ-2" });
    expect(await act(id, "push")).toMatchObject({ created: "PROJ-3" });
  });
});

describe("feature statuses and descriptions", () => {
  it.each([
    [{ key: "3", display: "In Progress" }, "In progress"],
    [{ key: "6", display: "Closed" }, "Released"],
    [{ key: "closed", display: "Done" }, undefined],
  ])("%o → %s", (status, expected) => {
    expect(featureStatusFor({ "in progress": "In progress", Closed: "Released" }, status)).toBe(
      expected,
    );
  });

  it("turns Productboard's HTML into text", () => {
    expect(htmlToText("<p>Sign in with <b>SSO</b></p><p>Tom &amp; Ann<br/>today</p>")).toBe(
      "Sign in with SSO\nTom & Ann\ntoday",
    );
  });
});
