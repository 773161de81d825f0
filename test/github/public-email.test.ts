/**
 * `match: email` while planning: the assign actions that ask get the e-mail the person's
 * GitHub profile shows (GET /users/{username} with the installation's token, against the
 * GitHub simulator, held to GitHub's OpenAPI by the test setup); one request per person.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Plan, PlannedAction } from "../../src/core/types.js";
import { addPublicEmails } from "../../src/github/public-email.js";
import type { GitHubSimulator } from "../../src/simulators/github/index.js";
import { simulatorWithRepo } from "./helpers.js";

let sim: GitHubSimulator;
let octokit: Awaited<ReturnType<typeof simulatorWithRepo>>["octokit"];

beforeAll(async () => {
  ({ sim, octokit } = await simulatorWithRepo());
});
afterAll(() => sim.close());

const assign = (key: string, person: string, match?: "email"): PlannedAction => ({
  kind: "assign",
  key,
  person,
  from: "author",
  overwrite: false,
  ...(match ? { match } : {}),
});

describe("the person's public GitHub e-mail for match: email", () => {
  it("fills what the profile shows, once per person, and only where asked", async () => {
    sim.setPublicEmail("alice", "alice@acme.test");
    const plan: Plan = {
      keys: [],
      skipped: [],
      actions: [
        assign("PROJ-1", "alice", "email"),
        assign("PROJ-2", "alice", "email"),
        assign("PROJ-3", "bob", "email"),
        assign("PROJ-4", "alice"),
      ],
      notes: [],
    };
    const before = sim.requests.length;
    await addPublicEmails(octokit, plan);
    const asked = sim.requests.slice(before).filter((r) => r.path.startsWith("/users/"));
    expect(asked.map((r) => r.path).sort()).toEqual(["/users/alice", "/users/bob"]);
    expect(plan.actions.map((a) => (a.kind === "assign" ? a.email : undefined))).toEqual([
      "alice@acme.test",
      "alice@acme.test",
      undefined,
      undefined,
    ]);
  });
});
