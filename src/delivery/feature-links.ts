/**
 * The Productboard features trackbridge pushed, and the issue each one's push created: what a
 * status change, an unlink or a deleted issue looks up. One implementation for SQLite and
 * PostgreSQL over the `Db` seam.
 */
import type { FeatureLinks } from "../trackers/productboard/follow-feature.js";
import type { Db } from "./db.js";
import { placeholders } from "./queries.js";

const GET = `SELECT connection, issue_key, issue_url, feature_url, unlinks FROM feature_links
  WHERE feature_id = ?`;
const LINK = `INSERT INTO feature_links (feature_id, connection, issue_key, issue_url, feature_url, updated_at)
  VALUES (?, ?, ?, ?, ?, ?)
  ON CONFLICT (feature_id) DO UPDATE SET connection = excluded.connection,
    issue_key = excluded.issue_key, issue_url = excluded.issue_url,
    feature_url = COALESCE(excluded.feature_url, feature_links.feature_url), updated_at = excluded.updated_at`;
const UNLINK = `UPDATE feature_links SET issue_key = NULL, issue_url = NULL, unlinks = unlinks + 1,
  updated_at = ? WHERE feature_id = ? AND issue_key IS NOT NULL`;

interface Row {
  connection: string;
  issue_key: string | null;
  issue_url: string | null;
  feature_url: string | null;
  unlinks: number;
}

export function createFeatureLinks(sql: Db, now: () => number = Date.now): FeatureLinks {
  return {
    async featureLink(featureId) {
      const row = await sql.row<Row>(GET, [featureId]);
      if (!row) return null;
      return {
        connection: row.connection,
        key: row.issue_key,
        url: row.issue_url,
        featureUrl: row.feature_url,
        unlinks: Number(row.unlinks),
      };
    },
    async linkFeature(featureId, link) {
      await sql.run(LINK, [featureId, link.connection, link.key, link.url, link.featureUrl, now()]);
    },
    async unlinkFeature(featureId) {
      await sql.run(UNLINK, [now(), featureId]);
    },
    async featuresOfIssue(connection, keys) {
      if (keys.length === 0) return [];
      const rows = await sql.rows<{ feature_id: string; feature_url: string | null }>(
        `SELECT feature_id, feature_url FROM feature_links WHERE connection = ? AND issue_key IN (${placeholders(keys.length)})`,
        [connection, ...keys],
      );
      return rows.map((row) => ({ featureId: row.feature_id, featureUrl: row.feature_url }));
    },
  };
}
