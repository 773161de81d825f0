/**
 * The queue of deliveries waiting to be planned, where installations take turns. A delivery's
 * turn is set as it is recorded: its installation's last waiting turn + 1, or the turn the
 * queue stands at, whichever is later. One installation's flood of webhooks (a sync of
 * 500 PRs, a mass edit) then stands in line with every other installation's next delivery
 * instead of before it, and the claims walk the queue in turn order (claims.ts). Within one
 * installation, deliveries keep their received order.
 *
 * The jobs' turns (migration 8, `installation_turns`) need a clock table because a plan adds
 * many jobs at once; a delivery's turn is read from the waiting deliveries themselves, with
 * two index reads inside the insert, so the acknowledgement path gains no statement and no
 * row that replicas would contend on.
 */
import { toIso } from "./rows.js";
import type { NewDelivery } from "./types.js";

/**
 * Records a delivery in its turn (params: id, event, payload, received_at, next_at,
 * retry_from, installation_id, installation_id). Where the queue stands is the highest turn
 * planned so far: claims take turns in order, so every turn before it has been served. Read
 * that way it is one index step; the lowest turn still due would be a walk past every
 * delivery waiting out a retry, on every webhook, when GitHub is down and many wait.
 */
export const INSERT_DELIVERY = `INSERT INTO deliveries
  (id, event, payload, received_at, state, attempts, next_at, retry_from, installation_id, turn)
  VALUES (?, ?, ?, ?, 'received', 0, ?, ?, ?, (SELECT COALESCE(MAX(t), 0) FROM (
    SELECT served.turn AS t FROM (SELECT turn FROM deliveries
      WHERE state = 'planned' ORDER BY turn DESC LIMIT 1) AS served
    UNION ALL
    SELECT own.turn + 1 AS t FROM (SELECT turn FROM deliveries
      WHERE state = 'received' AND installation_id = ? ORDER BY turn DESC LIMIT 1) AS own
  ) AS turns))
  ON CONFLICT (id) DO NOTHING`;

/**
 * Claims the due deliveries first in turn order (params: now, limit, lease_until), in one
 * statement: a transaction of a select and an update per row was four statements and more on
 * PostgreSQL. `lock` ends the pick (PostgreSQL's `FOR UPDATE SKIP LOCKED`: replicas pass over
 * what another is claiming, and a row another changed since the snapshot is locked only if it
 * still matches); under SQLite's single writer the statement is atomic. No re-check by state:
 * the update would then walk every due delivery (deliveries_due) instead of the picked ids.
 * The pick is MATERIALIZED: PostgreSQL may otherwise run it again for each row it updates,
 * and a LIMIT that skips locked rows then picks more than its limit. The rows come back in no
 * particular order: sort them by `turn`, `received_at`, `id`.
 * `+next_at` keeps the planner on deliveries_turn, already in turn order: a sort would read
 * the whole backlog, payloads included, on every claim.
 */
export const claimDueDeliveries = (lock: string) => `WITH picked AS MATERIALIZED (
    SELECT id FROM deliveries WHERE state = 'received' AND +next_at <= ?
    ORDER BY turn, received_at, id LIMIT ?${lock})
  UPDATE deliveries SET next_at = ?, attempts = attempts + 1
  WHERE id IN (SELECT id FROM picked)
  RETURNING id, event, payload, received_at, attempts, retry_from, turn`;
/** Whether a claim would find anything: asked before taking the write lock for it. */
export const ANY_DUE_DELIVERY = `SELECT 1 AS due FROM deliveries
  WHERE state = 'received' AND +next_at <= ? LIMIT 1`;

/** INSERT_DELIVERY's parameters: the delivery's JSON as received, due for planning at once. */
export function deliveryParams(delivery: NewDelivery): unknown[] {
  const receivedAt = toIso(delivery.receivedAt);
  const at = Date.parse(receivedAt);
  const payload = delivery.rawPayload ?? JSON.stringify(delivery.payload);
  const installation = installationOf(payload);
  return [delivery.id, delivery.event, payload, receivedAt, at, at, installation, installation];
}

/** `"installation": { "id": 123` where a search from the end finds the key. */
const INSTALLATION_ID = /"installation"\s*:\s*\{\s*"id"\s*:\s*(\d+)/y;

/**
 * The GitHub App installation a payload belongs to, found without parsing it (ingest stores
 * the JSON as received; a 25 KB parse per webhook would cost the answering thread). GitHub puts
 * `installation` last, so the search runs from the end; a string value cannot match, since its
 * quotes are escaped. 0 for what has none (tracker webhooks and polls share that turn line).
 *
 * @example
 * installationOf('{"action":"opened","installation":{"id":42,"node_id":"x"}}') // 42
 */
export function installationOf(json: string): number {
  let at = json.lastIndexOf('"installation"');
  if (at < 0) return 0;
  while (at >= 0) {
    INSTALLATION_ID.lastIndex = at;
    const match = INSTALLATION_ID.exec(json);
    if (match) return Number(match[1]);
    at = json.lastIndexOf('"installation"', at - 1);
  }
  // Named, but not with its id first (not how GitHub writes it): parse, once, to be sure.
  try {
    const id = (JSON.parse(json) as { installation?: { id?: unknown } }).installation?.id;
    return typeof id === "number" && Number.isSafeInteger(id) ? id : 0;
  } catch {
    return 0;
  }
}
