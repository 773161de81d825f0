/** Starting the App with its console on, and signing in over real HTTP as a browser would. */

import {
  startTestbed,
  type Testbed,
  type TestbedOptions,
} from "../../src/simulators/scenario/testbed.js";
import type { FaultSpec } from "../../src/simulators/shared/http-server.js";
import { openPr, prEvent } from "../e2e/world.js";

export const XSS_TITLE = "<img src=x onerror=alert(1)>";

export const CONSOLE_TOKEN = "console-token-0123456789abcdef0123456789abcdef";
export const OAUTH = { clientId: "Iv1.simclient", clientSecret: "sim-client-secret-0123456789" };

export function startConsoleBed(options: TestbedOptions = {}): Promise<Testbed> {
  return startTestbed({
    ...options,
    extraEnv: {
      TRACKBRIDGE_CONSOLE_TOKEN: CONSOLE_TOKEN,
      GITHUB_CLIENT_ID: OAUTH.clientId,
      GITHUB_CLIENT_SECRET: OAUTH.clientSecret,
      ...options.extraEnv,
    },
  });
}

export interface Session {
  cookie: string;
  csrf: string;
}

/** The `name=value` pairs a response sets, as a Cookie header would send them back. */
export function cookiesOf(response: Response): Record<string, string> {
  const jar: Record<string, string> = {};
  for (const line of response.headers.getSetCookie()) {
    const [pair = ""] = line.split(";");
    const eq = pair.indexOf("=");
    jar[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return jar;
}

/** Signs in with the console token through the sign-in form; returns the session cookie and CSRF token. */
export async function signInWithToken(bed: Testbed, token = CONSOLE_TOKEN): Promise<Session> {
  const base = bed.server!.url;
  const form = await fetch(`${base}/console/login`);
  const nonce = /name="_login" value="([^"]+)"/.exec(await form.text())?.[1];
  const loginCookie = cookiesOf(form).tb_login;
  if (!nonce || !loginCookie) throw new Error("the sign-in form has no _login nonce");
  const answer = await fetch(`${base}/console/login`, {
    method: "POST",
    redirect: "manual",
    headers: {
      cookie: `tb_login=${loginCookie}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({ _login: nonce, token }),
  });
  const session = cookiesOf(answer).tb_session;
  if (answer.status !== 303 || !session) throw new Error(`sign-in failed: ${answer.status}`);
  return withCsrf(base, `tb_session=${session}`);
}

/** Reads the CSRF token a signed-in page carries in its forms. */
export async function withCsrf(base: string, cookie: string): Promise<Session> {
  const page = await fetch(`${base}/console/overview`, { headers: { cookie } });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1];
  if (!csrf) throw new Error("the signed-in page has no CSRF token");
  return { cookie, csrf };
}

/** POSTs a console form with the session's cookie (and its CSRF token unless `csrf` says otherwise). */
export function postForm(
  bed: Testbed,
  path: string,
  session: Session,
  fields: Array<[string, string]>,
  csrf: string | null = session.csrf,
): Promise<Response> {
  const body = new URLSearchParams(fields);
  if (csrf !== null) body.append("_csrf", csrf);
  return fetch(`${bed.server!.url}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: { cookie: session.cookie, "content-type": "application/x-www-form-urlencoded" },
    body,
  });
}

/** A signed-in GET of a console page; anything but 200 fails the test with the path. */
export async function getPage(bed: Testbed, session: Session, path: string): Promise<string> {
  const response = await fetch(`${bed.server!.url}${path}`, {
    headers: { cookie: session.cookie },
  });
  if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}`);
  return response.text();
}

/**
 * A PR (titled with markup) whose every tracker call fails with 500 until its jobs are dead
 * letters; the tracker stays down until the test clears the faults.
 */
export async function failUntilDead(
  bed: Testbed,
  fault: FaultSpec = { status: 500, count: 1_000 },
) {
  bed.tracker.createIssue("PROJ-7");
  bed.tracker.injectFaults(fault);
  const pr = openPr(bed, { number: 7, branch: "PROJ-7-fix", title: XSS_TITLE });
  await prEvent(bed, "opened", pr);
  return pr;
}

/**
 * Three PRs opened before the App arrived: #1 opened (PROJ-41 → In progress), #2 approved
 * (PROJ-42 → Ready for test), #6 opened on an issue already further along (PROJ-46 stays).
 */
export function seedSync(bed: Testbed): void {
  const { github, tracker, owner, repo } = bed;
  for (const key of ["PROJ-41", "PROJ-42"]) tracker.createIssue(key);
  tracker.createIssue("PROJ-46", { status: "readyForTest" });
  for (const [number, key] of [
    [1, "PROJ-41"],
    [2, "PROJ-42"],
    [6, "PROJ-46"],
  ] as const) {
    openPr(bed, { number, branch: `feature/${key}-x`, title: `Work on ${key}` });
  }
  github.addReview(owner, repo, 2, { user: "bob", state: "APPROVED" });
}
