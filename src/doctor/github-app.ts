/**
 * The App's credentials, checked the way the server uses them: Probot reads APP_ID,
 * PRIVATE_KEY / PRIVATE_KEY_PATH, GHE_HOST and GHE_PROTOCOL from the environment, signs a JWT
 * and calls `GET /app`. A 401 there means the key and the id do not belong together.
 */
import { githubUrls } from "../config/server-config.js";
import { commandProbot } from "../github/app-graphql-access.js";
import { type DoctorCheck, errorText, fail, ok } from "./check.js";

const NAME = "GitHub App";

type Env = Record<string, string | undefined>;

export async function checkGitHubApp(env: Env): Promise<DoctorCheck> {
  if (!env.APP_ID) {
    return fail(
      NAME,
      "APP_ID is not set",
      "run `npm start` once to register the App (Probot's setup flow writes .env), or copy the App ID from the App's settings page into APP_ID",
    );
  }
  // No key variable is no proof of no key: Probot also takes the one *.pem file in the directory.
  try {
    const octokit = await commandProbot(env).auth();
    const { data } = await octokit.request("GET /app");
    const slug = data?.slug ?? data?.name ?? `App ${env.APP_ID}`;
    return ok(NAME, `${slug} (App ID ${env.APP_ID}) at ${githubApi(env)}`);
  } catch (error) {
    if (/privateKey option is required/.test(errorText(error))) {
      return fail(
        NAME,
        "no usable private key: PRIVATE_KEY / PRIVATE_KEY_PATH hold no PEM key, and this directory has no single *.pem file",
        "generate a private key in the App's settings (Private keys → Generate) and set PRIVATE_KEY_PATH to the downloaded .pem file",
      );
    }
    // Octokit reports a request that got no answer as status 500 without a response.
    const { status, response } = error as { status?: unknown; response?: unknown };
    if (status === 401) {
      return fail(
        NAME,
        `GitHub refused the App's JWT (401): ${errorText(error)}`,
        "check that APP_ID is the App's ID and that the private key is one generated for that App (App settings → Private keys)",
      );
    }
    if (typeof status === "number" && response !== undefined) {
      return fail(
        NAME,
        `GET /app answered ${status}: ${errorText(error)}`,
        `check GHE_HOST / GHE_PROTOCOL (${githubApi(env)})`,
      );
    }
    return fail(
      NAME,
      `cannot call GET /app: ${errorText(error)}`,
      `check that ${githubApi(env)} is reachable from here (GHE_HOST, GHE_PROTOCOL, proxy, firewall)`,
    );
  }
}

const githubApi = (env: Env) => githubUrls(env).apiUrl;
