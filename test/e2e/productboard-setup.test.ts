/**
 * The Productboard section set up as the README says, with the real server, the Jira simulator
 * and the Productboard simulator on loopback: the App starts before the integration exists,
 * `POST /plugin-integrations` registers its action URL (Productboard probes it; the App echoes),
 * and the App restarted with the answered id connects a push. Then a push whose create Jira
 * answers 500 until the outbox gives up, and one Jira refuses outright, each end on the
 * feature's button as `error` with a short reason and no secret, not on "progress" for ever.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  type ProductboardSimulator,
  startProductboardSimulator,
} from "../../src/simulators/productboard/index.js";
import { startTestbed, type Testbed } from "../../src/simulators/scenario/testbed.js";
import { registerIntegration } from "../helpers/productboard.js";
import { freePort, waitFor } from "./app-process.js";

const PB_TOKEN = "pb-setup-token-0123456789abcdef";
const PLUGIN_SECRET = "pb-setup-plugin-secret-fedcba9876";
/** The outbox's attempts before a job is a dead letter, made few so the test is quick. */
const MAX_ATTEMPTS = 3;

describe("setting up Productboard as the README says, and a push the outbox gives up on", {
  timeout: 60_000,
}, () => {
  let pb: ProductboardSimulator;
  let bed: Testbed;
  let dir: string;
  let file: string;
  const log: string[] = [];

  const section = (integrationId: string) => `productboard:
  url: ${pb.url}
  token: { env: PRODUCTBOARD_TOKEN }
  integration_id: ${integrationId}
  authorization: { env: PRODUCTBOARD_PLUGIN_SECRET }
  connection: jira
  project: PROJ
`;

  beforeAll(async () => {
    pb = await startProductboardSimulator({ token: PB_TOKEN });
    dir = mkdtempSync(path.join(tmpdir(), "trackbridge-pb-setup-"));
    file = path.join(dir, "connections.yml");
    // Productboard has not answered an id yet: any value lets the App start and answer the probe.
    writeFileSync(file, section("not-registered-yet"));
    const capture = new PassThrough();
    capture.on("data", (chunk: Buffer) => log.push(chunk.toString("utf8")));
    bed = await startTestbed({
      tracker: "jira",
      logLevel: "debug",
      logDestination: capture,
      workerPolicy: { maxAttempts: MAX_ATTEMPTS },
      extraEnv: {
        // The App keeps its address across the restart, as a deployment does: the action URL.
        PORT: String(await freePort()),
        TRACKBRIDGE_CONNECTIONS: file,
        PRODUCTBOARD_TOKEN: PB_TOKEN,
        PRODUCTBOARD_PLUGIN_SECRET: PLUGIN_SECRET,
      },
    });
  });
  afterEach(() => bed.tracker.clearFaults());
  afterAll(async () => {
    await bed?.close();
    await pb?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Every secret the button, the simulators' logs or the App's log might leak. */
  const secrets = () => [PB_TOKEN, PLUGIN_SECRET, bed.trackerToken];

  it("registers the integration with POST /plugin-integrations, and the App with its id connects a push", async () => {
    // The README's request body, with the App's address and the secret of PRODUCTBOARD_PLUGIN_SECRET.
    const registered = await registerIntegration(
      { url: pb.url, token: PB_TOKEN },
      {
        type: "com.example.trackbridge",
        name: "trackbridge",
        integrationStatus: "enabled",
        initialState: { label: "Create issue" },
        action: {
          url: `${bed.server!.url}/api/productboard/plugin`,
          version: 1,
          headers: { authorization: PLUGIN_SECRET },
        },
      },
    );
    const text = await registered.text();
    expect(registered.status, text).toBe(201);
    const { data } = JSON.parse(text) as { data: { id: string; integrationStatus: string } };
    expect(data.integrationStatus).toBe("enabled");
    // The action is write-only: its authorization never comes back.
    expect(text).not.toContain(PLUGIN_SECRET);

    writeFileSync(file, section(data.id));
    await bed.restart({ reloadConfig: true });
    expect(bed.config.productboard?.integrationId).toBe(data.id);

    const feature = pb.createFeature({ name: "Sign in with SSO" });
    expect(await pb.push(feature.id)).toMatchObject({ status: 200 });
    await waitFor(() => pb.connection(feature.id).state === "connected", 30_000);
    expect(pb.connection(feature.id)).toMatchObject({ label: "PROJ-1" });
  });

  const creates = () =>
    bed.tracker.requests.filter((r) => r.method === "POST" && r.path.endsWith("/issue")).length;

  it("a push whose create fails every retry shows error on its button, with the reason", async () => {
    const feature = pb.createFeature({ name: "Dark mode" });
    const before = creates();
    // Jira answers every create 500, echoing the token the App sent.
    bed.tracker.injectFaults({
      status: 500,
      count: 1_000,
      method: "POST",
      pathIncludes: "/issue",
      body: { errorMessages: [`upstream saw ${bed.trackerToken}`], errors: {} },
    });
    // The README: while the job still retries the button stays on `progress`, the App's answer
    // to the push (the App writes the connection only once it has the issue or gives up).
    expect(await pb.push(feature.id)).toMatchObject({
      status: 200,
      body: { data: { connection: { state: "progress" } } },
    });
    await waitFor(() => pb.connection(feature.id).state === "error", 30_000);

    expect(creates() - before).toBe(MAX_ATTEMPTS);
    const button = pb.connection(feature.id);
    expect(button).toMatchObject({ state: "error", label: "Not created" });
    expect(String(button.tooltip)).toMatch(/^gave up after 3 attempts: /);
    expect(String(button.tooltip).length).toBeLessThanOrEqual(200);
    for (const secret of secrets()) expect(JSON.stringify(button)).not.toContain(secret);
    expect(bed.tracker.issueKeys("PROJ")).toEqual(["PROJ-1"]);
  });

  it("a create Jira refuses shows error on the button without retrying", async () => {
    const feature = pb.createFeature({ name: "Export" });
    const before = creates();
    bed.tracker.injectFaults({ status: 400, count: 1, method: "POST", pathIncludes: "/issue" });
    await pb.push(feature.id);
    await waitFor(() => pb.connection(feature.id).state === "error", 30_000);
    expect(creates() - before).toBe(1);
    expect(String(pb.connection(feature.id).tooltip)).not.toMatch(/gave up/);
  });

  it("never logs the Productboard token, the plugin's authorization or Jira's token", () => {
    const output = log.join("");
    expect(output).toContain("Productboard feature call recorded");
    for (const secret of secrets()) expect(output).not.toContain(secret);
  });
});
