/**
 * What the demo shows differently per tracker (`npm run demo -- --tracker linear`): the
 * repository config (Linear's states are named by name), the workflow the story runs on, where
 * the bench URL and the PR's link land, and the Action's tracker inputs. The story, the App
 * and the simulators are the same.
 */
import { defaultRtLifecycle } from "../simulators/request-tracker/lifecycle.js";
import {
  DEFAULT_REPO_CONFIG,
  INSTALLATION_ID,
  LINEAR_REPO_CONFIG,
  REDMINE_REPO_CONFIG,
  REQUEST_TRACKER_REPO_CONFIG,
  type Testbed,
  YOUTRACK_REPO_CONFIG,
} from "../simulators/scenario/testbed.js";
import type { IssueSnapshot } from "../simulators/shared/store.js";
import {
  defaultJiraWorkflow,
  defaultLinearWorkflow,
  type SimWorkflow,
  strictYandexWorkflow,
} from "../simulators/shared/workflow.js";

export const DEMO_TRACKERS = [
  "yandex",
  "linear",
  "youtrack",
  "redmine",
  "request-tracker",
  "github-projects",
] as const;
export type DemoTrackerName = (typeof DEMO_TRACKERS)[number];

export interface DemoTracker {
  name: DemoTrackerName;
  label: string;
  repoConfig: string;
  /** The config the second half commits: work started, a staging deployment, a release. */
  lifeConfig: string;
  workflow(): SimWorkflow;
  workflowLines: string[];
  benchField: string;
  /** The bench URL the issue shows now. */
  bench(issue: IssueSnapshot): string;
  /** "1 comment linking the PR", "1 attachment linking the PR". */
  prLinks(issue: IssueSnapshot): string;
  versions(issue: IssueSnapshot): string;
  actionInputs(bed: Testbed): Record<string, string>;
  /** The App's environment beyond the testbed's (a numbered tracker's key prefix). */
  env?: Record<string, string>;
  /** Issue n's key, and how PR text writes it; PROJ-n unless the tracker's keys are GitHub's. */
  ref?(n: number): { key: string; written: string };
  /** Issue n's branch; `feature/proj-n-slug` unless the tracker's keys are GitHub's. */
  branch?(n: number, slug: string): string;
}

/** How the story names issue `n` on this tracker. */
export function refOf(demo: DemoTracker, n: number): { key: string; written: string } {
  return demo.ref?.(n) ?? { key: `PROJ-${n}`, written: `PROJ-${n}` };
}

