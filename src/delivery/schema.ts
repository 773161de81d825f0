/**
 * The schema, as numbered migrations applied in order at start-up (migrations.ts) and recorded
 * in `schema_migrations`. The DDL is shared by SQLite and PostgreSQL: the only difference
 * (an auto-increment key) comes from the `Dialect`. Epoch-millisecond columns are BIGINT,
 * which SQLite stores as INTEGER; booleans are 0/1 integers on both.
 *
 * Never edit a migration that has shipped: add the next one.
 */

import type { Dialect } from "./db.js";
import { LATER_MIGRATIONS } from "./schema-later.js";

export interface Migration {
  version: number;
  name: string;
  statements: (dialect: Pick<Dialect, "autoIdPrimaryKey" | "name">) => string[];
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "delivery log, outbox, reports, pr_issues, applied",
    statements: (d) => [
      // payload is NULL once pruned; the row stays so a redelivery is still recognized.
      `CREATE TABLE deliveries (
        id TEXT PRIMARY KEY,
        event TEXT NOT NULL,
        payload TEXT,
        received_at TEXT NOT NULL,
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_at BIGINT NOT NULL,
        retry_from BIGINT NOT NULL,
        error TEXT
      )`,
      "CREATE INDEX deliveries_due ON deliveries (state, next_at)",
      "CREATE INDEX deliveries_received ON deliveries (received_at)",
      `CREATE TABLE reports (
        id ${d.autoIdPrimaryKey},
        delivery_id TEXT NOT NULL REFERENCES deliveries (id),
        submission TEXT NOT NULL,
        reported INTEGER NOT NULL DEFAULT 0,
        version INTEGER NOT NULL DEFAULT 0,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_at BIGINT NOT NULL,
        error TEXT
      )`,
      "CREATE INDEX reports_due ON reports (reported, next_at)",
      "CREATE INDEX reports_delivery ON reports (delivery_id)",
      `CREATE TABLE jobs (
        id ${d.autoIdPrimaryKey},
        delivery_id TEXT NOT NULL REFERENCES deliveries (id),
        report_id BIGINT NOT NULL REFERENCES reports (id),
        connection TEXT NOT NULL,
        repo TEXT NOT NULL,
        pr_number INTEGER,
        issue_key TEXT NOT NULL,
        kind TEXT NOT NULL,
        action TEXT NOT NULL,
        event_at TEXT NOT NULL,
        received_at TEXT NOT NULL,
        wait_for_all_prs INTEGER NOT NULL DEFAULT 0,
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        summary TEXT,
        last_error TEXT,
        result TEXT,
        next_at BIGINT NOT NULL,
        lease_until BIGINT,
        created_at BIGINT NOT NULL,
        retry_from BIGINT NOT NULL,
        updated_at BIGINT NOT NULL
      )`,
      "CREATE INDEX jobs_due ON jobs (state, next_at)",
      "CREATE INDEX jobs_issue ON jobs (connection, issue_key, state)",
      "CREATE INDEX jobs_report ON jobs (report_id)",
      "CREATE INDEX jobs_delivery ON jobs (delivery_id)",
      `CREATE TABLE pr_issues (
        repo TEXT NOT NULL,
        pr_number INTEGER NOT NULL,
        connection TEXT NOT NULL,
        issue_key TEXT NOT NULL,
        pr_state TEXT NOT NULL,
        event_at TEXT NOT NULL,
        PRIMARY KEY (repo, pr_number, connection, issue_key)
      )`,
      "CREATE INDEX pr_issues_issue ON pr_issues (connection, issue_key)",
      `CREATE TABLE applied (
        repo TEXT NOT NULL,
        pr_number INTEGER NOT NULL,
        connection TEXT NOT NULL,
        issue_key TEXT NOT NULL,
        event_at TEXT NOT NULL,
        PRIMARY KEY (repo, pr_number, connection, issue_key)
      )`,
    ],
  },
  {
    version: 2,
    name: "reports know their commit: one check run shows every event's results",
    statements: () => [
      "ALTER TABLE reports ADD COLUMN repo TEXT",
      "ALTER TABLE reports ADD COLUMN head_sha TEXT",
      "CREATE INDEX reports_commit ON reports (repo, head_sha)",
    ],
  },
  {
    version: 3,
    name: "indexes in the claim queries' order, so a backlog is not sorted on every claim",
    statements: () => [
      "CREATE INDEX deliveries_claim ON deliveries (state, received_at, id)",
      "CREATE INDEX jobs_issue_order ON jobs (connection, issue_key, event_at, received_at, id)",
      "CREATE INDEX jobs_claim ON jobs (state, event_at, received_at, id)",
    ],
  },
  {
    version: 4,
    name: "what GitHub already told us: check-run ids, PR text, tracker rate-limit holds",
    statements: () => [
      `CREATE TABLE check_runs (
        repo TEXT NOT NULL,
        head_sha TEXT NOT NULL,
        check_run_id BIGINT NOT NULL,
        PRIMARY KEY (repo, head_sha)
      )`,
      // commits: the head's commit messages (JSON), NULL until read for this head.
      `CREATE TABLE pr_memos (
        repo TEXT NOT NULL,
        pr_number INTEGER NOT NULL,
        head_sha TEXT NOT NULL,
        pull TEXT NOT NULL,
        pull_updated_at TEXT NOT NULL,
        commits TEXT,
        comments_known INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (repo, pr_number)
      )`,
      `CREATE TABLE pr_comments (
        repo TEXT NOT NULL,
        pr_number INTEGER NOT NULL,
        comment_id BIGINT NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (repo, pr_number, comment_id)
      )`,
      `CREATE TABLE tracker_holds (
        connection TEXT PRIMARY KEY,
        until BIGINT NOT NULL
      )`,
    ],
  },
  {
    version: 5,
    name: "console: sessions (shared by replicas) and the audit log",
    statements: (d) => [
      // id is the SHA-256 of the cookie's value: a copy of the table signs no one in.
      `CREATE TABLE console_sessions (
        id TEXT PRIMARY KEY,
        login TEXT NOT NULL,
        csrf TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL
      )`,
      `CREATE TABLE audit_log (
        id ${d.autoIdPrimaryKey},
        at BIGINT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT NOT NULL,
        detail TEXT
      )`,
      "CREATE INDEX audit_log_at ON audit_log (at)",
      "CREATE INDEX jobs_repo ON jobs (repo, pr_number)",
    ],
  },
  {
    version: 6,
    name: "notifications: message jobs per channel, and the channels each job notifies",
    statements: (d) => [
      // dedup_key (job, channel, event): a job settled twice (a retry, a crash) notifies once.
      // next_at doubles as the lease of a running message, as deliveries' does.
      `CREATE TABLE messages (
        id ${d.autoIdPrimaryKey},
        channel TEXT NOT NULL,
        dedup_key TEXT NOT NULL UNIQUE,
        notice TEXT NOT NULL,
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        claim TEXT,
        next_at BIGINT NOT NULL,
        last_error TEXT,
        created_at BIGINT NOT NULL,
        retry_from BIGINT NOT NULL,
        updated_at BIGINT NOT NULL
      )`,
      "CREATE INDEX messages_due ON messages (state, next_at)",
      "CREATE INDEX messages_channel ON messages (channel, state, id)",
      "ALTER TABLE jobs ADD COLUMN notify TEXT",
    ],
  },
  {
    version: 7,
    name: "the jobs still to run, in event order: a claim reads only as far as it takes",
    // A due job is pending or running (past its lease): an OR of two states, which jobs_claim
    // (state first) cannot give in one event order. PostgreSQL then read and sorted every job
    // still to run on each claim (23 ms per claim at 1,100 of them); on this index it walks in
    // order and stops at the page's end (0.4 ms). SQLite's plan is unchanged.
    statements: () => [
      "CREATE INDEX jobs_active_order ON jobs (event_at, received_at, id) WHERE state IN ('pending', 'running')",
    ],
  },
  {
    version: 8,
    name: "fair turns: installations take turns at the jobs still to run",
    // A job's turn is its place in a fair queue (commit-plan.ts, `takeTurns`): each
    // installation's jobs are numbered on from where the queue is now or from its own last,
    // whichever is later, so one installation's 500 jobs do not stand before another's one.
    // Claims walk the jobs still to run in turn order (jobs_active_turn replaces the event-order
    // walk of jobs_active_order); jobs of one issue still run in event order.
    statements: () => [
      "ALTER TABLE jobs ADD COLUMN installation_id BIGINT NOT NULL DEFAULT 0",
      "ALTER TABLE jobs ADD COLUMN turn BIGINT NOT NULL DEFAULT 0",
      `CREATE TABLE installation_turns (
        installation_id BIGINT PRIMARY KEY,
        next_turn BIGINT NOT NULL
      )`,
      "CREATE INDEX installation_turns_next ON installation_turns (next_turn)",
      "DROP INDEX jobs_active_order",
      "CREATE INDEX jobs_active_turn ON jobs (turn, event_at, received_at, id) WHERE state IN ('pending', 'running')",
    ],
  },
  {
    version: 9,
    name: "leases: what must happen once across replicas (a release's fix version created)",
    statements: () => [
      "CREATE TABLE leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, until BIGINT NOT NULL)",
    ],
  },
  {
    version: 10,
    // One intent per PR (`trackbridge:owner/repo#12`); tries: calls begun, so a retry knows one may have created it.
    name: "issues created for pull requests: the intent before the call, the key after",
    statements: () => [
      `CREATE TABLE issue_creations (connection TEXT NOT NULL, marker TEXT NOT NULL, issue_key TEXT,
        tries INTEGER NOT NULL DEFAULT 0, updated_at BIGINT NOT NULL, PRIMARY KEY (connection, marker))`,
    ],
  },
  {
    version: 11,
    name: "fair turns at planning: installations take turns at the deliveries waiting to be planned",
    // A delivery's turn is set as it is recorded (planning-queue.ts); claims walk the waiting
    // deliveries in turn order (deliveries_turn replaces the received-order walk of
    // deliveries_claim), and an insert finds its installation's last turn on
    // deliveries_installation. Deliveries already waiting keep turn 0: they go first.
    statements: () => [
      "ALTER TABLE deliveries ADD COLUMN installation_id BIGINT NOT NULL DEFAULT 0",
      "ALTER TABLE deliveries ADD COLUMN turn BIGINT NOT NULL DEFAULT 0",
      "DROP INDEX deliveries_claim",
      "CREATE INDEX deliveries_turn ON deliveries (state, turn, received_at, id)",
      "CREATE INDEX deliveries_installation ON deliveries (state, installation_id, turn)",
    ],
  },
  {
    version: 12,
    // issue_key is NULL once unlinked; unlinks numbers the feature's pushes, so a push after an
    // unlink is a new create (its own marker) and not the old issue found again.
    name: "Productboard features and the issues their pushes created",
    statements: () => [
      `CREATE TABLE feature_links (feature_id TEXT PRIMARY KEY, connection TEXT NOT NULL,
        issue_key TEXT, issue_url TEXT, feature_url TEXT, unlinks INTEGER NOT NULL DEFAULT 0,
        updated_at BIGINT NOT NULL)`,
      "CREATE INDEX feature_links_issue ON feature_links (connection, issue_key)",
    ],
  },
  ...LATER_MIGRATIONS,
];
