import type { JSX } from "hono/jsx/jsx-runtime";
import { describeAction } from "../../reports/report-check-run.js";
import type { JobRow } from "../queries.js";

/**
 * Renders where a job (or a sync's planned move) belongs: `owner/repo#12 · PROJ-1`, each
 * linked to GitHub and the tracker.
 */
export type JobLinks = (
  job: Pick<JobRow, "repo" | "prNumber" | "connection" | "key">,
) => JSX.Element;

export function jobLinks(urls: {
  pr(repo: string, pr: number): string;
  issue(connection: string, key: string): string | null;
}): JobLinks {
  return (job) => {
    // A create's stand-in key (`PROJ (new)`) names no issue yet: no link for it.
    const issue = job.key.endsWith(" (new)") ? null : urls.issue(job.connection, job.key);
    return (
      <span>
        {job.prNumber === null ? (
          job.repo
        ) : (
          <a href={urls.pr(job.repo, job.prNumber)}>{`${job.repo}#${job.prNumber}`}</a>
        )}
        {" · "}
        {issue ? <a href={issue}>{job.key}</a> : job.key}
      </span>
    );
  };
}

/** What the plan asked for; a link names the PR's title (GitHub's text, escaped like all text). */
export function planned(job: JobRow): string {
  const { action } = job;
  return action.kind === "link" ? `link PR “${action.pr.title}”` : describeAction(action);
}
