/**
 * GitHub Projects in the conformance kit: the GraphQL simulator seen through the kit's admin
 * surface. The "issue" is a GitHub issue (`acme/web#n`) on the org project; its status is the
 * Status option (a new issue starts in "Todo"), the bench URL a text field, and comments are
 * issue comments. The token is not the connection's: the adapter asks GitHub access for it,
 * as the App's installation (here: the connection's token, so the kit's bad-token case holds).
 */
import { graphqlEndpoint } from "../../trackers/github-projects/index.js";
import {
  type GitHubProjectsSimulator,
  startGitHubProjectsSimulator,
} from "../github-projects/index.js";
import type { KitFixture, KitSimulator } from "./kit-fixture.js";

const TOKEN = "ghs_kit-installation-token-0123456789";

function asKitSimulator(sim: GitHubProjectsSimulator): KitSimulator {
  return {
    get url() {
      return sim.url;
    },
    get requests() {
      return sim.requests;
    },
    resetRequests: () => sim.resetRequests(),
    injectFaults: (spec) => sim.injectFaults(spec),
    reset: () => sim.reset(),
    close: () => sim.close(),
    issueKeys: (repo) => sim.issueKeys(repo),
    createIssue: (key, options = {}) => sim.createIssue(key, { status: options.status ?? "Todo" }),
    getIssue(key) {
      const issue = sim.getIssue(key);
      return {
        fields: issue.fields,
        comments: issue.comments.map((text, i) => ({ id: String(i), text })),
        links: [],
        fixVersions: [],
        assignee: issue.assignees[0] ?? null,
      };
    },
  };
}

export const githubProjects: KitFixture = {
  name: "github-projects",
  start: async () => asKitSimulator(await startGitHubProjectsSimulator({ token: TOKEN })),
  connection: () => ({
    name: "github-projects",
    type: "github-projects",
    url: "",
    token: TOKEN,
    project: { owner: "acme", number: 1 },
  }),
  options: (connection, url) => ({
    github: { endpoint: graphqlEndpoint(url), token: async () => connection.token },
  }),
  secrets: [TOKEN],
  issue: (n) => ({ sim: `acme/web#${n}`, key: `acme/web#${n}` }),
  statuses: {
    inProgress: { sim: "In Progress", display: "In Progress" },
    start: "Todo",
    oneStep: "In Progress",
    routed: { target: "Ready for Test", via: "In Review" },
  },
  field: { id: "Bench link", stored: "Bench link" },
  linkedByThePr: true,
  create: { project: "acme/web", queue: "acme/web", request: { bodyIncludes: "createIssue(" } },
  // The tracker login is the GitHub login.
  assignee: { login: "alice", stored: "alice" },
};
