/**
 * Sync open PRs from the console, over real HTTP against the GitHub and tracker simulators:
 * the preview is the CLI's dry run (rows, links, nothing changed), the apply needs the
 * session's CSRF token, records the sync's delivery, the worker moves the issues, and the
 * audit says who; errors read as sentences; the JSON API does the same.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { Testbed } from "../../src/simulators/scenario/testbed.js";
import { waitFor } from "../e2e/app-process.js";
import { status } from "../e2e/world.js";
import {
  CONSOLE_TOKEN,
  getPage,
  postForm,
  type Session,
  seedSync,
  signInWithToken,
  startConsoleBed,
} from "./helpers.js";

let bed: Testbed | undefined;
afterEach(async () => {
  await bed?.close();
  bed = undefined;
});

const page = (session: Session, path: string) => getPage(bed!, session, path);

const syncDeliveries = async () =>
  (await bed!.server!.store.listDeliveries({ limit: 100 })).filter((d) => d.id.startsWith("sync:"));
const trackerWrites = () => bed!.tracker.requests.filter((r) => r.method !== "GET");
/** One table row of the preview, from the issue key to the row's end. */
const rowOf = (html: string, key: string) => {
  const at = html.indexOf(`>${key}</a>`);
  expect(at, key).toBeGreaterThan(0);
  return html.slice(html.lastIndexOf("<tr>", at), html.indexOf("</tr>", at));
};

