/**
 * Workflows as the simulators know them: statuses with a machine key, a display name and an
 * id, and transitions from some statuses to one. Yandex Tracker exposes the status key and a
 * string transition id; Jira exposes numeric status ids and numeric transition ids, so one
 * table below yields both default workflows.
 */

export interface SimStatus {
  /** Internal key (`readyForTest`); Yandex shows it as `status.key`. */
  key: string;
  display: string;
  /** Yandex `status.id`; Jira's status id (the only key Jira exposes). */
  id: string;
  /** Jira status category. */
  category?: "new" | "indeterminate" | "done";
  /** Linear's workflow state type; derived from `category` when absent (see the Linear simulator). */
  linearType?: "triage" | "backlog" | "unstarted" | "started" | "completed" | "canceled";
}

export interface SimTransition {
  id: string;
  display: string;
  /** Status keys this transition leaves from. */
  from: string[];
  /** Status key it leads to. */
  to: string;
  /**
   * Fields the transition's screen requires (display names): Jira lists them with
   * `expand=transitions.fields` and answers 400 without them; Yandex answers 422.
   */
  requiredFields?: string[];
}

export interface SimWorkflow {
  statuses: SimStatus[];
  transitions: SimTransition[];
  /** Status key of new issues; the first status when absent. */
  initial?: string;
}

const STATUSES: SimStatus[] = [
  { key: "open", display: "Open", id: "1", category: "new" },
  { key: "inProgress", display: "In progress", id: "3", category: "indeterminate" },
  { key: "inReview", display: "In review", id: "10001", category: "indeterminate" },
  { key: "needsImprovement", display: "Needs improvement", id: "10002", category: "indeterminate" },
  { key: "readyForTest", display: "Ready for test", id: "10003", category: "indeterminate" },
  { key: "closed", display: "Closed", id: "6", category: "done" },
];

const ACTIVE = STATUSES.filter((s) => s.key !== "closed").map((s) => s.key);

/** One row per target: every active status reaches every other; closed only reopens. */
const TRANSITIONS: Array<{ yandexId: string; jiraId: string; display: string; to: string }> = [
  { yandexId: "stopProgress", jiraId: "11", display: "Back to open", to: "open" },
  { yandexId: "startProgress", jiraId: "21", display: "Start progress", to: "inProgress" },
  { yandexId: "sendToReview", jiraId: "31", display: "Send to review", to: "inReview" },
  { yandexId: "requestChanges", jiraId: "41", display: "Request changes", to: "needsImprovement" },
  { yandexId: "sendToTest", jiraId: "51", display: "Send to test", to: "readyForTest" },
  { yandexId: "close", jiraId: "61", display: "Close", to: "closed" },
];

function defaultWorkflow(idOf: (row: (typeof TRANSITIONS)[number]) => string, reopenId: string) {
  const transitions: SimTransition[] = TRANSITIONS.map((row) => ({
    id: idOf(row),
    display: row.display,
    from: ACTIVE.filter((key) => key !== row.to),
    to: row.to,
  }));
  transitions.push({ id: reopenId, display: "Reopen", from: ["closed"], to: "open" });
  return { statuses: STATUSES.map((s) => ({ ...s })), transitions, initial: "open" };
}

/** Transition ids `stopProgress`, `startProgress`, `sendToReview`, `requestChanges`, `sendToTest`, `close`, `reopen`. */
export function defaultYandexWorkflow(): SimWorkflow {
  return defaultWorkflow((row) => row.yandexId, "reopen");
}

/** Transition ids "11" (to Open) … "61" (Close), "71" (Reopen); status ids as in `STATUSES`. */
export function defaultJiraWorkflow(): SimWorkflow {
  return defaultWorkflow((row) => row.jiraId, "71");
}

/**
 * Linear's states: the shared statuses plus Backlog and Canceled, as a new team has them.
 * Linear has no transitions (any state to any state), so each status is reachable from all.
 */
export function defaultLinearWorkflow(): SimWorkflow {
  const statuses: SimStatus[] = [
    { key: "backlog", display: "Backlog", id: "b", category: "new", linearType: "backlog" },
    ...STATUSES.map((s) => ({ ...s })),
    { key: "canceled", display: "Canceled", id: "x", category: "done", linearType: "canceled" },
  ];
  return { statuses, transitions: anyToAny(statuses), initial: "open" };
}

