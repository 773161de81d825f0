/**
 * What the other direction's actions keep across tries and replicas: the intent to create an
 * issue for a PR, written before the tracker is called (so a retry knows an earlier try may
 * have created it), and what trackbridge last assigned an issue to (so an assignee a person
 * set is told apart). One implementation for SQLite and PostgreSQL over the `Querier` seam.
 */
import type { ActionLedger } from "../trackers/apply-other-direction.js";
import type { FeatureLinks } from "../trackers/productboard/follow-feature.js";
import type { Db } from "./db.js";
import { createFeatureLinks } from "./feature-links.js";

/** The store's `ledger`: this, and the Productboard features pushed (feature-links.ts). */
export function createLedger(sql: Db): ActionLedger & FeatureLinks {
  return { ...createActionLedger(sql), ...createFeatureLinks(sql) };
}

const BEGIN_CREATE = `INSERT INTO issue_creations (connection, marker, issue_key, tries, updated_at)
  VALUES (?, ?, NULL, 1, ?)
  ON CONFLICT (connection, marker) DO UPDATE SET tries = issue_creations.tries + 1,
    updated_at = excluded.updated_at
  RETURNING issue_key, tries`;
const FINISH_CREATE = `UPDATE issue_creations SET issue_key = ?, updated_at = ?
  WHERE connection = ? AND marker = ?`;
/** The newest finished assign job of the issue that set someone (its result says whom). */
const LAST_ASSIGNED = `SELECT result FROM jobs
  WHERE connection = ? AND issue_key = ? AND kind = 'assign' AND state = 'done' AND result IS NOT NULL
  ORDER BY updated_at DESC, id DESC LIMIT 5`;

export function createActionLedger(sql: Db, now: () => number = Date.now): ActionLedger {
  return {
    async beginCreate(connection, marker) {
      const row = await sql.tx((tx) =>
        tx.row<{ issue_key: string | null; tries: number }>(BEGIN_CREATE, [
          connection,
          marker,
          now(),
        ]),
      );
      return { key: row?.issue_key ?? null, tries: Number(row?.tries ?? 1) };
    },
    async finishCreate(connection, marker, key) {
      await sql.run(FINISH_CREATE, [key, now(), connection, marker]);
    },
    async lastAssigned(connection, key) {
      const rows = await sql.rows<{ result: string }>(LAST_ASSIGNED, [connection, key]);
      for (const row of rows) {
        const assigned = (JSON.parse(row.result) as { assigned?: { login: string; id: string } })
          .assigned;
        if (assigned) return assigned;
      }
      return null;
    },
  };
}