describe("Sync open PRs in the console", () => {
  it("previews the dry run with PR and issue links, and changes nothing", async () => {
    bed = await startConsoleBed();
    seedSync(bed);
    const session = await signInWithToken(bed);
    const repos = await page(session, "/console/repositories");
    expect(repos).toContain('href="/console/repositories/sync?repo=acme%2Fweb">Sync open PRs</a>');

    const html = await page(session, "/console/repositories/sync?repo=acme%2Fweb");
    const web = bed.config.github.webUrl;
    const pr2 = rowOf(html, "PROJ-42");
    expect(pr2).toContain(`href="${web}/acme/web/pull/2">acme/web#2</a>`);
    expect(pr2).toMatch(/href="[^"]+\/PROJ-42">PROJ-42<\/a>/);
    expect(pr2).toMatch(/>Open<\/td><td[^>]*>readyForTest<\/td><td[^>]*>approved</);
    expect(rowOf(html, "PROJ-41")).toMatch(/>Open<\/td><td[^>]*>inProgress<\/td><td[^>]*>opened</);
    expect(rowOf(html, "PROJ-46")).toMatch(
      />Ready for test<\/td><td[^>]*>\(stays\)<\/td><td[^>]*>opened: never backwards</,
    );
    expect(html).toContain("Apply 2 moves");
    expect(html).toContain('name="since" value="14d"');

    expect(trackerWrites()).toEqual([]);
    expect(await syncDeliveries()).toEqual([]);
    expect(status(bed, "PROJ-41")).toBe("Open");
    expect(status(bed, "PROJ-42")).toBe("Open");
  });

  it("applies only with the CSRF token: the worker moves the issues and the audit says who", async () => {
    bed = await startConsoleBed();
    seedSync(bed);
    const session = await signInWithToken(bed);
    const form: Array<[string, string]> = [
      ["repo", "acme/web"],
      ["since", "14d"],
    ];

    const forged = await postForm(bed, "/console/repositories/sync", session, form, null);
    expect(forged.status).toBe(403);
    const wrong = await postForm(bed, "/console/repositories/sync", session, form, "not-it");
    expect(wrong.status).toBe(403);
    expect(await syncDeliveries()).toEqual([]);

    const applied = await postForm(bed, "/console/repositories/sync", session, form);
    expect(applied.status).toBe(303);
    expect(applied.headers.get("location")).toBe("/console/activity?repo=acme%2Fweb&synced=1");
    expect((await syncDeliveries()).map((d) => d.id)).toEqual([
      expect.stringMatching(/^sync:acme\/web:\d+$/),
    ]);
    await waitFor(() => status(bed!, "PROJ-42") === "Ready for test", 20_000);
    await waitFor(() => status(bed!, "PROJ-41") === "In progress", 20_000);
    expect(status(bed, "PROJ-46")).toBe("Ready for test");

    const activity = await page(session, "/console/activity?repo=acme%2Fweb&synced=1");
    expect(activity).toContain("Sync recorded: its moves appear below");
    expect(activity).toContain("repository_dispatch");
    const audit = await page(session, "/console/audit");
    expect(audit).toMatch(/<td data-label="What">sync<\/td><td[^>]*>acme\/web<\/td>/);
    expect(audit).toContain("(since 14d)");
  });

  it("says in a sentence why a sync cannot run, never with a stack or a secret", async () => {
    bed = await startConsoleBed();
    bed.github.addRepo({ owner: "acme", name: "plain", installationId: 77 });
    bed.github.addRepo({ owner: "acme", name: "broken", installationId: 77 });
    bed.github.setFile("acme", "broken", ".github/trackbridge.yml", "statuses:\n  opened: 42\n");
    const session = await signInWithToken(bed);
    const cases: Array<[string, string]> = [
      ["repo=acme%2Fplain", "the default branch has no .github/trackbridge.yml: nothing to sync"],
      ["repo=acme%2Fbroken", "statuses.opened"],
      ["repo=acme%2Fnowhere", "the App is not installed on acme/nowhere"],
      ["repo=acme", "the repository must be owner/name, got &quot;acme&quot;"],
      ["repo=acme%2Fweb&since=soon", "since must be a number of days such as 14d"],
    ];
    for (const [query, reason] of cases) {
      const html = await page(session, `/console/repositories/sync?${query}`);
      expect(html, query).toContain('class="notice bad"');
      expect(html, query).toContain(reason);
      expect(html, query).not.toMatch(/\n\s+at /);
      expect(html, query).not.toContain("Apply");
      expect(html, query).not.toContain(bed.trackerToken);
    }
    // A tracker that is down: the rows say so, each in its own line, and nothing is written.
    seedSync(bed);
    bed.tracker.injectFaults({ status: 500, count: 1_000 });
    const down = await page(session, "/console/repositories/sync?repo=acme%2Fweb");
    expect(rowOf(down, "PROJ-42")).toContain("Injected failure (500)");
    expect(down).not.toContain(bed.trackerToken);
    // An apply that GitHub refuses shows the reason on the page and records nothing.
    const refused = await postForm(bed, "/console/repositories/sync", session, [
      ["repo", "acme/nowhere"],
    ]);
    expect(refused.status).toBe(200);
    expect(await refused.text()).toContain("the App is not installed on acme/nowhere");
    expect(await syncDeliveries()).toEqual([]);
  });

  it("offers the same preview and apply in the JSON API", async () => {
    bed = await startConsoleBed();
    seedSync(bed);
    const api = (path: string, init: RequestInit = {}) =>
      fetch(`${bed!.server!.url}/console/api${path}`, {
        ...init,
        headers: { authorization: `Bearer ${CONSOLE_TOKEN}`, "content-type": "application/json" },
      });
    const preview = await api("/repositories/sync?repo=acme/web&since=7d");
    expect(preview.status).toBe(200);
    const model = (await preview.json()) as { moves: number; sinceDays: number; rows: unknown[] };
    expect(model.moves).toBe(2);
    expect(model.sinceDays).toBe(7);
    expect(model.rows).toContainEqual({
      repo: "acme/web",
      pr: 2,
      connection: "yandex",
      key: "PROJ-42",
      current: "Open",
      target: "readyForTest",
      moves: true,
      why: "approved",
    });
    expect(await syncDeliveries()).toEqual([]);

    const missing = await api("/repositories/sync?repo=acme/nowhere");
    expect(missing.status).toBe(422);
    expect(await missing.json()).toMatchObject({
      error: "the App is not installed on acme/nowhere",
    });
    expect((await api("/repositories/sync", { method: "POST", body: "{}" })).status).toBe(400);

    const applied = await api("/repositories/sync", {
      method: "POST",
      body: JSON.stringify({ repo: "acme/web" }),
    });
    expect(applied.status).toBe(200);
    expect(await applied.json()).toMatchObject({ ok: true, repo: "acme/web", resumed: false });
    await waitFor(() => status(bed!, "PROJ-42") === "Ready for test", 20_000);

    // A session's JSON write needs the CSRF header like a form does.
    const session = await signInWithToken(bed);
    const noCsrf = await fetch(`${bed.server!.url}/console/api/repositories/sync`, {
      method: "POST",
      headers: { cookie: session.cookie, "content-type": "application/json" },
      body: JSON.stringify({ repo: "acme/web" }),
    });
    expect(noCsrf.status).toBe(403);
    expect(await syncDeliveries()).toHaveLength(1);
  });
});
