/** /healthz, /readyz and /metrics on the running App: no console sign-in, the metrics' names and labels. */
import { afterEach, describe, expect, it } from "vitest";
import { pullRequestPayload } from "../../src/simulators/scenario/payloads.js";
import type { Testbed } from "../../src/simulators/scenario/testbed.js";
import { startTestbed } from "../../src/simulators/scenario/testbed.js";
import { waitFor } from "../e2e/app-process.js";
import { common, openPr, prEvent, status } from "../e2e/world.js";

let bed: Testbed | undefined;
afterEach(async () => {
  await bed?.close();
  bed = undefined;
});

/** Each sample line `name{a="x",b="y"} value` as name and labels. */
function samples(text: string) {
  return text
    .split("\n")
    .filter((line) => line && !line.startsWith("#"))
    .map((line) => {
      const match = /^([a-zA-Z0-9_:]+)(?:\{(.*)\})? (\S+)$/.exec(line)!;
      const labels = Object.fromEntries(
        [...(match[2] ?? "").matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]),
      );
      return { name: match[1]!, labels, value: Number(match[3]) };
    });
}

describe("operational endpoints", () => {
  it("/healthz answers; /readyz is ready while the store answers and the worker runs", async () => {
    bed = await startTestbed();
    const url = bed.server!.url;
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ ok: true });
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, store: "ok", worker: "running" });

    await bed.server!.worker.stop({ timeoutMs: 1_000 });
    const stopped = await fetch(`${url}/readyz`);
    expect(stopped.status).toBe(503);
    expect(await stopped.json()).toMatchObject({ ready: false, store: "ok", worker: "stopped" });

    await bed.server!.store.close();
    const noStore = await fetch(`${url}/readyz`);
    expect(noStore.status).toBe(503);
    expect(((await noStore.json()) as { store: string }).store).toMatch(/^not answering/);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });

  it("a processing thread that dies is logged, fails /readyz and is replaced; work goes on", async () => {
    const lines: string[] = [];
    bed = await startTestbed({
      logDestination: { write: (line: string) => lines.push(line) } as never,
    });
    const url = bed.server!.url;
    const ready = async () => ((await fetch(`${url}/readyz`)).status === 200 ? "up" : "down");
    const dead = bed.server!.worker.thread!;
    await dead.terminate();
    expect(await ready()).toBe("down");
    expect(bed.server!.worker.state()).toBe("stopped");
    expect(lines.join("")).toContain("the processing thread stopped");

    await waitFor(async () => (await ready()) === "up", 30_000);
    expect(bed.server!.worker.thread).not.toBe(dead);
    bed.tracker.createIssue("PROJ-1");
    await prEvent(bed, "opened", openPr(bed, { number: 1, branch: "PROJ-1", title: "x" }));
    expect(status(bed, "PROJ-1")).toBe("In progress");
  });

  it("/metrics serves the listed metrics with their labels after real traffic", async () => {
    bed = await startTestbed();
    bed.tracker.createIssue("PROJ-1");
    await prEvent(bed, "opened", openPr(bed, { number: 1, branch: "PROJ-1", title: "x" }));
    const bad = await fetch(`${bed.server!.url}${bed.config.webhookPath}`, {
      method: "POST",
      headers: { "x-github-event": "pull_request", "x-hub-signature-256": "sha256=00" },
      body: "{}",
    });
    expect(bad.status).toBe(401);

    const response = await fetch(`${bed.server!.url}/metrics`);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const all = samples(await response.text());
    const find = (name: string, labels: Record<string, string> = {}) =>
      all.find(
        (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
      );

    expect(
      find("trackbridge_webhook_deliveries_total", { event: "pull_request", outcome: "stored" })
        ?.value,
    ).toBe(1);
    expect(
      find("trackbridge_webhook_deliveries_total", {
        event: "pull_request",
        outcome: "bad_signature",
      })?.value,
    ).toBe(1);
    expect(find("trackbridge_webhook_ack_duration_seconds_count")?.value).toBe(2);
    expect(find("trackbridge_webhook_ack_duration_seconds_bucket", { le: "+Inf" })?.value).toBe(2);
    expect(find("trackbridge_jobs", { state: "done", tracker: "yandex" })?.value).toBeGreaterThan(
      0,
    );
    const trackerCalls = find("trackbridge_tracker_request_duration_seconds_count", {
      tracker: "yandex",
      status_code: "200",
    });
    expect(trackerCalls?.value).toBeGreaterThan(0);
    expect(
      find("trackbridge_github_api_requests_total", { status_code: "200" })?.value,
    ).toBeGreaterThan(0);
    const remaining = find("trackbridge_github_rate_limit_remaining")?.value;
    expect(remaining).toBeGreaterThan(4000);
    expect(remaining).toBeLessThan(5000);
    expect(find("trackbridge_oldest_pending_job_age_seconds")?.value).toBe(0);

    // The processing thread reports its store's statements once a second.
    const counted = { statements: 0, transactions: 0 };
    await waitFor(async () => {
      const now = samples(await (await fetch(`${bed!.server!.url}/metrics`)).text());
      const value = (name: string) => now.find((s) => s.name === name)?.value ?? 0;
      counted.statements = value("trackbridge_store_statements_total");
      counted.transactions = value("trackbridge_store_transactions_total");
      return counted.statements > 0;
    }, 5_000);
    expect(counted.transactions).toBeGreaterThan(0);
    // Each transaction is BEGIN, at least one statement, and COMMIT.
    expect(counted.statements).toBeGreaterThanOrEqual(3 * counted.transactions);
  });

  it("reports the age of the oldest pending job while the tracker rate-limits", async () => {
    bed = await startTestbed();
    bed.tracker.createIssue("PROJ-2");
    bed.tracker.injectFaults({ status: 429, count: 1_000, retryAfterSeconds: 60 });
    const pr = openPr(bed, { number: 2, branch: "PROJ-2", title: "x" });
    // Not `prEvent`: it waits for the worker, which waits a minute for the tracker here.
    await bed.github.deliver({
      event: "pull_request",
      payload: pullRequestPayload("opened", pr, common(bed)),
    });
    let age = 0;
    for (let i = 0; i < 100 && age <= 0.5; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const text = await (await fetch(`${bed.server!.url}/metrics`)).text();
      age = samples(text).find(
        (s) => s.name === "trackbridge_oldest_pending_job_age_seconds",
      )!.value;
    }
    expect(age).toBeGreaterThan(0.5);
  });

  it("TRACKBRIDGE_METRICS_TOKEN restricts /metrics to its Bearer token; health routes stay open", async () => {
    const token = "metrics-token-abcdefabcdef";
    bed = await startTestbed({ extraEnv: { TRACKBRIDGE_METRICS_TOKEN: token } });
    const url = bed.server!.url;
    expect((await fetch(`${url}/metrics`)).status).toBe(401);
    expect(
      (await fetch(`${url}/metrics`, { headers: { authorization: "Bearer nope" } })).status,
    ).toBe(401);
    const ok = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("trackbridge_webhook_deliveries_total");
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
  });
});
