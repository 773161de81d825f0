/** The App's Probot against the GitHub simulator, as the server makes it (writes not spaced). */
import { pino } from "pino";
import type { Probot } from "probot";
import type { ServerConfig } from "../../src/config/server-config.js";
import { createAppProbot } from "../../src/github/clients.js";
import { GitHubRateLimits } from "../../src/github/github-rate-limit.js";
import { type GitHubSimulator, startGitHubSimulator } from "../../src/simulators/github/index.js";
import { APP_ID, appKeyPair } from "../simulators/github-fixtures.js";

export function simulatorProbot(
  simUrl: string,
  privateKey: string,
  options: { githubRetry?: boolean } = {},
): Probot {
  return createAppProbot({
    env: {
      APP_ID: String(APP_ID),
      PRIVATE_KEY: privateKey,
      GHE_HOST: new URL(simUrl).host,
      GHE_PROTOCOL: "http",
    },
    config: { webhookSecret: "secret" } as ServerConfig,
    log: pino({ level: "silent" }),
    rateLimits: new GitHubRateLimits(),
    metrics: { observeGitHubRequest() {}, observeTrackerRequest() {} },
    githubThrottle: false,
    ...options,
  });
}

/** The GitHub simulator with acme/web on installation 7, and that installation's Octokit. */
export async function simulatorWithRepo(options: { githubRetry?: boolean } = {}): Promise<{
  sim: GitHubSimulator;
  octokit: Awaited<ReturnType<Probot["auth"]>>;
}> {
  const { privateKey, publicKey } = appKeyPair();
  const sim = await startGitHubSimulator({ appId: APP_ID, publicKey });
  sim.addRepo({ owner: "acme", name: "web", installationId: 7 });
  return { sim, octokit: await simulatorProbot(sim.url, privateKey, options).auth(7) };
}
