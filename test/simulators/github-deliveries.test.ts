import { verify } from "@octokit/webhooks-methods";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  type GitHubSimulator,
  type SimRepository,
  sendWebhook,
  startGitHubSimulator,
  userJson,
} from "../../src/simulators/github/index.js";
import { pullRequestPayload } from "../../src/simulators/scenario/payloads.js";
import { APP_ID, appKeyPair, probotOctokit, startReceiver } from "./github-fixtures.js";

const SECRET = "webhook-secret";
const { privateKey, publicKey } = appKeyPair();
let sim: GitHubSimulator;
let repository: SimRepository;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  sim = await startGitHubSimulator({ appId: APP_ID, publicKey });
  repository = sim.addRepo({ owner: "acme", name: "web", installationId: 9 });
  receiver = await startReceiver();
  sim.configureWebhooks({ url: receiver.url, secret: SECRET });
});
afterAll(async () => {
  await sim.close();
  await receiver.close();
});
afterEach(() => {
  receiver.received.length = 0;
});

const app = () => probotOctokit({ baseUrl: sim.url, privateKey });
/** A `pull_request.opened` payload as GitHub sends it (the contract setup checks its shape). */
const opened = new Set<number>();
const payload = (number: number) => {
  if (!opened.has(number)) {
    opened.add(number);
    sim.addPullRequest("acme", "web", {
      number,
      title: `PROJ-${number} change`,
      head: { ref: `feature/PROJ-${number}`, sha: number.toString(16).padStart(40, "0") },
    });
  }
  return pullRequestPayload("opened", sim.pullRequest("acme", "web", number), {
    repository,
    installationId: 9,
    sender: userJson("alice"),
  });
};

describe("webhook deliveries", () => {
  it("lists deliveries newest first across cursor pages, and redelivers one signed with the secret", async () => {
    const missed = sim.recordDelivery({
      guid: "guid-missed",
      event: "pull_request",
      payload: payload(2),
      statusCode: 502,
      deliveredAt: "2024-05-01T10:02:00Z",
    });
    sim.recordDelivery({
      event: "pull_request",
      payload: payload(1),
      statusCode: 200,
      deliveredAt: "2024-05-01T10:01:00Z",
    });
    sim.recordDelivery({
      event: "pull_request",
      payload: payload(3),
      statusCode: 200,
      deliveredAt: "2024-05-01T10:03:00Z",
    });

    const octokit = app();
    const listed = await octokit.paginate("GET /app/hook/deliveries", { per_page: 2 });
    expect(listed.map((d) => [d.delivered_at, d.status_code, d.status])).toEqual([
      ["2024-05-01T10:03:00Z", 200, "OK"],
      ["2024-05-01T10:02:00Z", 502, "Invalid HTTP Response: 502"],
      ["2024-05-01T10:01:00Z", 200, "OK"],
    ]);
    expect(listed[1]).toMatchObject({
      guid: "guid-missed",
      event: "pull_request",
      action: "opened",
      installation_id: 9,
      repository_id: repository.id,
      redelivery: false,
    });
    const pages = sim.requests.filter((r) => r.path === "/app/hook/deliveries");
    expect(pages.map((r) => r.query.cursor)).toEqual([undefined, expect.stringMatching(/^v1_/)]);

    const attempt = await octokit.request("POST /app/hook/deliveries/{delivery_id}/attempts", {
      delivery_id: missed.id,
    });
    expect(attempt.status).toBe(202);
    await sim.whenIdle();

    expect(sim.deliveryAttempts).toEqual([missed.id]);
    expect(receiver.received).toHaveLength(1);
    const [sent] = receiver.received;
    expect(sent?.headers).toMatchObject({
      "x-github-event": "pull_request",
      "x-github-delivery": "guid-missed",
      "content-type": "application/json",
    });
    expect(await verify(SECRET, sent!.body, String(sent!.headers["x-hub-signature-256"]))).toBe(
      true,
    );
    expect(JSON.parse(sent!.body)).toEqual(payload(2));

    const [newest] = sim.deliveries();
    expect(newest).toMatchObject({ guid: "guid-missed", redelivery: true, status_code: 200 });
    expect(newest?.id).not.toBe(missed.id);
  });

  it("404s a redelivery of an unknown delivery and needs the app JWT", async () => {
    await expect(
      app().request("POST /app/hook/deliveries/{delivery_id}/attempts", { delivery_id: 1 }),
    ).rejects.toMatchObject({ status: 404 });
    const anonymous = await fetch(`${sim.url}/app/hook/deliveries`);
    expect(anonymous.status).toBe(401);
    expect(sim.deliveryAttempts).not.toContain(1);
  });

  it("records a delivery to a receiver that is down as missed (status_code 0)", async () => {
    const down = await startReceiver();
    await down.close();
    const other = await startGitHubSimulator({ appId: APP_ID });
    try {
      other.configureWebhooks({ url: down.url, secret: SECRET });
      const record = await other.deliver({ event: "pull_request", payload: payload(4) });
      expect(record).toMatchObject({ status_code: 0, redelivery: false });
      expect(record.status).toMatch(/failed to connect/);
    } finally {
      await other.close();
    }
  });
});

describe("sendWebhook", () => {
  it("POSTs a signed payload with the event and delivery id", async () => {
    const result = await sendWebhook({
      url: receiver.url,
      secret: SECRET,
      event: "pull_request",
      payload: payload(6),
      deliveryId: "d-6",
    });
    expect(result).toMatchObject({ status: 200, body: "ok", deliveryId: "d-6" });
    const [sent] = receiver.received;
    expect(sent?.headers).toMatchObject({
      "x-github-event": "pull_request",
      "x-github-delivery": "d-6",
    });
    expect(await verify(SECRET, sent!.body, String(sent!.headers["x-hub-signature-256"]))).toBe(
      true,
    );
    expect(
      await verify("wrong-secret", sent!.body, String(sent!.headers["x-hub-signature-256"])),
    ).toBe(false);
  });
});
