/**
 * The GitHub Projects adapter against the GraphQL simulator over real HTTP: reads, moves,
 * field writes and comments with their request counts, the caches, and failures classified.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  DEFAULT_STATUS_OPTIONS,
  type GitHubProjectsSimulator,
  startGitHubProjectsSimulator,
} from "../../src/simulators/github-projects/index.js";
import { applyAction } from "../../src/trackers/apply-action.js";
import { createTracker } from "../../src/trackers/create-tracker.js";
import { TrackerError } from "../../src/trackers/errors.js";
import { graphqlEndpoint } from "../../src/trackers/github-projects/index.js";
import type { Tracker } from "../../src/trackers/port.js";

const TOKEN = "ghs_installationtoken1234567890";

let sim: GitHubProjectsSimulator;
let tracker: Tracker;
const owners: string[] = [];

interface Setup {
  token?: () => Promise<string>;
  number?: number;
  statusCategories?: Record<string, "todo" | "in_progress" | "done">;
}

function makeTracker(setup: Setup = {}) {
  return createTracker(
    {
      name: "roadmap",
      type: "github-projects",
      url: "",
      token: "",
      project: { owner: "acme", number: setup.number ?? 1 },
      ...(setup.statusCategories ? { statusCategories: setup.statusCategories } : {}),
    },
    {
      github: {
        endpoint: graphqlEndpoint(sim.url),
        token: async (owner) => {
          owners.push(owner);
          return setup.token ? setup.token() : TOKEN;
        },
      },
    },
  );
}

/** The operation names of the GraphQL documents sent since the last reset. */
function sent(): string[] {
  return sim.requests.map((r) => {
    const query = String((r.body as { query?: unknown } | undefined)?.query ?? "");
    return /(query|mutation) (\w+)/.exec(query)?.[2] ?? r.path;
  });
}

async function failure(promise: Promise<unknown>): Promise<TrackerError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TrackerError);
  expect(String(error)).not.toContain(TOKEN);
  return error as TrackerError;
}

beforeAll(async () => {
  sim = await startGitHubProjectsSimulator({ token: TOKEN });
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.reset();
  owners.length = 0;
  tracker = makeTracker();
});

