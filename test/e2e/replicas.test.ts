/**
 * Two App replicas share one PostgreSQL: webhooks arrive at either, each transition is
 * applied once, and a redelivery to the other replica is a duplicate. Runs when
 * TEST_DATABASE_URL is set (CI sets it).
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadServerConfig } from "../../src/config/server-config.js";
import { type RunningServer, startServer } from "../../src/server/server.js";
import {
  githubNow,
  pullRequestPayload,
  reviewPayload,
} from "../../src/simulators/scenario/payloads.js";
import { startTestbed, type Testbed } from "../../src/simulators/scenario/testbed.js";
import { common, openPr, status } from "./world.js";

const url = process.env.TEST_DATABASE_URL ?? "";

describe.runIf(url !== "")("replicas on PostgreSQL", () => {
  const schema = `tb_e2e_${randomBytes(4).toString("hex")}`;
  let bed: Testbed;
  const replicas: RunningServer[] = [];

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    const shared = `${url}${url.includes("?") ? "&" : "?"}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    bed = await startTestbed({
      withoutServer: true,
      extraEnv: { TRACKBRIDGE_DATABASE_URL: shared },
    });
    const config = loadServerConfig(bed.env);
    for (let i = 0; i < 2; i++) {
      replicas.push(
        await startServer({
          config,
          env: bed.env,
          log: bed.log,
          githubThrottle: false,
          workerPolicy: { baseMs: 50, capMs: 500, idlePollMs: 100 },
        }),
      );
    }
  });
  afterAll(async () => {
    for (const replica of replicas) await replica.close({ timeoutMs: 1_000 });
    await bed.close();
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  });

  it("events spread over both replicas are each applied once, in order", async () => {
    const keys = Array.from({ length: 12 }, (_, i) => `PROJ-${300 + i}`);
    const prs = keys.map((key, i) => {
      bed.tracker.createIssue(key);
      return openPr(bed, { number: 300 + i, branch: key, title: key });
    });
    let turn = 0;
    const sendTo = (event: string, payload: unknown, guid?: string) => {
      const replica = replicas[turn++ % replicas.length]!;
      bed.github.configureWebhooks({
        url: `${replica.url}/api/github/webhooks`,
        secret: bed.webhookSecret,
      });
      return bed.github.deliver({ event, payload, ...(guid ? { guid } : {}) });
    };
    for (const pr of prs) {
      const guid = `opened-${pr.number}`;
      expect(
        (await sendTo("pull_request", pullRequestPayload("opened", pr, common(bed)), guid))
          .status_code,
      ).toBe(202);
      // The same delivery at the other replica: a duplicate, not a second run.
      expect(
        (await sendTo("pull_request", pullRequestPayload("opened", pr, common(bed)), guid))
          .status_code,
      ).toBe(202);
      await sendTo(
        "pull_request_review",
        reviewPayload("approved", pr, common(bed, "bob"), githubNow(1000)),
      );
    }
    await Promise.all(replicas.map((replica) => replica.worker.drain()));
    await Promise.all(replicas.map((replica) => replica.worker.drain()));
    for (const key of keys) {
      expect(status(bed, key)).toBe("Ready for test");
      const executes = bed.tracker.requests.filter(
        (r) => r.method === "POST" && r.path.includes(`/${key}/transitions/`),
      );
      // Two moves at most (opened, approved); one when the approval superseded a pending open.
      expect(executes.length).toBeGreaterThanOrEqual(1);
      expect(executes.length).toBeLessThanOrEqual(2);
      expect(bed.tracker.getIssue(key).comments).toHaveLength(1);
    }
  });
});
