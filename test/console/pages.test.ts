/**
 * What the pages show: text from GitHub and the tracker escaped, connection states and the
 * Test connection answer without the token, repositories' config states, the dead-letter
 * actions, and sign-in with GitHub through the simulator's OAuth endpoints.
 */
import { afterEach, describe, expect, it } from "vitest";
import { pullRequestPayload } from "../../src/simulators/scenario/payloads.js";
import type { Testbed } from "../../src/simulators/scenario/testbed.js";
import { waitFor } from "../e2e/app-process.js";
import { common, latestCheckRun, openPr, send } from "../e2e/world.js";
import {
  cookiesOf,
  failUntilDead,
  getPage,
  OAUTH,
  postForm,
  type Session,
  signInWithToken,
  startConsoleBed,
  withCsrf,
  XSS_TITLE,
} from "./helpers.js";

let bed: Testbed | undefined;
afterEach(async () => {
  await bed?.close();
  bed = undefined;
});

const page = (session: Session, path: string) => getPage(bed!, session, path);

describe("console pages", () => {
  it("escapes a PR title and a tracker's error message: markup renders as text", async () => {
    bed = await startConsoleBed({ workerPolicy: { maxAttempts: 2 } });
    await failUntilDead(bed, {
      status: 500,
      count: 1_000,
      body: { errorMessages: ["<script>alert(2)</script>"], statusCode: 500 },
    });
    const session = await signInWithToken(bed);
    for (const path of ["/console/overview", "/console/activity", "/console/dead-letters"]) {
      const html = await page(session, path);
      expect(html, path).not.toContain("<img src=x");
      expect(html, path).not.toContain("<script>alert");
    }
    const dead = await page(session, "/console/dead-letters");
    expect(dead).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(dead).toContain("&lt;script&gt;alert(2)&lt;/script&gt;");
    expect(XSS_TITLE).toContain("<img");
  });

  it("Activity shows a create and an unlink with what they did", async () => {
    bed = await startConsoleBed({
      repoConfig: "keys: { projects: [PROJ] }\ncreate: { queue: PROJ, when: no_key }\n",
    });
    const session = await signInWithToken(bed);
    const pr = openPr(bed, { number: 61, branch: "chore/x", title: "Tidy up" });
    await send(bed, "pull_request", pullRequestPayload("opened", pr, common(bed)));
    bed.tracker.createIssue("PROJ-70");
    const named = bed.github.updatePullRequest(bed.owner, bed.repo, 61, {
      body: "Part of PROJ-70",
    });
    await send(
      bed,
      "pull_request",
      pullRequestPayload("edited", named, common(bed), { body: { from: "" } }),
    );
    const cleared = bed.github.updatePullRequest(bed.owner, bed.repo, 61, { body: "" });
    await send(
      bed,
      "pull_request",
      pullRequestPayload("edited", cleared, common(bed), { body: { from: "Part of PROJ-70" } }),
    );
    const html = await page(session, "/console/activity");
    expect(html).toContain("create issue in PROJ");
    expect(html).toContain("created PROJ-1");
    expect(html).toContain("unlink PR");
    expect(html).toContain("unlinked");
    expect(html).not.toContain("PROJ%20(new)");
  });

  it("shows each connection's state and tests it without ever showing the token", async () => {
    bed = await startConsoleBed({ workerPolicy: { maxAttempts: 2 } });
    const session = await signInWithToken(bed);
    expect(await page(session, "/console/overview")).toContain("no request yet");

    const ok = await postForm(bed, "/console/connections/yandex/test", session, []);
    const okHtml = await ok.text();
    expect(okHtml).toContain("yandex: reachable; the token belongs to Robot (robot).");
    expect(okHtml).toContain("reachable, authorized");

    bed.tracker.injectFaults({ status: 401, count: 1 });
    const refused = await (
      await postForm(bed, "/console/connections/yandex/test", session, [])
    ).text();
    expect(refused).toContain("the token for connection &quot;yandex&quot; was rejected (401)");
    expect(refused).toContain("token refused (401)");

    bed.tracker.injectFaults({ status: 429, count: 1, retryAfterSeconds: 120 });
    const limited = await (
      await postForm(bed, "/console/connections/yandex/test", session, [])
    ).text();
    expect(limited).toMatch(/rate-limited until \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ/);

    for (const html of [okHtml, refused, limited, await page(session, "/console/audit")]) {
      expect(html).not.toContain(bed.trackerToken);
    }
  });

  it("lists repositories with their config state: valid, invalid with paths, missing", async () => {
    bed = await startConsoleBed();
    bed.github.addRepo({ owner: "acme", name: "broken", installationId: 77 });
    bed.github.setFile("acme", "broken", ".github/trackbridge.yml", "statuses:\n  opened: 42\n");
    bed.github.addRepo({ owner: "acme", name: "plain", installationId: 77 });
    const session = await signInWithToken(bed);
    const html = await page(session, "/console/repositories");
    const row = (repo: string) =>
      html.slice(html.indexOf(repo), html.indexOf("</tr>", html.indexOf(repo)));
    expect(row("acme/web")).toContain('class="state valid"');
    expect(row("acme/web")).toContain("yandex");
    expect(row("acme/broken")).toContain('class="state invalid"');
    expect(row("acme/broken")).toContain("statuses.opened");
    expect(row("acme/plain")).toContain('class="state missing"');
  });

  it("retries one dead letter, and discards another only after a confirmation", async () => {
    bed = await startConsoleBed({ workerPolicy: { maxAttempts: 2 } });
    await failUntilDead(bed);
    const session = await signInWithToken(bed);
    const ids = [
      ...(await page(session, "/console/dead-letters")).matchAll(/name="id" value="(\d+)"/g),
    ].map((m) => m[1]!);
    expect(ids).toHaveLength(2);
    bed.tracker.clearFaults();

    const retried = await postForm(bed, "/console/dead-letters/retry", session, [
      ["only", ids[0]!],
    ]);
    expect(retried.headers.get("location")).toBe("/console/dead-letters?retried=1");
    expect(await page(session, "/console/dead-letters?retried=1")).toContain(
      "Retried 1 dead letter.",
    );
    // The retried job ran against the recovered tracker and its report was written again.
    await waitFor(() => /moved|linked/.test(latestCheckRun(bed!).output.summary ?? ""), 20_000);
    expect(latestCheckRun(bed).output.summary).not.toContain("discarded");

    const ask = await postForm(bed, "/console/dead-letters/discard", session, [["id", ids[1]!]]);
    expect(await ask.text()).toContain("Discard 1 dead letter?");
    expect(await page(session, "/console/dead-letters")).toContain(`value="${ids[1]}"`);
    const confirmed = await postForm(bed, "/console/dead-letters/discard", session, [
      ["id", ids[1]!],
      ["confirm", "yes"],
    ]);
    expect(confirmed.headers.get("location")).toBe("/console/dead-letters?discarded=1");
    await waitFor(
      async () => (await page(session, "/console/dead-letters")).includes("No dead letters."),
      20_000,
    );
    const audit = await page(session, "/console/audit");
    expect(audit).toContain(`job ${ids[0]}`);
    expect(audit).toMatch(/discard<\/td><td[^>]*>job \d+/);
    // The discard reopened the report: the check run is written again and says so.
    await waitFor(
      () => /discarded by \S+ in the console/.test(latestCheckRun(bed!).output.summary ?? ""),
      20_000,
    );
  });
});

