/**
 * GitHub's GraphQL as the App's installation, for the commands that run outside the server
 * (doctor, init): Probot made from the same environment `npm start` reads (APP_ID,
 * PRIVATE_KEY / PRIVATE_KEY_PATH, GHE_HOST, GHE_PROTOCOL), asking each thing once (no retries,
 * no pacing). The App is made when a token is first asked, so a missing key fails there, as a
 * tracker failure of the connection that needed it.
 */
import { pino } from "pino";
import { createProbot, ProbotOctokit } from "probot";
import { githubUrls } from "../config/server-config.js";
import { octokitFetch } from "../http/octokit-fetch.js";
import type { GitHubGraphqlAccess } from "../trackers/github-projects/index.js";
import { installationGraphql } from "./installation-graphql.js";

type Env = Record<string, string | undefined>;

/** Probot as the server makes it, without retries or pacing. */
export function commandProbot(env: Env) {
  return createProbot({
    env,
    overrides: {
      log: pino({ level: "silent" }),
      // The server's HTTP client: what reaches GitHub here reaches it there.
      request: { fetch: octokitFetch },
      Octokit: ProbotOctokit.defaults({
        retry: { enabled: false },
        throttle: { enabled: false },
      }),
    },
  });
}

/**
 * @example
 * createTracker(connection, { github: appGraphqlAccess(process.env) })
 */
export function appGraphqlAccess(env: Env): GitHubGraphqlAccess {
  return installationGraphql({ auth: () => commandProbot(env).auth() }, githubUrls(env).apiUrl);
}
