/**
 * What GitHub and the trackers already told us, kept in the store so that no replica asks
 * again: each commit's check-run id, each PR's text per head (commit messages, comments),
 * and how long a tracker connection is held back after a 429. One implementation for SQLite
 * and PostgreSQL over the `Querier` seam; one function per query.
 */
import type { Db, Querier } from "./db.js";

/** A PR as its last pull_request event showed it, and the text read for its head. */
export interface PrMemo {
  repo: string;
  prNumber: number;
  headSha: string;
  /** The pull request fields the normalizer reads (GitHub's JSON shape). */
  pull: Record<string, unknown>;
  /** `updated_at` of `pull`: an older event never overwrites a newer one. */
  pullUpdatedAt: string;
  /** The head's commit messages; null until they were read for this head. */
  commits: string[] | null;
  /** True once every conversation comment is in `pr_comments` (read, or the PR had none). */
  commentsKnown: boolean;
}

export interface PrComment {
  id: number;
  body: string;
}

export async function checkRunId(sql: Querier, repo: string, headSha: string) {
  const row = await sql.row<{ check_run_id: number }>(
    "SELECT check_run_id FROM check_runs WHERE repo = ? AND head_sha = ?",
    [repo, headSha],
  );
  return row ? Number(row.check_run_id) : null;
}

export async function saveCheckRunId(sql: Querier, repo: string, headSha: string, id: number) {
  await sql.run(
    `INSERT INTO check_runs (repo, head_sha, check_run_id) VALUES (?, ?, ?)
     ON CONFLICT (repo, head_sha) DO UPDATE SET check_run_id = excluded.check_run_id`,
    [repo, headSha, id],
  );
}

/**
 * Claims the creation of a commit's first check run, so that two replicas do not each
 * create one: the row holds `-claimedAt` until the creator saves the run's id. A claim older
 * than `staleBefore` (its replica died mid-way) may be taken over. True when this one won.
 */
export async function claimCheckRun(
  sql: Querier,
  repo: string,
  headSha: string,
  claimedAt: number,
  staleBefore: number,
) {
  const changed = await sql.run(
    `INSERT INTO check_runs (repo, head_sha, check_run_id) VALUES (?, ?, ?)
     ON CONFLICT (repo, head_sha) DO UPDATE SET check_run_id = excluded.check_run_id
     WHERE check_runs.check_run_id < 0 AND check_runs.check_run_id > ?`,
    [repo, headSha, -claimedAt, -staleBefore],
  );
  return changed === 1;
}

/** Gives a claim up (the create failed), so another write may claim at once. */
export async function releaseCheckRun(
  sql: Querier,
  repo: string,
  headSha: string,
  claimedAt: number,
) {
  await sql.run("DELETE FROM check_runs WHERE repo = ? AND head_sha = ? AND check_run_id = ?", [
    repo,
    headSha,
    -claimedAt,
  ]);
}

export async function prMemo(sql: Querier, repo: string, prNumber: number) {
  const row = await sql.row<{
    head_sha: string;
    pull: string;
    pull_updated_at: string;
    commits: string | null;
    comments_known: number;
  }>(
    "SELECT head_sha, pull, pull_updated_at, commits, comments_known FROM pr_memos WHERE repo = ? AND pr_number = ?",
    [repo, prNumber],
  );
  if (!row) return null;
  return {
    repo,
    prNumber,
    headSha: row.head_sha,
    pull: JSON.parse(row.pull) as Record<string, unknown>,
    pullUpdatedAt: row.pull_updated_at,
    commits: row.commits === null ? null : (JSON.parse(row.commits) as string[]),
    commentsKnown: Number(row.comments_known) === 1,
  } satisfies PrMemo;
}

/**
 * Upserts a PR's memo unless the stored one comes from a newer event. Commits stored for the
 * same head are kept when `commits` is null; `commentsKnown` only ever turns true.
 */
export async function savePrMemo(sql: Querier, memo: PrMemo) {
  await sql.run(
    `INSERT INTO pr_memos (repo, pr_number, head_sha, pull, pull_updated_at, commits, comments_known)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (repo, pr_number) DO UPDATE SET
       head_sha = excluded.head_sha,
       pull = excluded.pull,
       pull_updated_at = excluded.pull_updated_at,
       commits = COALESCE(excluded.commits,
         CASE WHEN pr_memos.head_sha = excluded.head_sha THEN pr_memos.commits END),
       comments_known = CASE WHEN excluded.comments_known = 1 THEN 1 ELSE pr_memos.comments_known END
     WHERE excluded.pull_updated_at >= pr_memos.pull_updated_at`,
    [
      memo.repo,
      memo.prNumber,
      memo.headSha,
      JSON.stringify(memo.pull),
      memo.pullUpdatedAt,
      memo.commits === null ? null : JSON.stringify(memo.commits),
      memo.commentsKnown ? 1 : 0,
    ],
  );
}

