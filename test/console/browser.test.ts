/**
 * The console in real Chromium (Debian's /usr/bin/chromium through playwright-core; skipped
 * when it is not installed): a delivery fails against the tracker simulator until its jobs
 * are dead letters; an operator signs in, finds them on Overview and Dead letters, retries
 * them once the tracker is back, watches Activity refresh itself to done, and the PR's check
 * run is written again. With TRACKBRIDGE_SCREENSHOTS=1 the pages are saved under docs/.
 */
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterEach, describe, expect, it } from "vitest";
import type { Testbed } from "../../src/simulators/scenario/testbed.js";
import { waitFor } from "../e2e/app-process.js";
import { latestCheckRun, status } from "../e2e/world.js";
import { CONSOLE_TOKEN, failUntilDead, seedSync, startConsoleBed, XSS_TITLE } from "./helpers.js";

const CHROMIUM = "/usr/bin/chromium";
const shots = process.env.TRACKBRIDGE_SCREENSHOTS
  ? path.resolve("docs")
  : mkdtempSync(path.join(tmpdir(), "console-shots-"));

let bed: Testbed | undefined;
let browser: Browser | undefined;
afterEach(async () => {
  await browser?.close();
  await bed?.close();
  browser = undefined;
  bed = undefined;
});

const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(shots, `console-${name}.png`), fullPage: true });

async function signedIn(url: string): Promise<Page> {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-background-networking"],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${url}/console/login`);
  await page.getByLabel("Console token").fill(CONSOLE_TOKEN);
  await page.getByRole("button", { name: "Sign in with the token" }).click();
  await page.waitForURL("**/console/overview");
  return page;
}

describe.skipIf(!existsSync(CHROMIUM))("the console in Chromium", () => {
  it("syncs open PRs: Repositories → preview → apply, and the issues move", async () => {
    bed = await startConsoleBed();
    seedSync(bed);
    const url = bed.server!.url;
    const page = await signedIn(url);

    await page.locator("nav").getByRole("link", { name: "Repositories" }).click();
    await page.waitForURL("**/console/repositories");
    await shot(page, "repositories");
    await page.getByRole("link", { name: "Sync open PRs" }).click();
    await page.waitForURL("**/console/repositories/sync?repo=acme%2Fweb");
    const row = (key: string) => page.locator("tbody tr").filter({ hasText: key });
    expect(await row("PROJ-42").locator("td").allTextContents()).toEqual([
      "acme/web#2 · PROJ-42",
      "Open",
      "readyForTest",
      "approved",
    ]);
    expect(await row("PROJ-46").locator("td").nth(2).textContent()).toBe("(stays)");
    expect(status(bed, "PROJ-42")).toBe("Open");
    await shot(page, "sync-preview");

    await page.getByRole("button", { name: "Apply 2 moves" }).click();
    await page.waitForURL("**/console/activity?repo=acme%2Fweb&synced=1");
    expect(await page.getByRole("status").textContent()).toContain("Sync recorded");
    // Activity refreshes itself until the sync's moves are done.
    await page.waitForFunction(
      (keys) =>
        keys.every((key) =>
          [...document.querySelectorAll("tbody[data-refresh] tr")].some(
            (tr) =>
              tr.textContent?.includes(key) &&
              tr.textContent.includes("move to") &&
              tr.querySelector(".state.done"),
          ),
        ),
      ["PROJ-41", "PROJ-42"],
      { timeout: 30_000 },
    );
    expect(status(bed, "PROJ-42")).toBe("Ready for test");
    expect(status(bed, "PROJ-41")).toBe("In progress");
    expect(status(bed, "PROJ-46")).toBe("Ready for test");
    await page.goto(`${url}/console/audit`);
    expect(await page.locator("tbody").textContent()).toContain("acme/web");
  }, 90_000);

  it("finds a dead letter, retries it after the tracker recovers, and the check run follows", async () => {
    bed = await startConsoleBed({ workerPolicy: { maxAttempts: 2 } });
    await failUntilDead(bed);
    expect(latestCheckRun(bed).output.summary).toContain("Injected failure (500)");
    const url = bed.server!.url;

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-background-networking"],
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const dialogs: string[] = [];
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });

    // Signed out, the console sends us to the sign-in form.
    await page.goto(`${url}/console/overview`);
    expect(new URL(page.url()).pathname).toBe("/console/login");
    await shot(page, "login");
    await page.getByLabel("Console token").fill(CONSOLE_TOKEN);
    await page.getByRole("button", { name: "Sign in with the token" }).click();
    await page.waitForURL("**/console/overview");

    // Overview: the dead letters and the tracker's error.
    const deadCard = page.locator(".card").filter({ hasText: "Dead letters" }).locator(".n");
    expect(await deadCard.textContent()).toBe("2");
    expect(await page.locator("main").textContent()).toContain("Injected failure (500)");
    expect(await page.locator("main").textContent()).toContain("unreachable: answered 500");
    await shot(page, "overview");

    // Dead letters: the PR's title is text, not markup.
    await page.locator("nav").getByRole("link", { name: "Dead letters" }).click();
    await page.waitForURL("**/console/dead-letters");
    expect(await page.locator("tbody tr").count()).toBe(2);
    expect(await page.locator("main").textContent()).toContain(XSS_TITLE);
    expect(await page.locator("main img").count()).toBe(0);
    await shot(page, "dead-letters");

    bed.tracker.clearFaults();
    await page.getByLabel("Select all").check();
    await page.getByRole("button", { name: "Retry selected" }).click();
    await page.waitForURL("**/console/dead-letters?retried=2");
    expect(await page.getByRole("status").textContent()).toBe("Retried 2 dead letters.");

    // Activity refreshes itself (no reload here) until both jobs are done.
    await page.goto(`${url}/console/activity?repo=acme/web`);
    await page.waitForFunction(
      () => document.querySelectorAll("tbody[data-refresh] .state.done").length === 2,
      undefined,
      { timeout: 30_000 },
    );
    await shot(page, "activity");

    await waitFor(
      () => latestCheckRun(bed!).output.summary?.includes("moved Open → In progress") ?? false,
      20_000,
    );
    expect(latestCheckRun(bed).output.summary).not.toContain("Injected failure");
    expect(status(bed, "PROJ-7")).toBe("In progress");

    await page.goto(`${url}/console/audit`);
    const audit = await page.locator("tbody").textContent();
    expect(audit).toContain("sign-in");
    expect(audit).toContain("retry");
    await shot(page, "audit");

    // Phone width: nothing wider than the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    for (const route of ["overview", "dead-letters", "activity"]) {
      await page.goto(`${url}/console/${route}`);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width, route).toBeLessThanOrEqual(390);
    }
    await page.goto(`${url}/console/overview`);
    await shot(page, "overview-phone");

    await page.locator("header").getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL("**/console/login");
    expect(dialogs).toEqual([]);
  }, 90_000);
});
