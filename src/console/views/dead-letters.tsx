/** Dead letters: retry one, retry the selected, discard the selected after a confirmation. */
import type { deadLetters } from "../data.js";
import type { JobRow } from "../queries.js";
import { BASE, Csrf, Layout, Notice, Table, time, type Viewer } from "./layout.js";
import { type JobLinks, planned } from "./links.js";

type Model = Awaited<ReturnType<typeof deadLetters>>;

export function DeadLettersPage(props: {
  viewer: Viewer;
  model: Model;
  links: JobLinks;
  notice?: string | undefined;
}) {
  const { jobs, failedDeliveries, deadMessages } = props.model;
  return (
    <Layout title="Dead letters" viewer={props.viewer} current="/dead-letters">
      <h1>Dead letters</h1>
      <Notice text={props.notice} />
      {jobs.length === 0 ? (
        <p class="muted">No dead letters.</p>
      ) : (
        <form method="post" action={`${BASE}/dead-letters/retry`}>
          <Csrf viewer={props.viewer} />
          <div class="actions">
            <button type="submit" class="primary">
              Retry selected
            </button>
            <button type="submit" class="danger" formaction={`${BASE}/dead-letters/discard`}>
              Discard selected…
            </button>
          </div>
          <Table
            headers={[
              <input type="checkbox" data-select-all aria-label="Select all" />,
              "PR · issue",
              "Reason",
              "Attempts",
              "First try",
              "Last try",
              "",
            ]}
          >
            {jobs.map((job) => (
              <DeadRow job={job} links={props.links} />
            ))}
          </Table>
        </form>
      )}

      <h2>Deliveries that could not be planned</h2>
      {failedDeliveries.length === 0 ? (
        <p class="muted">None.</p>
      ) : (
        <Table headers={["Delivery", "Reason", "Attempts", ""]}>
          {failedDeliveries.map((delivery) => (
            <tr>
              <td data-label="Delivery" class="wrap">
                {delivery.event} {delivery.id}{" "}
                <span class="muted">{time(delivery.receivedAt)}</span>
              </td>
              <td data-label="Reason" class="wrap">
                {delivery.error ?? ""}
              </td>
              <td data-label="Attempts">{delivery.attempts}</td>
              <td>
                <form class="inline" method="post" action={`${BASE}/deliveries/retry`}>
                  <Csrf viewer={props.viewer} />
                  <input type="hidden" name="delivery" value={delivery.id} />
                  <button type="submit">Retry</button>
                </form>
              </td>
            </tr>
          ))}
        </Table>
      )}

      <h2>Notifications that could not be sent</h2>
      {deadMessages.length === 0 ? (
        <p class="muted">None.</p>
      ) : (
        <Table headers={["Message", "Channel", "Event · issue", "Reason", "Attempts"]}>
          {deadMessages.map((message) => (
            <tr>
              <td data-label="Message">m{message.id}</td>
              <td data-label="Channel">{message.channel}</td>
              <td data-label="Event · issue">
                {message.notice.event} {message.notice.key}
              </td>
              <td data-label="Reason" class="wrap">
                {message.lastError ?? ""}
              </td>
              <td data-label="Attempts">{message.attempts}</td>
            </tr>
          ))}
        </Table>
      )}
      {deadMessages.length > 0 ? (
        <p class="muted">
          Fix the channel on the server, then run <code>trackbridge deliveries retry --all</code>.
        </p>
      ) : null}
    </Layout>
  );
}

function DeadRow(props: { job: JobRow; links: JobLinks }) {
  const { job } = props;
  return (
    <tr>
      <td>
        <input
          type="checkbox"
          name="id"
          value={String(job.id)}
          aria-label={`Select job ${job.id}`}
        />
      </td>
      <td data-label="PR · issue" class="wrap">
        {props.links(job)} <span class="muted">({planned(job)})</span>
      </td>
      <td data-label="Reason" class="wrap">
        {job.lastError ?? job.summary ?? ""}
      </td>
      <td data-label="Attempts">{job.attempts}</td>
      <td data-label="First try">{time(job.createdAt)}</td>
      <td data-label="Last try">{time(job.updatedAt)}</td>
      <td>
        <button type="submit" name="only" value={String(job.id)}>
          Retry
        </button>
      </td>
    </tr>
  );
}

export function ConfirmDiscardPage(props: { viewer: Viewer; jobs: JobRow[]; links: JobLinks }) {
  return (
    <Layout title="Discard dead letters" viewer={props.viewer} current="/dead-letters">
      <h1>{`Discard ${props.jobs.length} dead letter${props.jobs.length === 1 ? "" : "s"}?`}</h1>
      <p>
        Their work will never run. The PRs' check runs will show them as discarded. This cannot be
        undone.
      </p>
      <ul>
        {props.jobs.map((job) => (
          <li class="wrap">
            {props.links(job)} — {job.lastError ?? job.summary ?? ""}
          </li>
        ))}
      </ul>
      <form method="post" action={`${BASE}/dead-letters/discard`}>
        <Csrf viewer={props.viewer} />
        {props.jobs.map((job) => (
          <input type="hidden" name="id" value={String(job.id)} />
        ))}
        <input type="hidden" name="confirm" value="yes" />
        <div class="actions">
          <button type="submit" class="danger">
            Discard
          </button>
          <a href={`${BASE}/dead-letters`}>Cancel</a>
        </div>
      </form>
    </Layout>
  );
}
