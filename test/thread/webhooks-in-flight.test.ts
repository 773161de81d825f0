import http from "node:http";
import type { AddressInfo } from "node:net";
import { Worker } from "node:worker_threads";
import { afterEach, describe, expect, it } from "vitest";
import { WebhooksInFlight } from "../../src/thread/webhooks-in-flight.js";
import { until } from "../delivery/helpers.js";

let server: http.Server | undefined;
afterEach(
  () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
);

describe("webhooks in flight", () => {
  it("counts requests until answered or dropped, and another thread reads the same count", async () => {
    const webhooks = new WebhooksInFlight();
    const held: http.ServerResponse[] = [];
    server = http.createServer((req, res) => {
      webhooks.track(res);
      req.resume();
      held.push(res);
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const requests = Array.from({ length: 6 }, () => {
      const request = http.request({ host: "127.0.0.1", port, method: "POST", agent: false });
      const answered = new Promise<void>((resolve) => {
        request.on("response", (response) => response.resume().on("end", resolve));
        request.on("error", () => resolve());
      });
      request.end("{}");
      return { request, answered };
    });
    await until(() => held.length === 6);
    expect(webhooks.count()).toBe(6);
    expect(webhooks.burst()).toBe(true);

    // The processing thread's view: the same memory.
    const seen = await new Promise<number>((resolve, reject) => {
      const thread = new Worker(
        `const { workerData, parentPort } = require("node:worker_threads");
         parentPort.postMessage(Atomics.load(new Int32Array(workerData), 0));`,
        { eval: true, workerData: webhooks.buffer },
      );
      thread.once("message", resolve);
      thread.once("error", reject);
    });
    expect(seen).toBe(6);

    for (const res of held.slice(0, 4)) res.end("ok");
    await Promise.all(requests.slice(0, 4).map((r) => r.answered));
    requests[4]!.request.destroy();
    await until(() => webhooks.count() === 1);
    expect(webhooks.count()).toBe(1);
    expect(webhooks.burst()).toBe(false);
    held[5]!.end("ok");
    await requests[5]!.answered;
    await until(() => webhooks.count() === 0);
    expect(webhooks.count()).toBe(0);
  });
});