export function branchOf(demo: DemoTracker, n: number, slug: string): string {
  return demo.branch?.(n, slug) ?? `feature/PROJ-${n}-${slug}`;
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;

const YANDEX: DemoTracker = {
  name: "yandex",
  label: "Yandex Tracker",
  repoConfig: DEFAULT_REPO_CONFIG,
  lifeConfig: `${DEFAULT_REPO_CONFIG.replace("statuses:\n", "statuses:\n  started: inProgress\n  released: closed\n").replace("  merged: closed\n", "  merged: inReview\n")}deployments:
  staging: { status: readyForTest }
release: { version: "{tag}", strip_v: true }
`,
  workflow: strictWithClose,
  workflowLines: [
    "Tracker workflow (strict): Open → In progress | In review; In review → Needs improvement | Ready for test;",
    "  Needs improvement → In review | Ready for test; Ready for test → Testing | Closed",
  ],
  benchField: "benchLink",
  bench: (issue) => `benchLink = ${String(issue.fields.benchLink)}`,
  prLinks: (issue) => `${plural(issue.comments.length, "comment")} linking the PR`,
  versions: (issue) => `fixVersions = ${issue.fixVersions.join(", ")}`,
  actionInputs: (bed) => ({ tracker: "yandex", "org-id": bed.env.TRACKER_ORG_ID ?? "" }),
};

/** The latest attachment titled with the field: Linear has no custom fields. */
function attached(issue: IssueSnapshot, title: string): string {
  return issue.links.filter((link) => link.title === title).at(-1)?.url ?? "(none)";
}

const LINEAR: DemoTracker = {
  name: "linear",
  label: "Linear",
  repoConfig: LINEAR_REPO_CONFIG,
  lifeConfig: `${LINEAR_REPO_CONFIG.replace("statuses:\n", "statuses:\n  started: In progress\n  released: Closed\n").replace("  merged: Closed\n", "  merged: In review\n")}deployments:
  staging: { status: Ready for test }
`,
  workflow: defaultLinearWorkflow,
  workflowLines: [
    "Team workflow (Linear has no transition rules): Backlog, Open, In progress, In review,",
    "  Needs improvement, Ready for test, Closed, Canceled; every move is one issueUpdate",
  ],
  benchField: "Bench link",
  bench: (issue) => `attachment "Bench link" = ${attached(issue, "Bench link")}`,
  prLinks: (issue) =>
    `${plural(issue.links.filter((link) => link.url.includes("/pull/")).length, "attachment")} linking the PR`,
  versions: () => "no fix versions (Linear has none)",
  actionInputs: () => ({ tracker: "linear" }),
};

/** The strict workflow, with a direct Close from Ready for test so a merge can finish the issue. */
function strictWithClose(): SimWorkflow {
  const workflow = strictYandexWorkflow();
  workflow.transitions.push({
    id: "close",
    display: "Close",
    from: ["readyForTest"],
    to: "closed",
  });
  return workflow;
}

/** The second half's config where statuses are named by name: started, staging, a release. */
function namedLifeConfig(config: string): string {
  const statuses = config
    .replace("statuses:\n", "statuses:\n  started: In progress\n  released: Closed\n")
    .replace("  merged: Closed\n", "  merged: In review\n");
  return `${statuses}deployments:
  staging: { status: Ready for test }
release: { version: "{tag}", strip_v: true }
`;
}

const YOUTRACK: DemoTracker = {
  name: "youtrack",
  label: "YouTrack",
  repoConfig: YOUTRACK_REPO_CONFIG,
  lifeConfig: namedLifeConfig(YOUTRACK_REPO_CONFIG),
  workflow: strictWithClose,
  workflowLines: [
    "Project workflow (a state machine on State; YouTrack refuses undefined transitions and lists none):",
    "  Open → In progress | In review; In review → Needs improvement | Ready for test;",
    "  Needs improvement → In review | Ready for test; Ready for test → Testing | Closed",
  ],
  benchField: "Bench link",
  bench: (issue) => `"Bench link" = ${String(issue.fields["Bench link"])}`,
  prLinks: (issue) => `${plural(issue.comments.length, "comment")} linking the PR`,
  versions: (issue) => `Fix versions = ${issue.fixVersions.join(", ")}`,
  actionInputs: () => ({ tracker: "youtrack" }),
};

/**
 * The numbered trackers play the same story with the key prefix PROJ (TRACKER_KEY_PREFIX):
 * PROJ-123 is their ticket 123, and a bare #123 in the PR would be GitHub's own.
 */
const NUMBERED_ENV = { TRACKER_KEY_PREFIX: "PROJ" };

const REDMINE: DemoTracker = {
  name: "redmine",
  label: "Redmine",
  repoConfig: REDMINE_REPO_CONFIG,
  lifeConfig: namedLifeConfig(REDMINE_REPO_CONFIG),
  workflow: defaultJiraWorkflow,
  workflowLines: [
    "Redmine workflow (role × tracker, no REST API for it): each read's allowed_statuses are the",
    "  transitions from there; a status the workflow refuses is dropped with 204, so each move is re-read",
  ],
  benchField: "Bench link",
  bench: (issue) => `custom field "Bench link" = ${String(issue.fields["5"] ?? "(none)")}`,
  prLinks: (issue) => `${plural(issue.comments.length, "note")} linking the PR`,
  versions: (issue) => `fixed version = ${issue.fixVersions.join(", ") || "(none)"}`,
  actionInputs: () => ({ tracker: "redmine", "key-prefix": "PROJ" }),
  env: NUMBERED_ENV,
};

const REQUEST_TRACKER: DemoTracker = {
  name: "request-tracker",
  label: "Request Tracker",
  repoConfig: REQUEST_TRACKER_REPO_CONFIG,
  lifeConfig: `${REQUEST_TRACKER_REPO_CONFIG.replace("statuses:\n", "statuses:\n  started: open\n")}deployments:
  staging: { status: stalled }
`,
  workflow: defaultRtLifecycle,
  workflowLines: [
    "RT's default lifecycle: new → open | resolved | rejected; open → stalled | resolved | rejected;",
    "  stalled → open; each status change is a PUT with If-Match (a stale ETag: read again, put again)",
  ],
  benchField: "Bench link",
  bench: (issue) => `custom field "Bench link" = ${String(issue.fields["3"] ?? "(none)")}`,
  prLinks: (issue) => `${plural(issue.comments.length, "comment")} linking the PR`,
  versions: () => "no fix versions (Request Tracker has none)",
  actionInputs: () => ({ tracker: "request-tracker", "key-prefix": "PROJ" }),
  env: NUMBERED_ENV,
};

/**
 * Issues are GitHub issues on project acme/1 (the GitHub simulator serves it): the PR says
 * "Closes #123", the bench pipeline's branch is named as GitHub names an issue's (124-profile),
 * and the Action gets the App's installation token, as actions/create-github-app-token would.
 */
const GITHUB_PROJECTS: DemoTracker = {
  name: "github-projects",
  label: "GitHub Projects",
  repoConfig: REDMINE_REPO_CONFIG,
  lifeConfig: namedLifeConfig(REDMINE_REPO_CONFIG),
  workflow: defaultLinearWorkflow,
  workflowLines: [
    "Project acme/1: its Status field is a single select (no transition rules): Backlog, Open,",
    "  In progress, In review, Needs improvement, Ready for test, Closed, Canceled; each move is one write",
  ],
  benchField: "Bench link",
  bench: (issue) => `"Bench link" = ${String(issue.fields["Bench link"] ?? "(none)")}`,
  prLinks: () => "no link of trackbridge's (GitHub shows the PR on the issue it mentions)",
  versions: () => "no fix versions (GitHub Projects has none)",
  actionInputs: (bed) => ({
    tracker: "github-projects",
    project: "acme/1",
    token: bed.github.installationToken(INSTALLATION_ID),
  }),
  ref: (n) => ({ key: `acme/web#${n}`, written: `#${n}` }),
  branch: (n, slug) => `${n}-${slug}`,
};

export function demoTracker(name: string | undefined): DemoTracker {
  if (name === undefined || name === "yandex") return YANDEX;
  if (name === "linear") return LINEAR;
  if (name === "youtrack") return YOUTRACK;
  if (name === "redmine") return REDMINE;
  if (name === "request-tracker") return REQUEST_TRACKER;
  if (name === "github-projects") return GITHUB_PROJECTS;
  throw new Error(`the demo plays on ${DEMO_TRACKERS.join(" or ")}, not "${name}"`);
}
