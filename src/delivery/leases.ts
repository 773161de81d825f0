/**
 * Named leases shared by every replica through the store: what must happen once across
 * processes (creating a release's fix version) runs while holding one. A lease ends when
 * its work does, or after `ttlMs` when its process died holding it.
 */
import { randomUUID } from "node:crypto";
import type { Querier } from "./db.js";
import { type Clock, systemClock } from "./runtime.js";

export interface LeaseOptions {
  /** How long the lease outlives a holder that died (default 60 s). */
  ttlMs?: number;
  /** How long to wait for another holder before giving up (default 30 s). */
  waitMs?: number;
  /** Where expiry and waiting read the time; every holder of one lease must share it. */
  clock?: Clock;
}

const POLL_MS = 25;

/** Another holder kept the lease past `waitMs`: worth a retry later. */
export class LeaseBusy extends Error {
  override readonly name = "LeaseBusy";
}

/**
 * Runs `work` while holding the lease `name`; waits while another holds it.
 *
 * @example
 * await withLease(db, "fix-version:yandex:PROJ:v1.4.0", () => createVersion())
 */
export async function withLease<T>(
  sql: Querier,
  name: string,
  work: () => Promise<T>,
  options: LeaseOptions = {},
): Promise<T> {
  const holder = randomUUID();
  const ttlMs = options.ttlMs ?? 60_000;
  const clock = options.clock ?? systemClock;
  const giveUpAt = clock.now() + (options.waitMs ?? 30_000);
  for (;;) {
    const now = clock.now();
    const taken = await sql.run(
      `INSERT INTO leases (name, holder, until) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until
       WHERE leases.until < ?`,
      [name, holder, now + ttlMs, now],
    );
    if (taken === 1) break;
    if (now >= giveUpAt) throw new LeaseBusy(`still busy after waiting: ${name}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  try {
    return await work();
  } finally {
    await sql.run("DELETE FROM leases WHERE name = ? AND holder = ?", [name, holder]);
  }
}
