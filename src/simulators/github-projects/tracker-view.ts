/**
 * The App's GitHub simulator's projects (`github.projects`) as the `TrackerSimulator` the
 * testbed, the demo and the e2e tests drive every other tracker through: issues are GitHub
 * issues (`acme/web#12`) on project acme/1, a workflow's statuses become the Status field's
 * options, fields are the project's text fields. What a project has no counterpart for
 * (versions, moving an issue to another queue, a workflow API) throws.
 */
import type { GitHubSimulator } from "../github/index.js";
import type { SimField, TrackerSimulator } from "../shared/admin.js";
import type { FaultSpec, RequestRecord } from "../shared/http-server.js";
import type { CreateIssueOptions, IssueSnapshot } from "../shared/sim-issue.js";
import type { SimStatus, SimWorkflow } from "../shared/workflow.js";
import type { ProjectIssueSnapshot } from "./admin.js";

const NONE = "No Status";

const UNSUPPORTED_FAULT_FIELDS = [
  "drop",
  "afterCommit",
  "bodyIncludes",
  "method",
  "pathIncludes",
  "retryAfterSeconds",
  "body",
  "headers",
] as const satisfies ReadonlyArray<keyof FaultSpec>;

export function projectsAsTracker(github: GitHubSimulator): TrackerSimulator {
  const projects = github.projects;
  let workflow: SimWorkflow | undefined;
  const statusOf = (name: string | null): SimStatus => {
    const known = workflow?.statuses.find((s) => s.display === (name ?? NONE));
    return known ?? { key: name ?? NONE, display: name ?? NONE, id: "" };
  };
  /** A workflow's status key or display name → the Status option's name. */
  const optionOf = (status: string) =>
    workflow?.statuses.find((s) => s.key === status || s.id === status)?.display ?? status;
  const snapshot = (issue: ProjectIssueSnapshot): IssueSnapshot => ({
    key: issue.key,
    aliases: [],
    queue: issue.key.split("#")[0] ?? "",
    status: statusOf(issue.status),
    fields: issue.fields,
    comments: issue.comments.map((text, i) => ({ id: String(i + 1), text })),
    links: [],
    fixVersions: [],
    forbidden: false,
    version: 0,
    assignee: issue.assignees[0] ?? null,
  });
  const none = (what: string) => () => {
    throw new Error(`GitHub Projects has no ${what}`);
  };
  const initial = () => workflow && (workflow.initial ?? workflow.statuses[0]?.key);

  return {
    url: github.url,
    createIssue(key, options: CreateIssueOptions = {}) {
      const status = options.status ?? initial();
      const fields = Object.fromEntries(
        Object.entries(options.fields ?? {}).map(([name, value]) => [name, String(value)]),
      );
      return snapshot(
        projects.createIssue(key, { status: status ? optionOf(status) : null, fields }),
      );
    },
    getIssue: (key) => snapshot(projects.getIssue(key)),
    hasIssue: (key) => projects.hasIssue(key),
    // The queue is the repository (`acme/web`).
    issueKeys: (queue) => projects.issueKeys(queue),
    updateIssue(key, options) {
      const values: Record<string, string | null> = {};
      if (options.status !== undefined) values.Status = optionOf(options.status);
      for (const [name, value] of Object.entries(options.fields ?? {}))
        values[name] = value === null ? null : String(value);
      return snapshot(projects.updateIssue(key, values));
    },
    moveIssue: none("queues to move an issue to"),
    deleteIssue: none("issue deletion in the simulator"),
    setWorkflow(next) {
      workflow = next;
      projects.defineField(
        "Status",
        "SINGLE_SELECT",
        next.statuses.map((s) => s.display),
      );
    },
    defineField: (field: SimField) =>
      projects.defineField(field.name, field.type === "number" ? "NUMBER" : "TEXT"),
    versions: () => [],
    createVersion: none("versions"),
    acceptDuplicateVersions: none("versions"),
    setWorkflowApi: none("workflow API"),
    injectFaults(spec: FaultSpec) {
      // The GitHub simulator's faults are a status on the next requests and nothing more: a
      // spec asking for more must fail loudly rather than test something it did not inject.
      const unsupported = UNSUPPORTED_FAULT_FIELDS.filter((field) => spec[field] !== undefined);
      if (unsupported.length > 0)
        throw new Error(
          `GitHub Projects faults take only status and count, not ${unsupported.join(", ")}`,
        );
      github.injectFaults({
        status: spec.status ?? 500,
        count: spec.count,
        pathIncludes: "/graphql",
      });
    },
    clearFaults: () => github.clearFaults(),
    setLatency: none("latency setting on the GitHub simulator"),
    get requests(): readonly RequestRecord[] {
      return github.requests
        .filter((r) => r.path.endsWith("/graphql"))
        .map((r) => ({
          method: r.method,
          path: r.path,
          query: "",
          at: r.at,
          status: r.status,
          body: r.body,
        }));
    },
    peakInFlight: 0,
    resetRequests: () => github.resetRequests(),
    reset: () => {
      projects.reset();
      workflow = undefined;
    },
    // The GitHub simulator is the testbed's own: it closes it.
    close: async () => {},
  };
}
