/**
 * GitHub Projects through the App's own installation: the adapter, given the App's Probot,
 * finds the installation on the project's organization, mints its token through Probot's app
 * auth, and moves a project item on the App's GitHub simulator (GitHub Enterprise's
 * /api/graphql path, as GHE_HOST makes it). An organization the App is not installed on is a
 * clear refusal; a repository outside the installation is invisible.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { githubUrls } from "../../src/config/server-config.js";
import { installationGraphql } from "../../src/github/installation-graphql.js";
import { type GitHubSimulator, startGitHubSimulator } from "../../src/simulators/github/index.js";
import { applyAction } from "../../src/trackers/apply-action.js";
import { createTracker } from "../../src/trackers/create-tracker.js";
import { TrackerError } from "../../src/trackers/errors.js";
import { APP_ID, appKeyPair } from "../simulators/github-fixtures.js";
import { simulatorProbot } from "./helpers.js";

const { privateKey, publicKey } = appKeyPair();
let sim: GitHubSimulator;
let env: Record<string, string>;

beforeAll(async () => {
  sim = await startGitHubSimulator({ appId: APP_ID, publicKey });
  sim.addRepo({ owner: "acme", name: "web", installationId: 7 });
  sim.addRepo({ owner: "globex", name: "site", installationId: 9 });
  env = {
    APP_ID: String(APP_ID),
    PRIVATE_KEY: privateKey,
    GHE_HOST: new URL(sim.url).host,
    GHE_PROTOCOL: "http",
  };
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.projects.reset();
  sim.resetRequests();
});

function tracker(owner = "acme") {
  const probot = simulatorProbot(sim.url, privateKey);
  return createTracker(
    { name: "roadmap", type: "github-projects", url: "", token: "", project: { owner, number: 1 } },
    { github: installationGraphql(probot, githubUrls(env).apiUrl) },
  );
}

describe("GitHub Projects as the App's installation", () => {
  it("moves an item with the installation's token; the installation is looked up once", async () => {
    sim.projects.createIssue("acme/web#12", { status: "Todo" });
    const roadmap = tracker();
    const move = (target: string) =>
      applyAction(roadmap, {
        kind: "move",
        key: "acme/web#12",
        target,
        trigger: "opened",
        protect: [],
      });
    expect((await move("In Progress")).summary).toBe("moved Todo → In Progress");
    expect((await move("In Review")).summary).toBe("moved In Progress → In Review");
    expect(sim.projects.getIssue("acme/web#12").status).toBe("In Review");

    const paths = sim.requests.map((r) => `${r.method} ${r.path}`);
    expect(paths.filter((p) => p === "GET /orgs/acme/installation")).toHaveLength(1);
    expect(paths.filter((p) => p.endsWith("/access_tokens"))).toHaveLength(1);
    expect(paths.filter((p) => p === "POST /graphql")).toHaveLength(4);
    expect(sim.requests.find((r) => r.path === "/graphql")?.auth?.scheme).toBe("bearer");
  });

  it("an organization without the App is refused with what to do", async () => {
    const error = await tracker("initech")
      .getIssue("acme/web#12")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrackerError);
    expect(error).toMatchObject({ kind: "forbidden" });
    expect((error as Error).message).toContain("the GitHub App is not installed on initech");
  });

  it("a repository of another installation is invisible (not found)", async () => {
    sim.projects.createIssue("globex/site#3", { status: "Todo" });
    const error = await tracker()
      .getIssue("globex/site#3")
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "not_found" });
    expect((error as Error).message).toContain("Could not resolve to a Repository");
  });
});
