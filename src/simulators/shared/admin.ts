/**
 * The admin surface both simulators share, used by tests, the demo and the benchmarks to
 * set up state and look at it without going through the tracker's API.
 */
import type { FaultSpec, HttpSimulator, RequestRecord } from "./http-server.js";
import type { CreateIssueOptions, ForbiddenMode, IssueSnapshot, IssueStore } from "./store.js";
import type { SimWorkflow } from "./workflow.js";

export interface SimField {
  /** Yandex: the top-level key (`benchLink`); Jira: `customfield_10010` or a system id. */
  id: string;
  name: string;
  /** False: exists but cannot be set (Jira: not on the edit screen). Default true. */
  settable?: boolean;
  /**
   * Jira number fields reject strings, as the real API does. Default "string". YouTrack:
   * "string" is a one-line field (`SimpleIssueCustomField`), "text" a text field
   * (`TextIssueCustomField`); the other simulators take "text" as "string".
   */
  type?: "string" | "number" | "text";
}

export interface UpdateIssueOptions {
  status?: string;
  fields?: Record<string, unknown>;
  forbidden?: ForbiddenMode;
  /** Someone (re)assigned the issue by hand; null unassigns. */
  assignee?: string | null;
}

export interface TrackerSimulator {
  /** Base URL to give a `TrackerConnection` (`http://127.0.0.1:PORT`). */
  readonly url: string;
  createIssue(key: string, options?: CreateIssueOptions): IssueSnapshot;
  /** State snapshot; follows old keys of moved issues; throws for an unknown key. */
  getIssue(key: string): IssueSnapshot;
  hasIssue(key: string): boolean;
  /** Every issue's key in a queue/project (issues created through the API included). */
  issueKeys(queue: string): string[];
  /** Changes state behind the API's back (someone moved it by hand, revoked access, …). */
  updateIssue(key: string, options: UpdateIssueOptions): IssueSnapshot;
  /** Moves to another queue/project; returns the new key. */
  moveIssue(key: string, queue: string): string;
  /** Deletes the issue behind the API's back: the API answers 404 for it from then on. */
  deleteIssue(key: string): void;
  /** Without `queue`: the default for every queue that has no workflow of its own. */
  setWorkflow(workflow: SimWorkflow, queue?: string): void;
  defineField(field: SimField): void;
  /** Names of the versions of a project (Jira) or queue (Yandex Tracker). */
  versions(queue: string): string[];
  /** Creates a version behind the API's back, as a release manager would. */
  createVersion(queue: string, name: string): void;
  /** True: a second version of a name already in the queue is created, as a tracker may. */
  acceptDuplicateVersions(accept: boolean): void;
  /** False: the workflow graph API answers 403 (the token lacks the permission to read it). */
  setWorkflowApi(readable: boolean): void;
  /** The next `count` API requests (optionally only matching ones) fail this way. */
  injectFaults(spec: FaultSpec): void;
  clearFaults(): void;
  setLatency(ms: number): void;
  readonly requests: readonly RequestRecord[];
  /** The most API requests waiting for their answers at once since the last reset. */
  readonly peakInFlight: number;
  resetRequests(): void;
  /** Back to the start: no issues, default workflow and fields, no faults, no latency. */
  reset(): void;
  close(): Promise<void>;
}

export function createAdmin(
  http: HttpSimulator,
  store: IssueStore,
  fields: Map<string, SimField>,
  defaultFields: () => SimField[],
): TrackerSimulator {
  const resetFields = () => {
    fields.clear();
    for (const field of defaultFields()) fields.set(field.id, field);
  };
  resetFields();
  return {
    url: http.url,
    createIssue: (key, options) => store.snapshot(store.create(key, options)),
    getIssue: (key) => store.snapshot(store.mustFind(key)),
    hasIssue: (key) => store.find(key) !== undefined,
    issueKeys: (queue) => store.updatedSince([queue], 0).map((issue) => issue.key),
    updateIssue: (key, options) => {
      const issue = store.mustFind(key);
      if (options.status !== undefined) store.setStatus(issue, options.status);
      if (options.fields) Object.assign(issue.fields, options.fields);
      if (options.forbidden !== undefined) issue.forbidden = options.forbidden;
      if (options.assignee !== undefined) store.setAssignee(issue, options.assignee);
      return store.snapshot(issue);
    },
    moveIssue: (key, queue) => store.move(key, queue).key,
    deleteIssue: (key) => store.delete(key),
    setWorkflow: (workflow, queue) => store.setWorkflow(workflow, queue),
    setWorkflowApi: (readable) => {
      store.workflowApi = readable;
    },
    defineField: (field) => {
      fields.set(field.id, field);
    },
    versions: (queue) => store.listVersions(queue).map((v) => v.name),
    createVersion: (queue, name) => {
      if (store.createVersion(queue, name) === "duplicate") {
        throw new Error(`version ${name} already exists in ${queue}`);
      }
    },
    acceptDuplicateVersions: (accept) => {
      store.acceptsDuplicateVersions = accept;
    },
    injectFaults: (spec) => http.injectFaults(spec),
    clearFaults: () => http.clearFaults(),
    setLatency: (ms) => http.setLatency(ms),
    get requests() {
      return http.requests;
    },
    get peakInFlight() {
      return http.peakInFlight;
    },
    resetRequests: () => http.resetRequests(),
    reset: () => {
      store.reset();
      resetFields();
      http.clearFaults();
      http.setLatency(0);
      http.resetRequests();
    },
    close: () => http.close(),
  };
}

/** Matches `/prefix/<key>/rest` paths; returns decoded groups or undefined. */
export function matchPath(path: string, pattern: RegExp): string[] | undefined {
  const match = pattern.exec(path);
  if (!match) return undefined;
  try {
    return match.slice(1).map((part) => decodeURIComponent(part ?? ""));
  } catch {
    return undefined;
  }
}
