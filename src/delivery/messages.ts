/**
 * The outbox's message jobs: one row per (job, channel, event), written in the transaction
 * that settles the job, so a notification is never lost and never written twice. They are
 * claimed per channel: the oldest due message of a channel takes every message of the
 * channel still waiting (up to `DIGEST_LIMIT`) into one send, a digest. A channel is held
 * back (the `tracker_holds` row `channel:<name>`, shared by replicas as the trackers' holds
 * are) after every send for the service's per-channel pace, and for as long as a 429 asked.
 */
import { DIGEST_LIMIT, type Notice } from "../core/notify.js";
import { type Db, type Querier, together } from "./db.js";
import { holdTracker, trackerHold } from "./github-memo.js";
import { placeholders } from "./queries.js";

export type MessageState = "pending" | "running" | "sent" | "dead" | "discarded";

/** A message to write when a job settles. */
export interface MessageDraft {
  channel: string;
  /** `<job id>:<channel>:<event>`: a second write of the same is ignored. */
  dedupKey: string;
  notice: Notice;
  /** When it may be sent: a short wait gathers events that come together into one digest. */
  nextAt: number;
}

export interface StoredMessage {
  id: number;
  channel: string;
  notice: Notice;
  state: MessageState;
  attempts: number;
  lastError: string | null;
  createdAt: number;
  retryFrom: number;
  updatedAt: number;
}

/** The messages of one channel claimed together: sent as one message, settled together. */
export interface MessageBatch {
  channel: string;
  /** Fences the batch: only this claim can settle or reschedule its messages. */
  claim: string;
  /** The highest attempt count among the messages (this attempt included). */
  attempts: number;
  /** The oldest message's retry start: the batch gives up by its age. */
  retryFrom: number;
  messages: StoredMessage[];
}

interface MessageRow {
  id: number;
  channel: string;
  notice: string;
  state: MessageState;
  attempts: number;
  last_error: string | null;
  created_at: number;
  retry_from: number;
  updated_at: number;
}

/** The hold key of a channel in `tracker_holds`: tracker names cannot contain a colon. */
export const channelHoldKey = (channel: string) => `channel:${channel}`;

const INSERT_MESSAGE = `INSERT INTO messages
  (channel, dedup_key, notice, state, attempts, next_at, created_at, retry_from, updated_at)
  VALUES (?, ?, ?, 'pending', 0, ?, ?, ?, ?)
  ON CONFLICT (dedup_key) DO NOTHING`;

export async function insertMessages(
  tx: Querier,
  drafts: readonly MessageDraft[],
  now: number,
): Promise<void> {
  await together(
    drafts.map((d) => {
      const params = [d.channel, d.dedupKey, JSON.stringify(d.notice), d.nextAt, now, now, now];
      return tx.run(INSERT_MESSAGE, params);
    }),
  );
}

/** A message is due when pending and its time came, or running past its lease (a crash). */
const DUE = "state IN ('pending', 'running') AND next_at <= ?";

// Channels with a due message and none being sent right now, oldest first.
const DUE_CHANNELS = `SELECT channel FROM messages m WHERE ${DUE}
  AND NOT EXISTS (SELECT 1 FROM messages o
    WHERE o.channel = m.channel AND o.state = 'running' AND o.next_at > ?)
  GROUP BY channel ORDER BY MIN(id) LIMIT ?`;
// Every message the channel has waiting goes into the digest, due or gathering.
const WAITING_OF_CHANNEL = `SELECT id FROM messages
  WHERE channel = ? AND (state = 'pending' OR (state = 'running' AND next_at <= ?))
  ORDER BY id LIMIT ?`;
const HOLD_CHANNEL = `UPDATE messages SET next_at = ?
  WHERE channel = ? AND state = 'pending' AND next_at < ?`;
/** `idIn`: the dialect's `oneOf("id", …)`. */
const claimMessageIds = (idIn: string) => `UPDATE messages
  SET state = 'running', attempts = attempts + 1, claim = ?, next_at = ?, updated_at = ?
  WHERE ${idIn}
    AND (state = 'pending' OR (state = 'running' AND next_at <= ?))
  RETURNING *`;

/**
 * Claims up to `limit` channels' batches. A channel still held (its pace, a 429's wait) is
 * not claimed: its messages' time moves to the hold's end, so the worker sleeps until then.
 */
