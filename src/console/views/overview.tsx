import type { ConnectionState } from "../../telemetry/connection-health.js";
import type { ConnectionView, overview, TestResult } from "../data.js";
import type { JobRow } from "../queries.js";
import { BASE, Csrf, Layout, State, Table, time, type Viewer } from "./layout.js";
import type { JobLinks } from "./links.js";

type OverviewModel = Awaited<ReturnType<typeof overview>>;

export function OverviewPage(props: {
  viewer: Viewer;
  model: OverviewModel;
  tested?: TestResult | undefined;
  links: JobLinks;
}) {
  const { model } = props;
  const cards: Array<[string, number, string?]> = [
    ["Webhooks received (last hour, this process)", model.receivedLastHour],
    ["Webhooks acknowledged (last hour)", model.acknowledgedLastHour],
    ["Dead letters", model.deadLetters, `${BASE}/dead-letters`],
    ["Failed deliveries", model.failedDeliveries, `${BASE}/dead-letters`],
  ];
  return (
    <Layout title="Overview" viewer={props.viewer} current="/overview">
      <h1>Overview</h1>
      {props.tested && <TestOutcome result={props.tested} />}
      <div class="cards">
        {cards.map(([label, n, href]) => (
          <div class="card">
            <div class="n">{href ? <a href={href}>{n}</a> : n}</div>
            <div class="label">{label}</div>
          </div>
        ))}
      </div>

      <h2>Jobs by state</h2>
      <div class="cards">
        {Object.entries(model.jobs).map(([state, n]) => (
          <div class="card">
            <div class="n">
              <a href={`${BASE}/activity?state=${state}`}>{n}</a>
            </div>
            <div class="label">
              <State state={state} />
            </div>
          </div>
        ))}
        {Object.keys(model.jobs).length === 0 && <p class="muted">No jobs yet.</p>}
      </div>

      <h2>Tracker connections</h2>
      <Table headers={["Connection", "Address", "State", ""]}>
        {model.connections.map((connection) => (
          <ConnectionRow connection={connection} viewer={props.viewer} />
        ))}
      </Table>
      {model.connections.length === 0 && (
        <p class="muted">No tracker connection is configured (TRACKER_TYPE, TRACKER_URL, …).</p>
      )}

      <h2>Latest errors</h2>
      <ErrorTable jobs={model.latestErrors} links={props.links} />
    </Layout>
  );
}

function ConnectionRow(props: { connection: ConnectionView; viewer: Viewer }) {
  const { connection } = props;
  return (
    <tr>
      <td data-label="Connection">
        {connection.name} <span class="muted">({connection.type})</span>
      </td>
      <td data-label="Address" class="wrap">
        {connection.origin}
      </td>
      <td data-label="State">
        <HealthBadge health={connection.health} />
      </td>
      <td>
        <form
          class="inline"
          method="post"
          action={`${BASE}/connections/${encodeURIComponent(connection.name)}/test`}
        >
          <Csrf viewer={props.viewer} />
          <button type="submit">Test connection</button>
        </form>
      </td>
    </tr>
  );
}

export function HealthBadge(props: { health: ConnectionState }) {
  const { health } = props;
  switch (health.state) {
    case "unknown":
      return <State state="unknown" label="no request yet" />;
    case "ok":
      return (
        <span>
          <State state="ok" label="reachable, authorized" />{" "}
          <span class="muted">{time(health.at)}</span>
        </span>
      );
    case "unauthorized":
      return <State state="unauthorized" label={`token refused (${health.status})`} />;
    case "rate_limited":
      return (
        <State
          state="rate_limited"
          label={health.until ? `rate-limited until ${time(health.until)}` : "rate-limited"}
        />
      );
    case "unreachable":
      return <State state="unreachable" label={`unreachable: ${health.detail}`} />;
  }
}

function TestOutcome(props: { result: TestResult }) {
  const { result } = props;
  return result.ok ? (
    <p class="notice" role="status">
      {`${result.connection}: reachable; the token belongs to ${result.name}${result.login ? ` (${result.login})` : ""}.`}
    </p>
  ) : (
    <p class="notice bad" role="status">
      {`${result.connection}: ${result.error}`}
    </p>
  );
}

function ErrorTable(props: { jobs: JobRow[]; links: JobLinks }) {
  if (props.jobs.length === 0) return <p class="muted">No errors.</p>;
  return (
    <Table headers={["When", "Where", "State", "Error"]}>
      {props.jobs.map((job) => (
        <tr>
          <td data-label="When">{time(job.updatedAt)}</td>
          <td data-label="Where" class="wrap">
            {props.links(job)}
          </td>
          <td data-label="State">
            <State state={job.state} />
          </td>
          <td data-label="Error" class="wrap">
            {job.lastError ?? job.summary ?? ""}
          </td>
        </tr>
      ))}
    </Table>
  );
}