describe("deliveries that could not be planned", () => {
  it("are listed on Dead letters and planned again by Retry", async () => {
    // GitHub fails reading the repository's config; with one attempt, planning gives up.
    bed = await startConsoleBed({ workerPolicy: { maxAttempts: 1 } });
    bed.github.injectFaults({ status: 502, count: 100, pathIncludes: "/contents/" });
    const pr = openPr(bed, { number: 3, branch: "PROJ-3", title: "x" });
    const payload = pullRequestPayload("opened", pr, common(bed));
    const sent = await bed.github.deliver({ event: "pull_request", payload });
    expect(sent.status_code).toBe(202);
    const session = await signInWithToken(bed);
    await waitFor(async () => (await page(session, "/console/dead-letters")).includes(sent.guid));
    const html = await page(session, "/console/dead-letters");
    expect(html).toContain("Deliveries that could not be planned");
    expect(html).toContain("Injected failure (502)");
    expect(await page(session, "/console/overview")).toMatch(
      />1<\/a><\/div><div class="label">Failed deliveries/,
    );
    bed.github.clearFaults();
    bed.tracker.createIssue("PROJ-3");

    const retried = await postForm(bed, "/console/deliveries/retry", session, [
      ["delivery", sent.guid],
    ]);
    expect(retried.headers.get("location")).toBe("/console/dead-letters?deliveryRetried=1");
    expect(await page(session, "/console/audit")).toContain(`delivery ${sent.guid}`);
    await waitFor(() => bed!.tracker.getIssue("PROJ-3").status.display === "In progress");
  });
});

