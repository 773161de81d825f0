/**
 * The GitHub Projects simulator's `createIssue` mutation over real HTTP: a new issue takes the
 * repository's next number, and issues and pull requests share one sequence, as on GitHub.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  type GitHubProjectsSimulator,
  startGitHubProjectsSimulator,
} from "../../src/simulators/github-projects/index.js";

const TOKEN = "ghs_numbers-installation-token-0123";
let sim: GitHubProjectsSimulator;
beforeAll(async () => {
  sim = await startGitHubProjectsSimulator({ token: TOKEN });
});
afterAll(() => sim.close());

async function createIssue(repositoryId: string): Promise<number> {
  const answer = await fetch(`${sim.url}/graphql`, {
    method: "POST",
    headers: { authorization: `bearer ${TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({
      query:
        'mutation($r: ID!) { createIssue(input: { repositoryId: $r, title: "t" }) { issue { number } } }',
      variables: { r: repositoryId },
    }),
  });
  const json = (await answer.json()) as { data: { createIssue: { issue: { number: number } } } };
  return json.data.createIssue.issue.number;
}

it("numbers a new issue after the repository's newest issue or pull request", async () => {
  sim.createIssue("acme/web#2");
  sim.createPull("acme/web#7", "");
  sim.createPull("acme/api#40", "");
  expect(await createIssue("R_acme_web")).toBe(8);
  expect(await createIssue("R_acme_web")).toBe(9);
  expect(await createIssue("R_acme_api")).toBe(41);
});
