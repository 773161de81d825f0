/**
 * The schema's later migrations (schema.ts has the rest): indexes and storage for a young
 * PostgreSQL store, one without statistics yet, whose planner otherwise read rows it did not
 * need on every plan and claim (bench/RESULTS.md, issue 23 §3).
 */
import type { Migration } from "./schema.js";

export const LATER_MIGRATIONS: readonly Migration[] = [
  {
    version: 13,
    // Every event of a PR plans its links again and asks which are done (commit-plan.ts,
    // `doneLinks`), and each adds one more done link. PostgreSQL without statistics (a young
    // store) took one connection for a rare value and read jobs_issue by (connection, state)
    // only: every done job of the connection, 5-8 ms a plan at 150 events/s. The issue key
    // leads here, so the keys asked for are what the index is searched by.
    name: "an index of the links done, by issue",
    statements: () => [
      "CREATE INDEX jobs_links_done ON jobs (issue_key, connection) WHERE state = 'done' AND kind = 'link'",
    ],
  },
  {
    version: 14,
    // The report claim takes the unreported in id order. PostgreSQL without statistics walked
    // the whole table by its key for them (2,000 rows read a claim at 150 events/s); here it
    // walks only the unreported, and its scans mark the entries of reported rows dead.
    name: "an index of the reports still to write, in id order",
    statements: () => ["CREATE INDEX reports_unreported ON reports (id) WHERE reported = 0"],
  },
  {
    version: 15,
    // A webhook's payload (20-25 KB of JSON) is compressed as it is stored; PostgreSQL's own
    // pglz took 340 µs of the server's CPU an insert, lz4 115 µs, and its payloads are smaller
    // (bench/RESULTS.md). Servers built without lz4, or older than 14, keep pglz: EXECUTE
    // defers the statement's parsing into the block that catches its error.
    name: "lz4 for webhook payloads (PostgreSQL)",
    statements: (dialect) =>
      dialect.name === "postgres"
        ? [
            `DO $$ BEGIN
              EXECUTE 'ALTER TABLE deliveries ALTER COLUMN payload SET COMPRESSION lz4';
            EXCEPTION WHEN feature_not_supported OR syntax_error THEN NULL;
            END $$`,
          ]
        : [],
  },
  {
    version: 16,
    // A report is due once none of its jobs is pending or running. PostgreSQL without
    // statistics asked that of each unreported report by reading every active job (the
    // partial jobs_active_turn is the smallest index): under a backlog, 1-4 ms a report claim.
    // Here each report's active jobs are one lookup. SQLite already reads jobs_report for it.
    name: "an index of the active jobs, by report (PostgreSQL)",
    statements: (dialect) =>
      dialect.name === "postgres"
        ? [
            "CREATE INDEX jobs_active_report ON jobs (report_id) WHERE state IN ('pending', 'running')",
          ]
        : [],
  },
];
