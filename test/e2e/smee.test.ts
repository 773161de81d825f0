/**
 * WEBHOOK_PROXY_URL works as Probot users expect: the server subscribes to the channel with
 * smee-client and forwards each event, headers and signature intact, to its webhook route.
 * The channel here is a local server speaking smee.io's event-stream format.
 */
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { PassThrough } from "node:stream";
import { sign } from "@octokit/webhooks-methods";
import { afterAll, describe, expect, it } from "vitest";
import { pullRequestPayload } from "../../src/simulators/scenario/payloads.js";
import { startTestbed, type Testbed } from "../../src/simulators/scenario/testbed.js";
import { waitFor } from "./app-process.js";
import { common, openPr, status } from "./world.js";

describe("WEBHOOK_PROXY_URL (smee)", () => {
  const subscribers: ServerResponse[] = [];
  const channel = createServer((req, res) => {
    res.writeHead(200, {
      "content-type": "text/event-stream",
      "cache-control": "no-cache",
      connection: "keep-alive",
    });
    res.write("event: ready\ndata: {}\n\n");
    subscribers.push(res);
    req.on("close", () => subscribers.splice(subscribers.indexOf(res), 1));
  });
  let bed: Testbed | undefined;
  afterAll(async () => {
    await bed?.close();
    for (const res of subscribers) res.end();
    channel.closeAllConnections();
    await new Promise((resolve) => channel.close(resolve));
  });

  it("forwards channel events to the App, which verifies and applies them", async () => {
    await new Promise<void>((resolve) => channel.listen(0, "127.0.0.1", resolve));
    const source = `http://127.0.0.1:${(channel.address() as AddressInfo).port}/channel`;
    const logs: string[] = [];
    const capture = new PassThrough().on("data", (chunk: Buffer) => logs.push(chunk.toString()));
    bed = await startTestbed({
      extraEnv: { WEBHOOK_PROXY_URL: source },
      logLevel: "info",
      logDestination: capture,
    });
    expect(subscribers).toHaveLength(1);

    bed.tracker.createIssue("PROJ-41");
    const pr = openPr(bed, { number: 1, branch: "PROJ-41-smee", title: "x" });
    const payload = pullRequestPayload("opened", pr, common(bed));
    const body = JSON.stringify(payload);
    const message = {
      "x-github-event": "pull_request",
      "x-github-delivery": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
      "x-hub-signature-256": await sign(bed.webhookSecret, body),
      body: payload,
      timestamp: Date.now(),
    };
    subscribers[0]!.write(`data: ${JSON.stringify(message)}\n\n`);
    await waitFor(() => status(bed!, "PROJ-41") === "In progress", 20_000);

    // A forged event on the channel is refused: the signature is still checked.
    bed.tracker.createIssue("PROJ-42");
    const forged = openPr(bed, { number: 2, branch: "PROJ-42", title: "x" });
    subscribers[0]!.write(
      `data: ${JSON.stringify({ ...message, "x-github-delivery": "forged", "x-hub-signature-256": "sha256=00", body: pullRequestPayload("opened", forged, common(bed)) })}\n\n`,
    );
    // smee-client logs the App's answer to each forwarded event.
    await waitFor(() => logs.some((line) => line.includes("webhooks - 401")), 20_000);
    await bed.server!.worker.drain();
    expect(status(bed, "PROJ-42")).toBe("Open");
    expect(logs.filter((line) => line.includes("webhooks - 202"))).toHaveLength(1);
  });
});