describe("GitHub Projects adapter", () => {
  it("reads the Status option with its category, and every other option as a transition", async () => {
    sim.createIssue("acme/web#12", { status: "In Progress" });
    const issue = await tracker.getIssue("acme/web#12", { transitions: true });
    expect(issue.status).toMatchObject({ display: "In Progress", category: "in_progress" });
    expect(issue.transitions?.map((t) => t.display)).toEqual([
      "Todo",
      "In Review",
      "Needs Improvement",
      "Ready for Test",
      "Done",
    ]);
    expect(issue.transitions?.find((t) => t.display === "Done")?.to.category).toBe("done");
    expect(owners).toEqual(["acme"]);
  });

  it("moves with one query and one mutation, the second move too; a no-op is one query", async () => {
    sim.createIssue("acme/web#12", { status: "Todo" });
    const move = (target: string) =>
      applyAction(tracker, {
        kind: "move",
        key: "acme/web#12",
        target,
        trigger: "opened",
        protect: [],
      });
    sim.resetRequests();
    expect((await move("In Progress")).summary).toBe("moved Todo → In Progress");
    expect(sent()).toEqual(["TrackbridgeIssue", "TrackbridgeSetValue"]);
    expect(sim.getIssue("acme/web#12").status).toBe("In Progress");

    sim.resetRequests();
    expect((await move("ready for test")).summary).toBe("moved In Progress → Ready for Test");
    expect(sent()).toEqual(["TrackbridgeIssue", "TrackbridgeSetValue"]);
    // The project's fields are read with the first issue only (cached).
    expect(sim.requests[0]?.body).toMatchObject({ variables: { withProject: false } });

    sim.resetRequests();
    expect((await move("Ready for Test")).summary).toBe("already in Ready for Test");
    expect(sent()).toEqual(["TrackbridgeIssue"]);
  });

  it("adds an issue that is not on the project, then sets its status", async () => {
    sim.createIssue("acme/web#3", { onProject: false });
    const issue = await tracker.getIssue("acme/web#3");
    expect(issue.status.display).toBe("No Status");
    sim.resetRequests();
    await applyAction(tracker, {
      kind: "move",
      key: "acme/web#3",
      target: "In Review",
      trigger: "approved",
      protect: [],
    });
    expect(sent()).toEqual(["TrackbridgeIssue", "TrackbridgeAddItem", "TrackbridgeSetValue"]);
    expect(sim.getIssue("acme/web#3")).toMatchObject({ onProject: true, status: "In Review" });
  });

  it("never moves backwards by category: Done stays Done on a later 'opened'", async () => {
    sim.createIssue("acme/web#4", { status: "Done" });
    const result = await applyAction(tracker, {
      kind: "move",
      key: "acme/web#4",
      target: "In Progress",
      trigger: "opened",
      protect: [],
    });
    expect(result.summary).not.toMatch(/^moved/);
    expect(sim.getIssue("acme/web#4").status).toBe("Done");
  });

  it("takes categories from the connection where the option names say nothing", async () => {
    tracker = makeTracker({ statusCategories: { "Ready for Test": "done" } });
    sim.createIssue("acme/web#5", { status: "Ready for Test" });
    expect((await tracker.getIssue("acme/web#5")).status.category).toBe("done");
  });

  it("writes the bench URL into a text field with one mutation once the issue was read", async () => {
    sim.createIssue("acme/web#6", { status: "In Review" });
    await tracker.getIssue("acme/web#6");
    sim.resetRequests();
    await tracker.setField("acme/web#6", "Bench link", "https://pr-6.bench.acme.test");
    expect(sent()).toEqual(["TrackbridgeSetValue"]);
    expect(sim.getIssue("acme/web#6").fields["Bench link"]).toBe("https://pr-6.bench.acme.test");
  });

  it("refuses a field the project lacks or cannot take text, naming the fields", async () => {
    sim.createIssue("acme/web#7");
    const missing = await failure(tracker.setField("acme/web#7", "Bench", "x"));
    expect(missing.kind).toBe("invalid");
    expect(missing.message).toContain(
      'has no field "Bench"; its fields: Title, Status, Bench link',
    );
    const select = await failure(tracker.setField("acme/web#7", "Status", "x"));
    expect(select.message).toContain("single_select field");
  });

  it("comments once, and declares the PR link native (no request)", async () => {
    sim.createIssue("acme/web#8");
    const action = {
      kind: "comment" as const,
      key: "acme/web#8",
      text: "Deployed",
      marker: "<!-- trackbridge:8 -->",
    };
    expect((await applyAction(tracker, action)).summary).toBe("commented");
    expect((await applyAction(tracker, action)).summary).toBe("comment already posted");
    expect(sim.getIssue("acme/web#8").comments).toEqual(["Deployed\n\n<!-- trackbridge:8 -->"]);
    sim.resetRequests();
    const link = { url: "https://github.com/acme/web/pull/9", title: "Login", globalId: "x" };
    expect(await tracker.linkPullRequest("acme/web#8", link)).toBe("exists");
    expect(sim.requests).toHaveLength(0);
  });

  it("an unknown issue or repository is a clear not_found; a bad key too", async () => {
    const unknown = await failure(tracker.getIssue("acme/web#999"));
    expect(unknown.kind).toBe("not_found");
    expect(unknown.message).toContain("issue acme/web#999 not found in roadmap");
    expect((await failure(tracker.getIssue("PROJ-1"))).kind).toBe("not_found");
  });

  it("a rejected token is auth (401), named for the installation, never shown", async () => {
    tracker = makeTracker({ token: async () => "ghs_wrong-token-000000000000" });
    const error = await failure(tracker.getIssue("acme/web#1"));
    expect(error.kind).toBe("auth");
    expect(error.message).toContain("installation token for acme (401)");
    expect(error.message).not.toContain("ghs_wrong-token");
  });

  it("429 with Retry-After and 5xx are retryable; a project that is not there is not", async () => {
    sim.createIssue("acme/web#1");
    sim.injectFaults({ status: 429, count: 1, retryAfterSeconds: 7 });
    const limited = await failure(tracker.getIssue("acme/web#1"));
    expect(limited).toMatchObject({ kind: "rate_limited", retryAfterMs: 7000, retryable: true });
    sim.injectFaults({ status: 502, count: 1 });
    expect((await failure(tracker.getIssue("acme/web#1"))).retryable).toBe(true);

    const other = makeTracker({ number: 9 });
    const missing = await failure(other.getIssue("acme/web#1"));
    expect(missing).toMatchObject({ kind: "not_found", retryable: false });
    expect(missing.message).toContain("ProjectV2 with the number 9");
  });

  it("a token the App cannot get (not installed on the organization) is a clear refusal", async () => {
    const notInstalled = makeTracker({
      token: async () => {
        throw Object.assign(new Error("Not Found"), { status: 404 });
      },
    });
    const error = await failure(notInstalled.getIssue("acme/web#1"));
    expect(error.kind).toBe("forbidden");
    expect(error.message).toContain("not installed on acme");
  });

  it("reads the workflow as every option reachable in one step, with no extra request", async () => {
    sim.createIssue("acme/web#2", { status: "Todo" });
    const issue = await tracker.getIssue("acme/web#2");
    sim.resetRequests();
    const graph = await tracker.workflow(issue);
    expect(sim.requests).toHaveLength(0);
    expect(graph.statuses.map((s) => s.display)).toEqual(["No Status", ...DEFAULT_STATUS_OPTIONS]);
    expect(graph.edges.filter((e) => e.from === issue.status.key)).toHaveLength(5);
  });

  it("polls the project's items for issues changed since a time", async () => {
    const before = Date.now() - 1000;
    sim.createIssue("acme/web#20", { status: "Todo" });
    sim.createIssue("acme/api#21", { status: "Done" });
    expect(await tracker.updatedSince([], before)).toEqual(["acme/web#20", "acme/api#21"]);
    expect(await tracker.updatedSince([], Date.now() + 60_000)).toEqual([]);
  });

  it("writes a polled key as every GitHub issue key is written: lower case", async () => {
    const before = Date.now() - 1000;
    sim.createIssue("Acme/Web#22", { status: "Todo" });
    expect(await tracker.updatedSince([], before)).toEqual(["acme/web#22"]);
  });

  it("finds the GraphQL endpoint beside the REST base, on github.com and on GitHub Enterprise", () => {
    expect(graphqlEndpoint("https://api.github.com")).toBe("https://api.github.com/graphql");
    expect(graphqlEndpoint("https://ghe.acme.test/api/v3/")).toBe(
      "https://ghe.acme.test/api/graphql",
    );
  });

  it("whoAmI proves the project is readable, and names the installation", async () => {
    expect(await tracker.whoAmI()).toEqual({
      name: `the App's installation on acme (project "Roadmap")`,
      login: null,
    });
  });
});
