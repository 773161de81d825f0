/**
 * The adapter modes the conformance kit (test/trackers/kit) runs and the bench's tracker-kinds
 * part counts: a new adapter adds its fixture here (one line in KIT_FIXTURES) next to its kind
 * in src/trackers/kinds.ts. Here rather than under test so the bench need not import tests.
 */
import { startJiraSimulator } from "../jira/index.js";
import { startLinearSimulator } from "../linear/index.js";
import { uuidFor } from "../linear/render.js";
import { startRedmineSimulator } from "../redmine/index.js";
import { startRequestTrackerSimulator } from "../request-tracker/index.js";
import { startYandexSimulator } from "../yandex/index.js";
import { startYouTrackSimulator } from "../youtrack/index.js";
import { type KitFixture, projectKeys } from "./kit-fixture.js";
import { githubProjects } from "./kit-github-projects.js";

const TOKEN = "kit_secret-token-0123456789abcdef";
const EMAIL = "bot@acme.test";

const yandex: KitFixture = {
  name: "yandex",
  start: () => startYandexSimulator({ token: TOKEN, orgId: "7001" }),
  connection: (url) => ({ name: "yandex", type: "yandex", url, token: TOKEN, orgId: "7001" }),
  secrets: [TOKEN],
  issue: projectKeys("PROJ"),
  field: { id: "benchLink", stored: "benchLink" },
  create: { project: "PROJ", queue: "PROJ" },
  assignee: { login: "alice", stored: "alice" },
};

function jira(cloud: boolean): KitFixture {
  const name = cloud ? "jira-cloud" : "jira-dc";
  return {
    name,
    start: () =>
      startJiraSimulator({
        token: TOKEN,
        apiVersion: cloud ? 3 : 2,
        ...(cloud ? { email: EMAIL } : {}),
      }),
    connection: (url) => ({
      name,
      type: "jira",
      url,
      token: TOKEN,
      ...(cloud ? { email: EMAIL } : {}),
    }),
    secrets: [TOKEN, Buffer.from(`${EMAIL}:${TOKEN}`).toString("base64")],
    issue: projectKeys("PROJ"),
    field: { id: "customfield_10010", stored: "customfield_10010" },
    create: { project: "PROJ", queue: "PROJ" },
    // Cloud takes an accountId, Data Center a user name: the simulator keeps either.
    assignee: cloud
      ? { login: "5b10ac8d82e05b22cc7d4ef5", stored: "5b10ac8d82e05b22cc7d4ef5" }
      : { login: "alice", stored: "alice" },
  };
}

const linear: KitFixture = {
  name: "linear",
  start: () => startLinearSimulator({ token: TOKEN }),
  connection: (url) => ({ name: "linear", type: "linear", url, token: TOKEN }),
  secrets: [TOKEN],
  issue: projectKeys("ENG"),
  field: { id: "Bench link", stored: "Bench link" },
  create: { project: "ENG", queue: "ENG", request: { bodyIncludes: "issueCreate" } },
  // Alice's Linear user id (an e-mail is `match: email`'s); the simulator keeps her by display name.
  assignee: { login: uuidFor("user:alice@acme.test"), stored: "alice" },
  // No custom fields: the value is an attachment titled with the field's name.
  readField: (sim, key, field) => sim.getIssue(key).links.find((l) => l.title === field)?.url,
};

const youtrack: KitFixture = {
  name: "youtrack",
  start: () => startYouTrackSimulator({ token: TOKEN }),
  connection: (url) => ({ name: "youtrack", type: "youtrack", url, token: TOKEN }),
  secrets: [TOKEN],
  issue: projectKeys("NP"),
  field: { id: "Bench link", stored: "Bench link" },
  create: { project: "NP", queue: "NP" },
  assignee: { login: "alice", stored: "alice" },
};

const redmine: KitFixture = {
  name: "redmine",
  start: () => startRedmineSimulator({ token: TOKEN }),
  connection: (url) => ({ name: "redmine", type: "redmine", url, token: TOKEN, keyPrefix: "RM" }),
  secrets: [TOKEN],
  issue: (n) => ({ sim: `WEB-${n}`, key: `RM-${n}` }),
  field: { id: "Bench link", stored: "5" },
  create: { project: "web", queue: "WEB" },
  // Redmine assigns by user id: the simulator's Alice is user 5.
  assignee: { login: "5", stored: "alice" },
};

const requestTracker: KitFixture = {
  name: "rt",
  start: () => startRequestTrackerSimulator({ token: TOKEN }),
  connection: (url) => ({
    name: "rt",
    type: "request-tracker",
    url,
    token: TOKEN,
    keyPrefix: "RT",
  }),
  secrets: [TOKEN],
  issue: (n) => ({ sim: `OPS-${n}`, key: `RT-${n}` }),
  // RT's default lifecycle: new → open → resolved.
  statuses: {
    inProgress: { sim: "open", display: "open" },
    start: "new",
    oneStep: "open",
    routed: { target: "resolved", via: "open" },
  },
  field: { id: "Bench link", stored: "3" },
  create: { project: "OPS", queue: "OPS" },
  assignee: { login: "alice", stored: "alice" },
};

export const KIT_FIXTURES: readonly KitFixture[] = [
  // One fixture a line, as in TRACKER_KINDS.
  yandex,
  jira(true),
  jira(false),
  linear,
  youtrack,
  redmine,
  requestTracker,
  githubProjects,
];
