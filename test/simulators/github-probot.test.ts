/**
 * The simulator as a real Probot app meets it: Probot's own event Octokit, pointed at the
 * `/api/v3` base URL that GHE_HOST + GHE_PROTOCOL=http produce.
 */
import { Probot } from "probot";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type GitHubSimulator, startGitHubSimulator } from "../../src/simulators/github/index.js";
import { APP_ID, appKeyPair } from "./github-fixtures.js";

const { privateKey, publicKey } = appKeyPair();
let sim: GitHubSimulator;

beforeAll(async () => {
  sim = await startGitHubSimulator({ appId: APP_ID, publicKey });
});
afterAll(() => sim.close());

it("serves context.config (with the org .github fallback) and check runs to a Probot handler", async () => {
  const repository = sim.addRepo({ owner: "acme", name: "web", installationId: 31 });
  sim.addRepo({ owner: "acme", name: ".github", installationId: 31 });
  sim.setFile("acme", ".github", ".github/trackbridge.yml", "keys:\n  projects: [ORG]\n");
  const pullRequest = sim.addPullRequest("acme", "web", {
    title: "ORG-1 Add thing",
    head: { ref: "ORG-1-thing", sha: "c".repeat(40) },
  });

  const probot = new Probot({
    appId: APP_ID,
    privateKey,
    secret: "s",
    baseUrl: `${sim.url}/api/v3`,
    logLevel: "fatal",
  });
  const configs: unknown[] = [];
  await probot.load((app) => {
    app.on("pull_request.opened", async (context) => {
      configs.push(await context.config("trackbridge.yml", { statuses: {} }));
      await context.octokit.rest.checks.create(
        context.repo({
          name: "trackbridge",
          head_sha: context.payload.pull_request.head.sha,
          conclusion: "success",
          output: { title: "ok", summary: "ok" },
        }),
      );
    });
  });

  const payload = {
    action: "opened",
    number: pullRequest.number,
    pull_request: pullRequest,
    repository,
    installation: sim.installation(31),
    sender: pullRequest.user,
  };
  await probot.receive({
    id: "delivery-1",
    name: "pull_request",
    payload,
  } as unknown as Parameters<typeof probot.receive>[0]);

  expect(configs).toEqual([{ statuses: {}, keys: { projects: ["ORG"] } }]);
  expect(sim.checkRuns("acme", "web").map((run) => [run.head_sha, run.conclusion])).toEqual([
    ["c".repeat(40), "success"],
  ]);
  expect(sim.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
    "POST /app/installations/31/access_tokens 201",
    "GET /repos/acme/web/contents/.github/trackbridge.yml 404",
    "GET /repos/acme/.github/contents/.github/trackbridge.yml 200",
    "POST /repos/acme/web/check-runs 201",
  ]);
});
