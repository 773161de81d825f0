import { createSign } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type GitHubSimulator, startGitHubSimulator } from "../../src/simulators/github/index.js";
import { APP_ID, appKeyPair, probotOctokit } from "./github-fixtures.js";

const { privateKey, publicKey } = appKeyPair();
const otherKey = appKeyPair().privateKey;
const INSTALLATION = 7;
let sim: GitHubSimulator;

beforeAll(async () => {
  sim = await startGitHubSimulator({ appId: APP_ID, publicKey });
  sim.addRepo({ owner: "acme", name: "web", installationId: INSTALLATION, defaultBranch: "trunk" });
  sim.addRepo({ owner: "acme", name: ".github", installationId: INSTALLATION });
  sim.addRepo({ owner: "acme", name: "api", installationId: INSTALLATION });
  sim.addRepo({ owner: "acme", name: "shared", installationId: INSTALLATION });
  sim.addRepo({ owner: "elsewhere", name: "secret", installationId: 8 });
});
afterAll(() => sim.close());
beforeEach(() => sim.resetRequests());

const installed = () =>
  probotOctokit({ baseUrl: sim.url, privateKey, installationId: INSTALLATION });

/** A JWT for the app signed with `key`; what a misconfigured PRIVATE_KEY would produce. */
function jwt(key: string, claims: Record<string, unknown> = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const unsigned = `${encode({ alg: "RS256", typ: "JWT" })}.${encode({ iat: now - 30, exp: now + 500, iss: APP_ID, ...claims })}`;
  const signature = createSign("RSA-SHA256").update(unsigned).sign(key).toString("base64url");
  return `${unsigned}.${signature}`;
}

describe("app and installation auth", () => {
  it("mints an installation token from the app JWT and requires it on repository routes", async () => {
    const octokit = installed();
    const { data } = await octokit.rest.repos.get({ owner: "acme", repo: "web" });
    expect(data.default_branch).toBe("trunk");

    const [mint, read] = sim.requests;
    expect(mint).toMatchObject({
      method: "POST",
      path: `/app/installations/${INSTALLATION}/access_tokens`,
      auth: { scheme: "bearer" },
      status: 201,
    });
    expect(read).toMatchObject({
      method: "GET",
      path: "/repos/acme/web",
      auth: { scheme: "token" },
    });

    const { token } = (await octokit.auth({ type: "installation" })) as { token: string };
    expect(token).toMatch(/^ghs_[A-Za-z0-9]{36}$/);
    expect(JSON.stringify(sim.requests)).not.toContain(token);
  });

  it("answers the app endpoints to the app JWT", async () => {
    const app = probotOctokit({ baseUrl: sim.url, privateKey });
    expect((await app.rest.apps.getAuthenticated()).data).toMatchObject({ id: APP_ID });
    const installations = await app.rest.apps.listInstallations();
    expect(installations.data.map((i) => i.id).sort()).toEqual([INSTALLATION, 8]);
    const found = await app.rest.apps.getRepoInstallation({ owner: "acme", repo: "web" });
    expect(found.data).toMatchObject({ id: INSTALLATION, account: { login: "acme" } });
  });

  it("works behind the /api/v3 prefix GHE_HOST produces", async () => {
    const octokit = probotOctokit({
      baseUrl: `${sim.url}/api/v3`,
      privateKey,
      installationId: INSTALLATION,
    });
    const { data } = await octokit.rest.repos.get({ owner: "acme", repo: "web" });
    expect(data.url).toBe(`${sim.url}/api/v3/repos/acme/web`);
    expect(sim.requests.map((r) => r.path)).toEqual([
      `/app/installations/${INSTALLATION}/access_tokens`,
      "/repos/acme/web",
    ]);
  });

  it.each([
    ["no credentials on a repo route", "/repos/acme/web", () => undefined, 401],
    ["an app JWT on a repo route", "/repos/acme/web", () => `Bearer ${jwt(privateKey)}`, 401],
    ["an unknown installation token", "/repos/acme/web", () => `token ghs_${"x".repeat(36)}`, 401],
    ["a JWT signed by another key", "/app", () => `Bearer ${jwt(otherKey)}`, 401],
    ["a JWT for another app id", "/app", () => `Bearer ${jwt(privateKey, { iss: 1 })}`, 401],
    ["an expired JWT", "/app", () => `Bearer ${jwt(privateKey, { exp: 1_000 })}`, 401],
    ["a valid JWT", "/app", () => `Bearer ${jwt(privateKey)}`, 200],
  ])("refuses or accepts %s", async (_name, path, authorization, status) => {
    const header = authorization();
    const response = await fetch(`${sim.url}${path}`, {
      headers: header ? { authorization: header } : {},
    });
    expect(response.status).toBe(status);
  });

  it("hides repositories outside the token's installation", async () => {
    const octokit = installed();
    await expect(
      octokit.rest.repos.get({ owner: "elsewhere", repo: "secret" }),
    ).rejects.toMatchObject({ status: 404 });
  });
});

