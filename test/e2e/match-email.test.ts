/**
 * `assignee.match: email` end to end: the App as a child process (as `npm start` runs it)
 * against the GitHub and Jira Cloud simulators, with no people map. The PR author's public
 * GitHub e-mail (`GET /users/{login}`, with the installation token) finds the one Jira user
 * with it (`GET /rest/api/3/user/search`), who is assigned; an author whose e-mail Jira does
 * not know gets the documented warning on the check run. The App logs at debug level here so
 * that "the e-mail never appears in its log" covers every line it can write; the console's API
 * is read too, where the jobs it shows carry the assign actions.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pullRequestPayload } from "../../src/simulators/scenario/payloads.js";
import type { Testbed } from "../../src/simulators/scenario/testbed.js";
import { type AppProcess, startAppProcess, startProcessTestbed, waitFor } from "./app-process.js";
import { checkRunNamed, common, openPr } from "./world.js";

// Jira's simulator knows alice@acme.test as Alice Ames, by this Cloud accountId.
const ALICE_ACCOUNT = "5b10ac8d82e05b22cc7d4ef5";
const KNOWN_EMAIL = "alice@acme.test";
const UNKNOWN_EMAIL = "zed@elsewhere.test";
const CONSOLE_TOKEN = "console-token-0123456789abcdef0123";
const CONFIG = `keys: { projects: [PROJ] }
statuses: { opened: In progress }
assignee: { from: author, match: email }
`;
// Long enough for a loaded 2-core machine; nothing here asserts how long anything took.
const UNTIL = 90_000;

describe("assignee match: email with the App as a process (jira)", { timeout: 120_000 }, () => {
  let bed: Testbed;
  let app: AppProcess;

  beforeAll(async () => {
    const started = await startProcessTestbed(
      {
        TRACKBRIDGE_REDELIVERY_INTERVAL_SECONDS: "3600",
        LOG_LEVEL: "debug",
        TRACKBRIDGE_CONSOLE_TOKEN: CONSOLE_TOKEN,
      },
      "jira",
    );
    bed = started.bed;
    bed.github.setFile(bed.owner, bed.repo, ".github/trackbridge.yml", CONFIG);
    // GitHub logins that are not the tracker's: only the e-mail can connect them.
    bed.github.setPublicEmail("ames-gh", KNOWN_EMAIL);
    bed.github.setPublicEmail("zed-gh", UNKNOWN_EMAIL);
    app = await startAppProcess(bed.env, started.port);
  }, 120_000);
  afterAll(async () => {
    if (process.env.DEBUG_APP) console.log(app?.output().slice(-6000));
    app?.child.kill("SIGTERM");
    await app?.exited;
    await bed?.close();
  });

  const open = async (input: { number: number; key: string; author: string }) => {
    bed.tracker.createIssue(input.key);
    const pr = openPr(bed, {
      number: input.number,
      branch: `feature/${input.key}-work`,
      title: `${input.key}: work`,
      author: input.author,
    });
    const answer = await bed.github.deliver({
      event: "pull_request",
      payload: pullRequestPayload("opened", pr, common(bed, input.author)),
    });
    expect(answer.status_code).toBe(202);
    return pr;
  };
  const summaryOn = (sha: string) => checkRunNamed(bed, "trackbridge", sha)?.output.summary ?? "";
  /** What the console's API answers at `path` (its jobs show each planned action). */
  const consoleApi = async (path: string) => {
    const answer = await fetch(`${app.url}/console/api/${path}`, {
      headers: { authorization: `Bearer ${CONSOLE_TOKEN}` },
    });
    expect(answer.status).toBe(200);
    return answer.text();
  };
  /** Every text the App shows people: its log, the console, the check runs and PR comments. */
  const everythingShown = async (prs: number[]) =>
    [
      app.output(),
      await consoleApi("activity"),
      await consoleApi("dead-letters"),
      ...bed.github
        .checkRuns(bed.owner, bed.repo)
        .flatMap((run) => [
          JSON.stringify(run.output),
          ...run.history.map((snapshot) => JSON.stringify(snapshot.request)),
        ]),
      ...prs.flatMap((n) => bed.github.comments(bed.owner, bed.repo, n).map((c) => c.body)),
    ].join("\n");

  it("assigns the Jira user with the author's public GitHub e-mail", async () => {
    const pr = await open({ number: 1, key: "PROJ-1", author: "ames-gh" });
    await waitFor(() => bed.tracker.getIssue("PROJ-1").assignee === ALICE_ACCOUNT, UNTIL);
    await waitFor(() => /assigned to/.test(summaryOn(pr.head.sha)), UNTIL);
    expect(bed.tracker.getIssue("PROJ-1").status.display).toBe("In progress");
    // Found by search, as the README says: Jira Cloud's user search was asked.
    expect(bed.tracker.requests.some((r) => r.path === "/rest/api/3/user/search")).toBe(true);
  });

  it("warns, without the e-mail, when Jira knows nobody with the author's e-mail", async () => {
    const pr = await open({ number: 2, key: "PROJ-2", author: "zed-gh" });
    const warning =
      "warning: not assigned: zed-gh is not in the people map of connection jira, and no single user of it has their GitHub e-mail";
    await waitFor(() => summaryOn(pr.head.sha).includes(warning), UNTIL);
    await waitFor(() => bed.tracker.getIssue("PROJ-2").status.display === "In progress", UNTIL);
    expect(bed.tracker.getIssue("PROJ-2").assignee).toBeNull();
  });

  it("never shows either e-mail in the App's log, the console, the check runs or the PRs' comments", async () => {
    // The log is not empty: debug lines of both PRs' jobs were written; the console lists them.
    expect(app.output()).toContain("PROJ-2");
    expect(await consoleApi("activity")).toContain('"kind":"assign"');
    const shown = await everythingShown([1, 2]);
    expect(shown).not.toContain(KNOWN_EMAIL);
    expect(shown).not.toContain(UNKNOWN_EMAIL);
    // Nor URL-encoded, as a search query would carry it.
    expect(shown).not.toContain(encodeURIComponent(KNOWN_EMAIL));
    expect(shown).not.toContain(encodeURIComponent(UNKNOWN_EMAIL));
  });
});
