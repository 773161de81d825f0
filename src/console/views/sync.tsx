/** The sync of open PRs: its dry run for one repository, and the form that applies it. */
import { DEFAULT_SYNC_DAYS } from "../../core/plan-sync.js";
import type { SyncPreview } from "../data.js";
import { BASE, Csrf, Layout, Notice, Table, type Viewer } from "./layout.js";
import type { JobLinks } from "./links.js";

export function SyncPreviewPage(props: { viewer: Viewer; preview: SyncPreview; links: JobLinks }) {
  const { preview } = props;
  const since = String(preview.sinceDays ?? DEFAULT_SYNC_DAYS);
  return (
    <Layout title={`Sync ${preview.repo}`} viewer={props.viewer} current="/repositories">
      <h1>{`Sync open PRs of ${preview.repo}`}</h1>
      <p class="muted">
        Dry run: each open PR (and each merged in the last {since} days) planned from its state now,
        beside its issue's status. Nothing has changed yet; an issue further along stays where it
        is.
      </p>
      <form class="filters" method="get" action={`${BASE}/repositories/sync`}>
        <input type="hidden" name="repo" value={preview.repo} />
        <label>
          Merged in the last
          <input name="since" value={`${since}d`} size={5} />
        </label>
        <button type="submit">Preview again</button>
      </form>
      {preview.ok ? (
        <>
          <Table headers={["PR · issue", "Status now", "Target", "Why"]}>
            {preview.rows.map((row) => (
              <tr>
                <td data-label="PR · issue" class="wrap">
                  {props.links({ ...row, prNumber: row.pr })}
                </td>
                <td data-label="Status now">{row.current ?? "?"}</td>
                <td data-label="Target">{row.moves ? row.target : "(stays)"}</td>
                <td data-label="Why" class="wrap">
                  {row.why}
                </td>
              </tr>
            ))}
            {preview.rows.length === 0 && (
              <tr>
                <td colspan={4} class="muted">
                  No open pull request names an issue to move.
                </td>
              </tr>
            )}
          </Table>
          <form method="post" action={`${BASE}/repositories/sync`}>
            <Csrf viewer={props.viewer} />
            <input type="hidden" name="repo" value={preview.repo} />
            <input type="hidden" name="since" value={`${since}d`} />
            <div class="actions">
              <button type="submit" class="primary" disabled={preview.moves === 0}>
                {`Apply ${preview.moves} move${preview.moves === 1 ? "" : "s"}`}
              </button>
              <a href={`${BASE}/repositories`}>Cancel</a>
            </div>
          </form>
        </>
      ) : (
        <>
          <Notice text={preview.error} bad />
          <a href={`${BASE}/repositories`}>Back to Repositories</a>
        </>
      )}
    </Layout>
  );
}