describe("contents and Probot config", () => {
  beforeAll(() => {
    sim.setFile(
      "acme",
      ".github",
      ".github/trackbridge.yml",
      "keys:\n  projects: [ORG]\nprotect: [closed]\n",
    );
    sim.setFile("acme", "shared", "base/tracker.yml", "connection: jira\nprotect: [done]\n");
    sim.setFile(
      "acme",
      "web",
      ".github/trackbridge.yml",
      "_extends: .github\nkeys:\n  projects: [WEB]\n",
    );
    sim.setFile(
      "acme",
      "api",
      ".github/trackbridge.yml",
      "_extends: shared:base/tracker.yml\nbench:\n  field: benchLink\n",
    );
  });

  it.each([
    {
      repo: "web",
      why: "_extends: .github merges the org file under the repo's",
      config: { keys: { projects: ["WEB"] }, protect: ["closed"] },
      files: 2,
    },
    {
      repo: "api",
      why: "_extends names another repo and path",
      config: { connection: "jira", protect: ["done"], bench: { field: "benchLink" } },
      files: 2,
    },
    {
      repo: "shared",
      why: "a repo without the file falls back to the org's .github repo",
      config: { keys: { projects: ["ORG"] }, protect: ["closed"] },
      files: 2,
    },
  ])("$repo: $why", async ({ repo, config, files }) => {
    const result = await installed().config.get({
      owner: "acme",
      repo,
      path: ".github/trackbridge.yml",
    });
    expect(result.config).toEqual(config);
    expect(result.files).toHaveLength(files);
  });

  it("answers 404 for a missing file, so config falls back to defaults", async () => {
    const result = await installed().config.get({
      owner: "elsewhere",
      repo: "secret",
      path: ".github/none.yml",
      defaults: { fallback: true },
    });
    expect(result.config).toEqual({ fallback: true });
    expect(sim.requests.filter((r) => r.path.includes("/contents/")).map((r) => r.status)).toEqual([
      404, 404,
    ]);
  });

  it("returns base64 JSON without the raw media type", async () => {
    const { data } = await installed().rest.repos.getContent({
      owner: "acme",
      repo: "web",
      path: ".github/trackbridge.yml",
    });
    if (Array.isArray(data) || data.type !== "file") throw new Error("expected a file");
    expect(Buffer.from(data.content, "base64").toString("utf8")).toContain("projects: [WEB]");
    expect(sim.requests.at(-1)?.path).toBe("/repos/acme/web/contents/.github/trackbridge.yml");
  });
});

describe("pull requests, commits, comments", () => {
  beforeAll(() => {
    sim.addPullRequest("acme", "web", {
      number: 12,
      title: "WEB-1 Fix login",
      body: "Closes WEB-1",
      head: { ref: "feature/WEB-1", sha: "a".repeat(40) },
      user: "dev",
      draft: true,
    });
    for (let i = 1; i <= 75; i++) {
      sim.addCommit("acme", "web", 12, {
        sha: i.toString(16).padStart(40, "0"),
        message: `commit ${i}`,
      });
    }
  });

  it("serves the PR in GitHub's shape", async () => {
    const { data } = await installed().rest.pulls.get({
      owner: "acme",
      repo: "web",
      pull_number: 12,
    });
    expect(data).toMatchObject({
      number: 12,
      state: "open",
      draft: true,
      merged: false,
      commits: 75,
      head: { ref: "feature/WEB-1", sha: "a".repeat(40), repo: { full_name: "acme/web" } },
      base: { ref: "trunk" },
      user: { login: "dev" },
    });
  });

  it("paginates commits with Link headers", async () => {
    const octokit = installed();
    const first = await octokit.rest.pulls.listCommits({
      owner: "acme",
      repo: "web",
      pull_number: 12,
    });
    expect(first.data).toHaveLength(30);
    expect(first.headers.link).toContain('page=2>; rel="next"');
    expect(first.headers.link).toContain('page=3>; rel="last"');

    const all = await octokit.paginate(octokit.rest.pulls.listCommits, {
      owner: "acme",
      repo: "web",
      pull_number: 12,
      per_page: 30,
    });
    expect(all.map((c) => c.commit.message)).toEqual(
      Array.from({ length: 75 }, (_, i) => `commit ${i + 1}`),
    );
    expect(
      sim.requests.filter((r) => r.path.endsWith("/commits")).map((r) => r.query.page),
    ).toEqual([undefined, undefined, "2", "3"]);
  });

  it("lists seeded comments and stores the app's own as its bot", async () => {
    sim.addComment("acme", "web", 12, { body: "also WEB-2", user: "reviewer" });
    const octokit = installed();
    const created = await octokit.rest.issues.createComment({
      owner: "acme",
      repo: "web",
      issue_number: 12,
      body: "Moved WEB-1",
    });
    expect(created.status).toBe(201);
    const listed = await octokit.paginate(octokit.rest.issues.listComments, {
      owner: "acme",
      repo: "web",
      issue_number: 12,
    });
    expect(listed.map((c) => [c.user?.login, c.body])).toEqual([
      ["reviewer", "also WEB-2"],
      ["trackbridge[bot]", "Moved WEB-1"],
    ]);
    expect(sim.comments("acme", "web", 12)).toHaveLength(2);
  });

  it("404s for a PR that does not exist", async () => {
    await expect(
      installed().rest.pulls.get({ owner: "acme", repo: "web", pull_number: 999 }),
    ).rejects.toMatchObject({ status: 404 });
    expect(sim.unhandledRequests()).toEqual([]);
  });
});
