/**
 * `assignee.match: email` end to end: the App as a child process (as `npm start` runs it)
 * against the GitHub and Jira Cloud simulators, with a people map that lacks most authors.
 * Planning asks GitHub for no e-mail; the assign job does (`GET /users/{login}`, with the
 * installation token), once per person however many PRs they open, and finds the one Jira user
 * with it (`GET /rest/api/3/user/search`), who is assigned; a mapped author costs no lookup; an
 * author whose e-mail Jira does not know gets the documented warning on the check run; GitHub
 * failing the lookup leaves the job retrying with an error that says so. The App logs at debug
 * level here so that "the e-mail never appears in its log" covers every line it can write; the
 * console's API and the App's database are read too, where the jobs carry the assign actions.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pullRequestPayload } from "../../src/simulators/scenario/payloads.js";
import type { Testbed } from "../../src/simulators/scenario/testbed.js";
import {
  type AppProcess,
  jiraConnectionsFile,
  startJiraConnectionsApp,
  waitFor,
} from "./app-process.js";
import { checkRunNamed, common, openPr } from "./world.js";

// Jira's simulator knows alice@acme.test as Alice Ames, by this Cloud accountId.
const ALICE_ACCOUNT = "5b10ac8d82e05b22cc7d4ef5";
const BOB_ACCOUNT = "5b10a2844c20165700ede21g";
const KNOWN_EMAIL = "alice@acme.test";
const UNKNOWN_EMAIL = "zed@elsewhere.test";
const MAPPED_EMAIL = "bob@acme.test";
const CONSOLE_TOKEN = "console-token-0123456789abcdef0123";
const CONFIG = `connection: jira
keys: { projects: [PROJ] }
statuses: { opened: In progress }
assignee: { from: author, match: email }
`;
// Long enough for a loaded 2-core machine; nothing here asserts how long anything took.
const UNTIL = 90_000;

/** The App's stored jobs as the database holds them (the text, not as the store reads it). */
function storedJobs(dbPath: string) {
  const db = new Database(dbPath, { readonly: true });
  try {
    type Row = {
      issue_key: string;
      action: string;
      result: string | null;
      state: string;
      last_error: string | null;
    };
    return db
      .prepare("SELECT issue_key, action, result, state, last_error FROM jobs ORDER BY id")
      .all() as Row[];
  } finally {
    db.close();
  }
}