/**
 * A deleted comment's row keeps its id with an empty body, so that its `created` event, when
 * it is processed after the `deleted` one, cannot add it back. GitHub refuses a comment with
 * an empty body: no live comment is ever empty.
 */
const DELETED = "";

/** The PR's live comments (deleted ones left out). */
export async function prComments(sql: Querier, repo: string, prNumber: number) {
  const rows = await sql.rows<{ comment_id: number; body: string }>(
    "SELECT comment_id, body FROM pr_comments WHERE repo = ? AND pr_number = ? AND body <> ? ORDER BY comment_id",
    [repo, prNumber, DELETED],
  );
  return rows.map((row): PrComment => ({ id: Number(row.comment_id), body: row.body }));
}

/** Adds comments by id; one already there is kept (two events may both add it), a deleted one stays deleted. */
export async function addPrComments(
  sql: Querier,
  repo: string,
  prNumber: number,
  comments: readonly PrComment[],
) {
  for (const comment of comments) {
    await sql.run(
      `INSERT INTO pr_comments (repo, pr_number, comment_id, body) VALUES (?, ?, ?, ?)
       ON CONFLICT (repo, pr_number, comment_id) DO NOTHING`,
      [repo, prNumber, comment.id, comment.body],
    );
  }
}

/** Marks a comment deleted, whether or not it was seen: its `created` may come later. */
export async function removePrComment(
  sql: Querier,
  repo: string,
  prNumber: number,
  commentId: number,
) {
  await sql.run(
    `INSERT INTO pr_comments (repo, pr_number, comment_id, body) VALUES (?, ?, ?, ?)
     ON CONFLICT (repo, pr_number, comment_id) DO UPDATE SET body = excluded.body`,
    [repo, prNumber, commentId, DELETED],
  );
}

/** Until when a tracker connection is held back (a 429's Retry-After), or null. */
export async function trackerHold(sql: Querier, connection: string) {
  const row = await sql.row<{ until: number }>(
    "SELECT until FROM tracker_holds WHERE connection = ?",
    [connection],
  );
  return row ? Number(row.until) : null;
}

/** Holds a connection back until `until`; a later hold already stored wins. */
export async function holdTracker(sql: Querier, connection: string, until: number) {
  await sql.run(
    `INSERT INTO tracker_holds (connection, until) VALUES (?, ?)
     ON CONFLICT (connection) DO UPDATE SET until = excluded.until
     WHERE excluded.until > tracker_holds.until`,
    [connection, until],
  );
}

/** The memo's queries bound to one store's connection: `store.memo.prMemo(repo, 12)`. */
export interface Memo {
  /** The commit's check-run id; negative while a replica creates it (`-claimedAt`). */
  checkRunId(repo: string, headSha: string): Promise<number | null>;
  saveCheckRunId(repo: string, headSha: string, id: number): Promise<void>;
  claimCheckRun(
    repo: string,
    headSha: string,
    claimedAt: number,
    staleBefore: number,
  ): Promise<boolean>;
  releaseCheckRun(repo: string, headSha: string, claimedAt: number): Promise<void>;
  prMemo(repo: string, prNumber: number): Promise<PrMemo | null>;
  savePrMemo(memo: PrMemo): Promise<void>;
  prComments(repo: string, prNumber: number): Promise<PrComment[]>;
  addPrComments(repo: string, prNumber: number, comments: readonly PrComment[]): Promise<void>;
  removePrComment(repo: string, prNumber: number, commentId: number): Promise<void>;
  trackerHold(connection: string): Promise<number | null>;
  holdTracker(connection: string, until: number): Promise<void>;
}

export function createMemo(sql: Db): Memo {
  return {
    checkRunId: (repo, headSha) => checkRunId(sql, repo, headSha),
    saveCheckRunId: (repo, headSha, id) => saveCheckRunId(sql, repo, headSha, id),
    claimCheckRun: (repo, headSha, claimedAt, staleBefore) =>
      claimCheckRun(sql, repo, headSha, claimedAt, staleBefore),
    releaseCheckRun: (repo, headSha, claimedAt) => releaseCheckRun(sql, repo, headSha, claimedAt),
    prMemo: (repo, prNumber) => prMemo(sql, repo, prNumber),
    savePrMemo: (memo) => savePrMemo(sql, memo),
    prComments: (repo, prNumber) => prComments(sql, repo, prNumber),
    // One transaction for a PR's comments: one commit, not one per comment.
    addPrComments: (repo, prNumber, comments) =>
      comments.length === 0
        ? Promise.resolve()
        : sql.tx((tx) => addPrComments(tx, repo, prNumber, comments)),
    removePrComment: (repo, prNumber, id) => removePrComment(sql, repo, prNumber, id),
    trackerHold: (connection) => trackerHold(sql, connection),
    holdTracker: (connection, until) => holdTracker(sql, connection, until),
  };
}
