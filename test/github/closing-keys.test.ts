/**
 * A repository whose connection is a GitHub project gets GitHub's key style from the config
 * loader (a bare #12 is its own issue); any other keeps PROJ-123. And the issues a PR closes,
 * as GitHub's GraphQL tells them, read once per head and body.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClosingIssues } from "../../src/github/closing-issues.js";
import { RepoConfigs } from "../../src/github/load-repo-config.js";
import type { GitHubSimulator } from "../../src/simulators/github/index.js";
import { simulatorWithRepo } from "./helpers.js";

let sim: GitHubSimulator;
let octokit: Awaited<ReturnType<typeof simulatorWithRepo>>["octokit"];

beforeAll(async () => {
  ({ sim, octokit } = await simulatorWithRepo());
  sim.setFile("acme", "web", ".github/trackbridge.yml", "statuses: { opened: In Progress }\n");
});
afterAll(() => sim.close());

describe("GitHub issue keys for a GitHub project", () => {
  it("sets the GitHub key style, with the repository, only for a github-projects connection", async () => {
    const where = { owner: "acme", repo: "web" };
    const projects = await new RepoConfigs({
      connections: ["roadmap"],
      channels: [],
      githubKeys: ["roadmap"],
    }).load(octokit, where);
    expect(projects.kind === "valid" && projects.config.keys.style).toEqual({
      kind: "github",
      repo: "acme/web",
    });
    const jira = await new RepoConfigs({ connections: ["jira"], channels: [] }).load(
      octokit,
      where,
    );
    expect(jira.kind === "valid" && jira.config.keys.style).toBeUndefined();
  });

  it("reads closingIssuesReferences once per head and body", async () => {
    sim.projects.createIssue("acme/web#12");
    sim.projects.createIssue("acme/web#40");
    sim.addPullRequest("acme", "web", {
      number: 5,
      title: "Login",
      body: "Closes #12",
      head: { ref: "login", sha: "a".repeat(40) },
      user: "alice",
    });
    sim.projects.createPull("acme/web#5", "", ["acme/web#40"]);
    const closing = new ClosingIssues();
    const where = {
      owner: "acme",
      repo: "web",
      number: 5,
      headSha: "a".repeat(40),
      body: "Closes #12",
    };
    sim.resetRequests();
    expect(await closing.read(octokit, where)).toEqual(["acme/web#12", "acme/web#40"]);
    expect(await closing.read(octokit, where)).toEqual(["acme/web#12", "acme/web#40"]);
    expect(sim.requests.filter((r) => r.path === "/graphql")).toHaveLength(1);
    await closing.read(octokit, { ...where, body: "Closes #40" });
    expect(sim.requests.filter((r) => r.path === "/graphql")).toHaveLength(2);
  });
});
