import type { Context, Probot } from "probot";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type GitHubSimulator, startGitHubSimulator } from "../../src/simulators/github/index.js";
import { APP_ID, appKeyPair } from "../simulators/github-fixtures.js";
import { simulatorProbot } from "./helpers.js";

const { privateKey, publicKey } = appKeyPair();
const INSTALLATION = 7;
/** Asked for by one test only, so its token is minted there. */
const OTHER_INSTALLATION = 8;
let sim: GitHubSimulator;
let probot: Probot;

/** What each handled event saw: its Octokit and the delivery id its request carried. */
const seen: Array<{ id: string; octokit: object; tagged: unknown }> = [];
let hold: Promise<void> = Promise.resolve();

beforeAll(async () => {
  sim = await startGitHubSimulator({ appId: APP_ID, publicKey });
  sim.addRepo({ owner: "acme", name: "web", installationId: INSTALLATION });
  sim.addRepo({ owner: "acme", name: "api", installationId: OTHER_INSTALLATION });
  probot = appProbot();
  const watched = new WeakSet<object>();
  probot.on("issues.opened", async (context: Context<"issues.opened">) => {
    const octokit = context.octokit;
    if (!watched.has(octokit)) {
      watched.add(octokit);
      octokit.hook.after("request", (_response, options) => {
        (octokit as unknown as { lastTag: unknown }).lastTag = options.headers["x-github-delivery"];
      });
    }
    await hold;
    await octokit.request("GET /repos/{owner}/{repo}", context.repo());
    const tagged = (octokit as unknown as { lastTag: unknown }).lastTag;
    seen.push({ id: context.id, octokit, tagged });
  });
});
afterAll(() => sim.close());

function appProbot(options: { githubRetry?: boolean } = {}): Probot {
  return simulatorProbot(sim.url, privateKey, options);
}

function event(id: string, installation: { id: number } | undefined = { id: INSTALLATION }) {
  return {
    id,
    name: "issues",
    payload: {
      action: "opened",
      ...(installation ? { installation } : {}),
      repository: { name: "web", owner: { login: "acme" } },
      issue: { number: 1 },
    },
  } as never;
}

describe("installation Octokits", () => {
  it("events one after another use the same Octokit, each request tagged with its own delivery", async () => {
    seen.length = 0;
    await probot.receive(event("d-1"));
    await probot.receive(event("d-2"));
    expect(seen.map((s) => [s.id, s.tagged])).toEqual([
      ["d-1", "d-1"],
      ["d-2", "d-2"],
    ]);
    expect(seen[1]!.octokit).toBe(seen[0]!.octokit);
  });

  it("events handled at once each borrow their own", async () => {
    seen.length = 0;
    let release!: () => void;
    hold = new Promise((resolve) => {
      release = resolve;
    });
    const both = Promise.all([probot.receive(event("d-3")), probot.receive(event("d-4"))]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    release();
    await both;
    hold = Promise.resolve();
    expect(seen.map((s) => s.tagged).sort()).toEqual(["d-3", "d-4"]);
    expect(seen[0]!.octokit).not.toBe(seen[1]!.octokit);
    // Both given back: the next two events at once borrow the same two.
    const before = new Set(seen.map((s) => s.octokit));
    seen.length = 0;
    await Promise.all([probot.receive(event("d-5")), probot.receive(event("d-6"))]);
    expect(new Set(seen.map((s) => s.octokit)).size).toBe(2);
    expect(seen.every((s) => before.has(s.octokit))).toBe(true);
  });

  it("app.auth(id) keeps one Octokit per installation", async () => {
    const first = await probot.auth(INSTALLATION);
    expect(await probot.auth(INSTALLATION)).toBe(first);
    const { data } = await first.request("GET /repos/{owner}/{repo}", {
      owner: "acme",
      repo: "web",
    });
    expect(data.name).toBe("web");
  });
});

describe("the App's GitHub client", () => {
  it("is not the global fetch: the installation token's request and the API's go over node:http", async () => {
    // It answers as before, so a request that reached it fails the last line, not a retry.
    const globalFetch = vi.fn(globalThis.fetch);
    vi.stubGlobal("fetch", globalFetch);
    try {
      const tokensBefore = sim.requests.filter((r) => r.path.endsWith("/access_tokens")).length;
      const octokit = await probot.auth(OTHER_INSTALLATION);
      const { data } = await octokit.request("GET /repos/{owner}/{repo}", {
        owner: "acme",
        repo: "api",
      });
      expect(data.name).toBe("api");
      expect(sim.requests.filter((r) => r.path.endsWith("/access_tokens")).length).toBe(
        tokensBefore + 1,
      );
      expect(globalFetch).not.toHaveBeenCalled();
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it("leaves retrying to its caller when asked (the worker's): a 502 fails its request at once", async () => {
    const workerProbot = appProbot({ githubRetry: false });
    const octokit = await workerProbot.auth(INSTALLATION);
    const reads = () => sim.requests.filter((r) => r.path === "/repos/acme/web").length;
    const before = reads();
    sim.injectFaults({ status: 502, count: 1, pathIncludes: "/repos/acme/web" });
    await expect(
      octokit.request("GET /repos/{owner}/{repo}", { owner: "acme", repo: "web" }),
    ).rejects.toMatchObject({ status: 502 });
    expect(reads()).toBe(before + 1);
    // The next attempt (the worker's, after its backoff) goes through.
    const { data } = await octokit.request("GET /repos/{owner}/{repo}", {
      owner: "acme",
      repo: "web",
    });
    expect(data.name).toBe("web");
  });
});
