import type { JSX } from "hono/jsx/jsx-runtime";
import type { PlannedAction } from "../../core/types.js";
import { describeAction } from "../../reports/report-check-run.js";
import type { JobRow } from "../queries.js";

/**
 * Renders where a job (or a sync's planned move) belongs: `owner/repo#12 · PROJ-1`, each
 * linked to GitHub and the tracker.
 */
export type JobLinks = (
  job: Pick<JobRow, "repo" | "prNumber" | "connection" | "key"> & { action?: PlannedAction },
) => JSX.Element;

export function jobLinks(urls: {
  pr(repo: string, pr: number): string;
  issue(connection: string, key: string): string | null;
}): JobLinks {
  return (job) => {
    if (job.action?.kind === "feature") return featureLinks(job.action, urls);
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

/**
 * A Productboard feature's job: the feature (its page, when the push said where it is) and,
 * for a status that follows, the issue it follows.
 */
function featureLinks(
  action: Extract<PlannedAction, { kind: "feature" }>,
  urls: { issue(connection: string, key: string): string | null },
): JSX.Element {
  const label = `Productboard feature ${action.key}`;
  const issue = action.issue?.key ? action.issue : undefined;
  const issueUrl = issue ? urls.issue(issue.connection, issue.key) : null;
  return (
    <span>
      {action.featureUrl ? <a href={action.featureUrl}>{label}</a> : label}
      {issue && " · "}
      {issue && (issueUrl ? <a href={issueUrl}>{issue.key}</a> : issue.key)}
    </span>
  );
}

/** What the plan asked for; a link names the PR's title (GitHub's text, escaped like all text). */
export function planned(job: JobRow): string {
  const { action } = job;
  return action.kind === "link" ? `link PR “${action.pr.title}”` : describeAction(action);
}