export function claimMessages(
  db: Db,
  input: { now: number; leaseMs: number; limit: number; claimId: () => string },
): Promise<MessageBatch[]> {
  const { now, leaseMs, limit } = input;
  const { oneOf, listParams } = db.dialect;
  return db.tx(async (tx) => {
    const channels = await tx.rows<{ channel: string }>(DUE_CHANNELS, [now, now, limit]);
    const batches: MessageBatch[] = [];
    for (const { channel } of channels) {
      const heldUntil = await trackerHold(tx, channelHoldKey(channel));
      if (heldUntil !== null && heldUntil > now) {
        await tx.run(HOLD_CHANNEL, [heldUntil, channel, heldUntil]);
        continue;
      }
      const ids = await tx.rows<{ id: number }>(WAITING_OF_CHANNEL + db.dialect.skipLocked, [
        channel,
        now,
        DIGEST_LIMIT,
      ]);
      if (ids.length === 0) continue;
      const claim = input.claimId();
      const idList = listParams(ids.map((row) => row.id));
      const params = [claim, now + leaseMs, now, ...idList, now];
      const rows = await tx.rows<MessageRow>(claimMessageIds(oneOf("id", ids.length)), params);
      if (rows.length === 0) continue;
      const messages = rows.map(rowToMessage).sort((a, b) => a.id - b.id);
      batches.push({
        channel,
        claim,
        attempts: Math.max(...messages.map((m) => m.attempts)),
        retryFrom: Math.min(...messages.map((m) => m.retryFrom)),
        messages,
      });
    }
    return batches;
  });
}

const SETTLE = `UPDATE messages SET state = ?, last_error = ?, claim = NULL, updated_at = ?
  WHERE claim = ? AND state = 'running'`;
const RESCHEDULE = `UPDATE messages SET state = 'pending', next_at = ?, last_error = ?, claim = NULL,
  updated_at = ? WHERE claim = ? AND state = 'running'`;

/**
 * Settles a batch (sent, or dead with the reason) and holds its channel until `holdUntil`,
 * in one transaction. Returns how many messages it changed (0: fenced off by a newer claim).
 */
export function settleMessages(
  db: Db,
  batch: { claim: string; channel: string },
  outcome: { state: "sent" | "dead"; error?: string; holdUntil?: number },
  now: number,
): Promise<number> {
  return db.tx(async (tx) => {
    const changed = await tx.run(SETTLE, [outcome.state, outcome.error ?? null, now, batch.claim]);
    if (outcome.holdUntil !== undefined)
      await holdTracker(tx, channelHoldKey(batch.channel), outcome.holdUntil);
    return changed;
  });
}

/** Puts a batch back to wait until `nextAt` (a 429 also holds the channel until then). */
export function rescheduleMessages(
  db: Db,
  batch: { claim: string; channel: string },
  input: { nextAt: number; error: string; hold: boolean },
  now: number,
): Promise<number> {
  return db.tx(async (tx) => {
    const changed = await tx.run(RESCHEDULE, [input.nextAt, input.error, now, batch.claim]);
    if (input.hold) await holdTracker(tx, channelHoldKey(batch.channel), input.nextAt);
    return changed;
  });
}

const LIST = (count: number) => `SELECT * FROM messages
  WHERE state IN (${placeholders(count)})
  ORDER BY id DESC LIMIT ?`;

/** The operator's view: messages in these states, newest first. */
export async function listMessages(
  db: Querier,
  input: { states: readonly MessageState[]; limit: number },
): Promise<StoredMessage[]> {
  if (input.states.length === 0) return [];
  const rows = await db.rows<MessageRow>(LIST(input.states.length), [...input.states, input.limit]);
  return rows.map(rowToMessage);
}

/** Sends dead messages again (all, or one by id); returns how many. */
export function retryDeadMessages(db: Querier, now: number, id?: number): Promise<number> {
  const sql = `UPDATE messages SET state = 'pending', attempts = 0, next_at = ?, retry_from = ?,
    last_error = NULL, updated_at = ? WHERE state = 'dead'${id === undefined ? "" : " AND id = ?"}`;
  return db.run(sql, id === undefined ? [now, now, now] : [now, now, now, id]);
}

function rowToMessage(row: MessageRow): StoredMessage {
  return {
    id: Number(row.id),
    channel: row.channel,
    notice: JSON.parse(row.notice) as Notice,
    state: row.state,
    attempts: row.attempts,
    lastError: row.last_error,
    createdAt: Number(row.created_at),
    retryFrom: Number(row.retry_from),
    updatedAt: Number(row.updated_at),
  };
}