/** One transition into each status from every other: what Linear's lack of constraints means. */
export function anyToAny(statuses: readonly SimStatus[]): SimTransition[] {
  return statuses.map((to) => ({
    id: to.key,
    display: to.display,
    from: statuses.filter((s) => s.key !== to.key).map((s) => s.key),
    to: to.key,
  }));
}

const STRICT_STATUSES: SimStatus[] = [
  ...STATUSES.filter((s) => s.key !== "closed"),
  { key: "testing", display: "Testing", id: "10004", category: "indeterminate" },
  { key: "closed", display: "Closed", id: "6", category: "done" },
];

/**
 * The strict workflow of issue 8: Open leads only to In progress or In review; Ready for
 * test is reached only from In review or Needs improvement; QA takes it on to Testing;
 * "Resolve" to Closed needs the Resolution field.
 */
const STRICT: Array<{
  yandexId: string;
  jiraId: string;
  display: string;
  from: string[];
  to: string;
  requiredFields?: string[];
}> = [
  {
    yandexId: "startProgress",
    jiraId: "21",
    display: "Start progress",
    from: ["open"],
    to: "inProgress",
  },
  {
    yandexId: "sendToReview",
    jiraId: "31",
    display: "Send to review",
    from: ["open", "inProgress", "needsImprovement"],
    to: "inReview",
  },
  {
    yandexId: "requestChanges",
    jiraId: "41",
    display: "Request changes",
    from: ["inReview", "readyForTest", "testing"],
    to: "needsImprovement",
  },
  {
    yandexId: "sendToTest",
    jiraId: "51",
    display: "Send to test",
    from: ["inReview", "needsImprovement"],
    to: "readyForTest",
  },
  {
    yandexId: "startTesting",
    jiraId: "81",
    display: "Start testing",
    from: ["readyForTest"],
    to: "testing",
  },
  {
    yandexId: "resolve",
    jiraId: "61",
    display: "Resolve",
    from: ["testing"],
    to: "closed",
    requiredFields: ["Resolution"],
  },
  { yandexId: "reopen", jiraId: "71", display: "Reopen", from: ["closed"], to: "open" },
];

function strictWorkflow(tracker: "yandex" | "jira"): SimWorkflow {
  return {
    statuses: STRICT_STATUSES.map((s) => ({ ...s })),
    transitions: STRICT.map(({ yandexId, jiraId, from, requiredFields, ...rest }) => ({
      ...rest,
      id: tracker === "yandex" ? yandexId : jiraId,
      from: [...from],
      ...(requiredFields ? { requiredFields: [...requiredFields] } : {}),
    })),
    initial: "open",
  };
}

/** The strict workflow with Yandex transition ids (`startProgress`, `sendToReview`, …, `resolve`). */
export function strictYandexWorkflow(): SimWorkflow {
  return strictWorkflow("yandex");
}

/** The strict workflow with Jira transition ids ("21" … "81"); status ids as in `STATUSES`, Testing "10004". */
export function strictJiraWorkflow(): SimWorkflow {
  return strictWorkflow("jira");
}

/** Finds a status by key, id or display name (case-insensitive). */
export function resolveStatus(workflow: SimWorkflow, ref: string): SimStatus | undefined {
  return (
    workflow.statuses.find((s) => s.key === ref) ??
    workflow.statuses.find((s) => s.id === ref) ??
    workflow.statuses.find((s) => s.display.toLowerCase() === ref.toLowerCase())
  );
}

export function transitionsFrom(workflow: SimWorkflow, statusKey: string): SimTransition[] {
  return workflow.transitions.filter((t) => t.from.includes(statusKey));
}

/** Throws on a transition that names an unknown status, so a bad test setup fails loudly. */
export function validateWorkflow(workflow: SimWorkflow): void {
  const keys = new Set(workflow.statuses.map((s) => s.key));
  if (keys.size === 0) throw new Error("a workflow needs at least one status");
  for (const t of workflow.transitions) {
    for (const key of [...t.from, t.to]) {
      if (!keys.has(key)) throw new Error(`transition ${t.id} names unknown status "${key}"`);
    }
  }
  if (workflow.initial && !keys.has(workflow.initial)) {
    throw new Error(`initial status "${workflow.initial}" is not in the workflow`);
  }
}