describe("sign in with GitHub (the simulator's OAuth endpoints)", () => {
  /** Follows the OAuth round trip as a browser would; returns the callback's answer. */
  async function githubSignIn(login: string) {
    bed!.github.signInAs(login);
    const base = bed!.server!.url;
    const start = await fetch(`${base}/console/login/github`, { redirect: "manual" });
    const authorize = new URL(start.headers.get("location")!);
    expect(authorize.origin).toBe(bed!.github.url);
    expect(authorize.searchParams.get("client_id")).toBe(OAUTH.clientId);
    const approved = await fetch(authorize, { redirect: "manual" });
    const callback = new URL(approved.headers.get("location")!);
    return fetch(callback, {
      redirect: "manual",
      headers: { cookie: `tb_login=${cookiesOf(start).tb_login}` },
    });
  }

  it("lets in an owner of an organization the App is installed on, and audits it", async () => {
    bed = await startConsoleBed();
    bed.github.configureOAuth(OAUTH);
    bed.github.addUser("octo-owner", { acme: "admin" });
    const answer = await githubSignIn("octo-owner");
    expect(answer.status).toBe(200);
    expect(await answer.text()).toContain("Signed in as octo-owner.");
    const session = await withCsrf(bed.server!.url, `tb_session=${cookiesOf(answer).tb_session}`);
    const audit = await page(session, "/console/audit");
    expect(audit).toContain("octo-owner");
    expect(audit).toContain("GitHub");
  });

  it("refuses a plain member; lets in a login from TRACKBRIDGE_CONSOLE_ADMINS", async () => {
    bed = await startConsoleBed({ extraEnv: { TRACKBRIDGE_CONSOLE_ADMINS: "Helper" } });
    bed.github.configureOAuth(OAUTH);
    bed.github.addUser("member", { acme: "member" });
    bed.github.addUser("helper", {});
    const refused = await githubSignIn("member");
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("member may not use this console");
    expect(cookiesOf(refused).tb_session).toBeUndefined();
    const admin = await githubSignIn("helper");
    expect(admin.status).toBe(200);
    expect(cookiesOf(admin).tb_session).toBeTruthy();
  });

  it("refuses a callback whose state did not start here", async () => {
    bed = await startConsoleBed();
    bed.github.configureOAuth(OAUTH);
    bed.github.addUser("octo-owner", { acme: "admin" });
    bed.github.signInAs("octo-owner");
    const forged = await fetch(`${bed.server!.url}/console/login/github/callback?code=x&state=y`, {
      headers: { cookie: "tb_login=z" },
    });
    expect(forged.status).toBe(403);
    expect(cookiesOf(forged).tb_session).toBeUndefined();
  });
});
