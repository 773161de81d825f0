/**
 * POST /api/trackers/{connection}/webhooks: a tracker says "something changed on KEY". Like
 * GitHub's deliveries, the signal is verified, stored, and only then acknowledged; the
 * worker plans it (reads the issue, updates the PRs' `trackbridge/issue` checks) and retries.
 *
 * Answers: 202 stored (or already stored: Jira retried a delivery it names), 202 ignored (an
 * authentic event about something other than a status), 401 missing or wrong secret (nothing
 * stored), 404 unknown connection or one without a webhook secret, 400 no issue key,
 * 413 over `maxBytes`, 500 the store failed (the tracker retries).
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { TrackerConnection } from "../trackers/connection.js";
import { readTrackerWebhook } from "../trackers/webhook.js";
import {
  answerFailures,
  DEFAULT_MAX_BYTES,
  readBodyWithin,
  recordThenAnswer,
  reply,
} from "./ingest.js";
import { type Clock, type Logger, systemClock } from "./runtime.js";
import type { Store } from "./store.js";

/** The delivery event of every tracker change signal, whatever its origin. */
export const TRACKER_EVENT = "tracker_issue";

/** What a `tracker_issue` delivery carries. `origin: "app"` is the App's own move. */
export interface TrackerSignal {
  connection: string;
  key: string;
  origin: "webhook" | "poll" | "app";
}

const ROUTE = /^\/api\/trackers\/([^/]+)\/webhooks\/?$/;

/** The connection named by a tracker webhook path, or null for any other path. */
export function trackerWebhookConnection(path: string): string | null {
  const match = ROUTE.exec(path);
  return match ? decodeURIComponent(match[1]!) : null;
}

export interface TrackerIngestOptions {
  store: Pick<Store, "recordDelivery">;
  connections: ReadonlyArray<
    Pick<TrackerConnection, "name" | "type" | "webhookSecret" | "keyPrefix" | "options">
  >;
  maxBytes?: number;
  onStored?: () => void;
  log: Logger;
  clock?: Clock;
}

export function createTrackerIngestHandler(
  options: TrackerIngestOptions,
): (req: IncomingMessage, res: ServerResponse, connection: string) => void {
  const { log } = options;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const clock = options.clock ?? systemClock;
  const byName = new Map(options.connections.map((c) => [c.name, c]));

  async function handle(req: IncomingMessage, res: ServerResponse, name: string): Promise<void> {
    const connection = byName.get(name);
    if (!connection) {
      return reply(res, 404, { ok: false, error: `no tracker connection named "${name}"` });
    }
    if (!connection.webhookSecret) {
      return reply(res, 404, {
        ok: false,
        error: `connection "${name}" takes no webhooks: it has no webhook_secret`,
      });
    }
    const body = await readBodyWithin(req, res, maxBytes);
    if (body === null) return;

    const read = await readTrackerWebhook(
      connection,
      connection.webhookSecret,
      req.headers,
      body.toString("utf8"),
      clock.now(),
    );
    if (read.kind === "unauthorized") {
      log.warn({ connection: name }, `tracker webhook refused: ${read.reason}`);
      return reply(res, 401, { ok: false, error: read.reason });
    }
    if (read.kind === "invalid") return reply(res, 400, { ok: false, error: read.reason });
    if (read.kind === "ignored") return reply(res, 202, { ok: true, ignored: read.reason });

    // Jira names its deliveries; a Yandex trigger does not, so each of its calls is new.
    const id = `${connection.type}:${name}:${read.deliveryId ?? randomUUID()}`;
    const payload: TrackerSignal = { connection: name, key: read.key, origin: "webhook" };
    const receivedAt = new Date(clock.now()).toISOString();
    const delivery = { id, event: TRACKER_EVENT, payload, receivedAt };
    const unrecorded = { log: "tracker webhook", answer: "delivery" };
    await recordThenAnswer(res, delivery, options, unrecorded, (outcome) => {
      reply(res, 202, { ok: true, duplicate: outcome === "duplicate" });
      log.debug({ delivery: id, key: read.key, outcome }, "tracker webhook recorded");
    });
  }

  return answerFailures(handle, log, "tracker webhook");
}
