/** Repositories, Activity and Audit: read-only tables. */
import { JOB_STATES, type RepositoryView } from "../data.js";
import type { ActivityFilter, AuditEntry, JobRow } from "../queries.js";
import { BASE, Layout, Notice, State, Table, time, type Viewer } from "./layout.js";
import { type JobLinks, planned } from "./links.js";

export function RepositoriesPage(props: {
  viewer: Viewer;
  repos: RepositoryView[];
  error?: string | undefined;
}) {
  return (
    <Layout title="Repositories" viewer={props.viewer} current="/repositories">
      <h1>Repositories</h1>
      <Notice text={props.error} bad />
      <p class="muted">
        Sync open PRs brings the issues of PRs opened before the App arrived in line with each PR's
        state now (as <code>trackbridge sync</code> does): a dry run first, then apply.
      </p>
      <Table
        headers={["Repository", "Config (.github/trackbridge.yml)", "Connection", "Last event", ""]}
      >
        {props.repos.map((repo) => (
          <tr>
            <td data-label="Repository" class="wrap">
              {repo.repo} <span class="muted">({repo.installation})</span>
            </td>
            <td data-label="Config" class="wrap">
              <State state={repo.config.state} />
              {repo.config.state === "invalid" && <pre>{repo.config.errors.join("\n")}</pre>}
              {repo.config.state === "unreadable" && <pre>{repo.config.error}</pre>}
            </td>
            <td data-label="Connection">
              {"connection" in repo.config ? (repo.config.connection ?? "—") : "—"}
            </td>
            <td data-label="Last event">
              {repo.lastEvent ? `${repo.lastEvent.event}, ${time(repo.lastEvent.at)}` : "—"}
            </td>
            <td>
              {repo.config.state === "valid" && (
                <a
                  class="button"
                  href={`${BASE}/repositories/sync?${new URLSearchParams({ repo: repo.repo })}`}
                >
                  Sync open PRs
                </a>
              )}
            </td>
          </tr>
        ))}
      </Table>
      {props.repos.length === 0 && !props.error && (
        <p class="muted">The App is not installed on any repository.</p>
      )}
    </Layout>
  );
}

export function ActivityPage(props: {
  viewer: Viewer;
  filter: ActivityFilter;
  jobs: JobRow[];
  links: JobLinks;
  notice?: string | undefined;
}) {
  const { filter } = props;
  return (
    <Layout title="Activity" viewer={props.viewer} current="/activity">
      <h1>Activity</h1>
      <Notice text={props.notice} />
      <form class="filters" method="get" action={`${BASE}/activity`}>
        <label>
          Repository
          <input name="repo" value={filter.repo ?? ""} placeholder="owner/name" />
        </label>
        <label>
          PR
          <input name="pr" value={filter.pr ?? ""} inputmode="numeric" size={6} />
        </label>
        <label>
          Issue key
          <input name="key" value={filter.key ?? ""} size={10} />
        </label>
        <label>
          State
          <select name="state">
            <option value="">any</option>
            {JOB_STATES.map((state) => (
              <option value={state} selected={filter.state === state}>
                {state}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Filter</button>
      </form>
      <p class="muted">
        Delivery → plan → jobs → results, newest first. Refreshes every 5 s (last:{" "}
        <span data-refreshed>now</span>).
      </p>
      <Table headers={["Delivery", "PR · issue", "Planned", "State", "Result"]} refreshMs={5000}>
        {props.jobs.map((job) => (
          <tr>
            <td data-label="Delivery" class="wrap">
              {job.event} <span class="muted">{time(job.receivedAt)}</span>
              <br />
              <span class="muted">{job.deliveryId}</span>
            </td>
            <td data-label="PR · issue" class="wrap">
              {props.links(job)}
            </td>
            <td data-label="Planned" class="wrap">
              {planned(job)}
            </td>
            <td data-label="State">
              <State state={job.state} />
              {job.attempts > 1 && <span class="muted"> ×{job.attempts}</span>}
            </td>
            <td data-label="Result" class="wrap">
              {job.summary ?? job.lastError ?? ""}
            </td>
          </tr>
        ))}
        {props.jobs.length === 0 && (
          <tr>
            <td colspan={5} class="muted">
              Nothing matches.
            </td>
          </tr>
        )}
      </Table>
    </Layout>
  );
}

export function AuditPage(props: { viewer: Viewer; entries: AuditEntry[] }) {
  return (
    <Layout title="Audit" viewer={props.viewer} current="/audit">
      <h1>Audit</h1>
      <Table headers={["When", "Who", "What", "On", "Detail"]}>
        {props.entries.map((entry) => (
          <tr>
            <td data-label="When">{time(entry.at)}</td>
            <td data-label="Who">{entry.actor}</td>
            <td data-label="What">{entry.action}</td>
            <td data-label="On" class="wrap">
              {entry.target}
            </td>
            <td data-label="Detail" class="wrap">
              {entry.detail ?? ""}
            </td>
          </tr>
        ))}
      </Table>
      {props.entries.length === 0 && <p class="muted">Nothing yet.</p>}
    </Layout>
  );
}