describe("assignee match: email with the App as a process (jira)", { timeout: 180_000 }, () => {
  let bed: Testbed;
  let app: AppProcess;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "trackbridge-match-email-"));
    ({ bed, app } = await startJiraConnectionsApp({
      file: path.join(dir, "connections.yml"),
      connections: jiraConnectionsFile({ "bob-gh": BOB_ACCOUNT }),
      repoConfig: CONFIG,
      env: {
        TRACKBRIDGE_REDELIVERY_INTERVAL_SECONDS: "3600",
        LOG_LEVEL: "debug",
        TRACKBRIDGE_CONSOLE_TOKEN: CONSOLE_TOKEN,
      },
    }));
    // GitHub logins that are not the tracker's: only the e-mail can connect them.
    bed.github.setPublicEmail("ames-gh", KNOWN_EMAIL);
    bed.github.setPublicEmail("zed-gh", UNKNOWN_EMAIL);
    bed.github.setPublicEmail("bob-gh", MAPPED_EMAIL);
    bed.github.setPublicEmail("flaky-gh", KNOWN_EMAIL);
  }, 120_000);
  afterAll(async () => {
    if (process.env.DEBUG_APP) console.log(app?.output().slice(-6000));
    app?.child.kill("SIGTERM");
    await app?.exited;
    await bed?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** The `GET /users/{login}` requests GitHub was sent. */
  const profileReads = (login: string) =>
    bed.github.requests.filter((r) => r.method === "GET" && r.path === `/users/${login}`).length;
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

  it("assigns the Jira user with the author's public GitHub e-mail, read once for two PRs", async () => {
    const first = await open({ number: 1, key: "PROJ-1", author: "ames-gh" });
    await waitFor(() => bed.tracker.getIssue("PROJ-1").assignee === ALICE_ACCOUNT, UNTIL);
    await waitFor(() => /assigned to/.test(summaryOn(first.head.sha)), UNTIL);
    expect(bed.tracker.getIssue("PROJ-1").status.display).toBe("In progress");
    // Found by search, as the README says: Jira Cloud's user search was asked.
    expect(bed.tracker.requests.some((r) => r.path === "/rest/api/3/user/search")).toBe(true);

    const second = await open({ number: 3, key: "PROJ-3", author: "ames-gh" });
    await waitFor(() => bed.tracker.getIssue("PROJ-3").assignee === ALICE_ACCOUNT, UNTIL);
    await waitFor(() => /assigned to/.test(summaryOn(second.head.sha)), UNTIL);
    // Two PR events, two assign jobs: GitHub was asked once, by the first job.
    expect(profileReads("ames-gh")).toBe(1);
  });

  it("asks GitHub nothing while planning: a mapped author costs no lookup", async () => {
    const pr = await open({ number: 4, key: "PROJ-4", author: "bob-gh" });
    await waitFor(() => bed.tracker.getIssue("PROJ-4").assignee === BOB_ACCOUNT, UNTIL);
    await waitFor(() => /assigned to/.test(summaryOn(pr.head.sha)), UNTIL);
    expect(profileReads("bob-gh")).toBe(0);
  });

  it("warns, without the e-mail, when Jira knows nobody with the author's e-mail", async () => {
    const pr = await open({ number: 2, key: "PROJ-2", author: "zed-gh" });
    const warning =
      "warning: not assigned: zed-gh is not in the people map of connection jira, and no single user of it has their GitHub e-mail";
    await waitFor(() => summaryOn(pr.head.sha).includes(warning), UNTIL);
    await waitFor(() => bed.tracker.getIssue("PROJ-2").status.display === "In progress", UNTIL);
    expect(bed.tracker.getIssue("PROJ-2").assignee).toBeNull();
  });

  it("retries the assign job while GitHub fails the lookup, then assigns", async () => {
    bed.github.injectFaults({ status: 500, count: 1_000, pathIncludes: "/users/flaky-gh" });
    await open({ number: 5, key: "PROJ-5", author: "flaky-gh" });
    const assignJob = () =>
      storedJobs(bed.env.TRACKBRIDGE_DB!).find(
        (job) => job.issue_key === "PROJ-5" && job.action.includes('"assign"'),
      );
    await waitFor(() => (assignJob()?.last_error ?? "") !== "", UNTIL);
    const retrying = assignJob()!;
    expect(retrying.state).toBe("pending");
    expect(retrying.last_error).toMatch(
      /^GitHub: could not read the public e-mail of flaky-gh \(GET \/users\/flaky-gh\): 500: /,
    );
    expect(bed.tracker.getIssue("PROJ-5").assignee).toBeNull();

    bed.github.clearFaults();
    await waitFor(() => bed.tracker.getIssue("PROJ-5").assignee === ALICE_ACCOUNT, UNTIL);
  });

  it("stores no e-mail in the jobs, and shows none in the App's log, the console, the check runs or the PRs' comments", async () => {
    const jobs = storedJobs(bed.env.TRACKBRIDGE_DB!);
    const stored = jobs
      .map((job) => [job.action, job.result, job.last_error].join("\n"))
      .join("\n");
    expect(stored).not.toContain(KNOWN_EMAIL);
    expect(jobs.filter((job) => job.action.includes('"match":"email"')).length).toBe(5);
    // The log is not empty: debug lines of the PRs' jobs were written; the console lists them.
    expect(app.output()).toContain("PROJ-2");
    expect(await consoleApi("activity")).toContain('"kind":"assign"');
    const shown = `${stored}\n${await everythingShown([1, 2, 3, 4, 5])}`;
    for (const email of [KNOWN_EMAIL, UNKNOWN_EMAIL, MAPPED_EMAIL]) {
      expect(shown).not.toContain(email);
      // Nor URL-encoded, as a search query would carry it.
      expect(shown).not.toContain(encodeURIComponent(email));
    }
  });
});
