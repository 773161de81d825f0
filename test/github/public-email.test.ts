/**
 * `match: email`'s lookup: the e-mail a person's GitHub profile shows (GET /users/{username}
 * with the installation's token, against the GitHub simulator, held to GitHub's OpenAPI by
 * the test setup), kept per login for an hour: one request per person, a deleted user kept as
 * none, and an outage kept as nothing (the job retries with a clear error).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PublicEmails, PublicEmailUnread } from "../../src/github/public-email.js";
import type { GitHubSimulator } from "../../src/simulators/github/index.js";
import { isRetryable } from "../../src/trackers/errors.js";
import { simulatorWithRepo } from "./helpers.js";

let sim: GitHubSimulator;
let octokit: Awaited<ReturnType<typeof simulatorWithRepo>>["octokit"];

beforeAll(async () => {
  // As the worker's thread makes it: a failed request fails the job's step, which retries.
  ({ sim, octokit } = await simulatorWithRepo({ githubRetry: false }));
  sim.setPublicEmail("alice", "alice@acme.test");
});
afterAll(() => sim.close());

let now: number;
let emails: PublicEmails;
let octokits: number;
let from: number;
beforeEach(() => {
  now = 0;
  emails = new PublicEmails({ now: () => now });
  octokits = 0;
  from = sim.requests.length;
});
const lookup = (login: string) =>
  emails.of(login, async () => {
    octokits++;
    return octokit;
  });
const asked = () =>
  sim.requests
    .slice(from)
    .filter((r) => r.path.startsWith("/users/"))
    .map((r) => r.path);

describe("a person's public GitHub e-mail for match: email", () => {
  it("asks GitHub once per person an hour, whatever the login's case", async () => {
    expect(await lookup("alice")).toBe("alice@acme.test");
    expect(await lookup("Alice")).toBe("alice@acme.test");
    expect(await lookup("bob")).toBeNull();
    expect(await lookup("bob")).toBeNull();
    expect(asked()).toEqual(["/users/alice", "/users/bob"]);
    // A kept answer needs no installation client either.
    expect(octokits).toBe(2);
    now = 60 * 60_000;
    expect(await lookup("alice")).toBe("alice@acme.test");
    expect(asked()).toEqual(["/users/alice", "/users/bob", "/users/alice"]);
  });

  it("keeps a deleted user (404) as none", async () => {
    sim.injectFaults({ status: 404, count: 1, pathIncludes: "/users/gone-gh" });
    expect(await lookup("gone-gh")).toBeNull();
    expect(await lookup("gone-gh")).toBeNull();
    expect(asked()).toEqual(["/users/gone-gh"]);
  });

  it("keeps nothing from a 500: a retryable error that says what was asked, then the answer", async () => {
    sim.injectFaults({ status: 500, count: 1, pathIncludes: "/users/alice" });
    const failed = await lookup("alice").catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(PublicEmailUnread);
    expect(String((failed as Error).message)).toMatch(
      /^GitHub: could not read the public e-mail of alice \(GET \/users\/alice\): 500: /,
    );
    expect(isRetryable(failed)).toBe(true);
    expect(await lookup("alice")).toBe("alice@acme.test");
    expect(asked()).toEqual(["/users/alice", "/users/alice"]);
  });
});
