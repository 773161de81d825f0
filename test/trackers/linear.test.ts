import { parse, validate } from "graphql";
import { describe, expect, it } from "vitest";
import type { PlannedAction } from "../../src/core/types.js";
import { applyAction } from "../../src/trackers/apply-action.js";
import type { TrackerConnection } from "../../src/trackers/connection.js";
import { createTracker } from "../../src/trackers/create-tracker.js";
import type { TrackerError } from "../../src/trackers/errors.js";
import { LINEAR_DOCUMENTS } from "../../src/trackers/linear/queries.js";
import { linearBed } from "../helpers/linear.js";
import { linearSchema } from "./linear-schema.js";

const TOKEN = "lin_api_secret-key-0123456789";
const PR = { url: "https://github.com/acme/web/pull/7", title: "Login", globalId: "7" };

const move = (
  key: string,
  target: string,
  trigger: "opened" | "approved" | "merged" = "opened",
  reopen = false,
): PlannedAction => ({ kind: "move", key, target, trigger, protect: [], reopen });

describe("Linear adapter", () => {
  const bed = linearBed(TOKEN);
  const conn = (extra: Partial<TrackerConnection> = {}): TrackerConnection => ({
    name: "linear",
    type: "linear",
    url: bed.sim.url,
    token: TOKEN,
    ...extra,
  });
  const tracker = () => createTracker(conn(), { timeoutMs: 2000 });

  it("reads an issue: its state, the state type as category, every other team state as a transition", async () => {
    const issue = await tracker().getIssue("ENG-1", { transitions: true });
    expect(issue).toMatchObject({
      key: "ENG-1",
      aliases: [],
      status: { display: "Open", category: "todo" },
      scope: { project: "ENG", name: "ENG" },
    });
    expect(issue.transitions?.map((t) => `${t.display}:${t.to.category}`)).toEqual([
      "Backlog:todo",
      "In progress:in_progress",
      "In review:in_progress",
      "Needs improvement:in_progress",
      "Ready for test:in_progress",
      "Closed:done",
      "Canceled:done",
    ]);
    expect(bed.sim.requests).toHaveLength(1);
  });

  it("moves with one read and one issueUpdate, to any state; a no-op is one read", async () => {
    const linear = tracker();
    const moved = await applyAction(linear, move("ENG-1", "Ready for test"));
    expect(moved.summary).toBe("moved Open → Ready for test");
    expect(bed.sim.getIssue("ENG-1").status.display).toBe("Ready for test");
    expect(bed.sim.requests).toHaveLength(2);

    bed.sim.resetRequests();
    const again = await applyAction(linear, move("ENG-1", "ready for TEST", "approved"));
    expect(again.summary).toBe("already in Ready for test");
    expect(bed.sim.requests).toHaveLength(1);
  });

  it("never moves an issue out of a completed or canceled state (done), unless reopen", async () => {
    for (const state of ["Closed", "Canceled"]) {
      bed.sim.updateIssue("ENG-1", { status: state });
      const result = await applyAction(tracker(), move("ENG-1", "In progress"));
      expect(result.summary).toBe(
        `left in ${state} (done; the config's reopen: true would move it)`,
      );
    }
    const reopened = await applyAction(tracker(), move("ENG-1", "In progress", "opened", true));
    expect(reopened.summary).toBe("moved Canceled → In progress");
  });

  it("links the PR once: an attachment by URL", async () => {
    const linear = tracker();
    expect(await linear.linkPullRequest("ENG-1", PR)).toBe("created");
    expect(await linear.linkPullRequest("ENG-1", PR)).toBe("exists");
    expect(bed.sim.getIssue("ENG-1").links).toMatchObject([{ url: PR.url, title: "Login" }]);
  });

  it("writes a bench URL as an attachment titled with the field name, and refuses a value that is no URL", async () => {
    const linear = tracker();
    await linear.setField("ENG-1", "Bench link", "https://pr-7.bench.acme.test");
    await linear.setField("ENG-1", "Bench link", "https://pr-7.bench.acme.test");
    expect(bed.sim.getIssue("ENG-1").links).toMatchObject([
      { url: "https://pr-7.bench.acme.test", title: "Bench link" },
    ]);
    await expect(linear.setField("ENG-1", "Bench link", "ready")).rejects.toMatchObject({
      kind: "invalid",
      message: expect.stringContaining(
        "has no custom fields: Bench link is written as a link attachment",
      ),
    });
  });

  it("comments once where the plan says so, reading every page of comments", async () => {
    const linear = tracker();
    for (let i = 0; i < 120; i++) await linear.addComment("ENG-1", `note ${i}`);
    const comment = {
      kind: "comment",
      key: "ENG-1",
      text: "Deployed",
      marker: "<!-- tb:1 -->",
    } as const;
    expect((await applyAction(linear, comment)).summary).toBe("commented");
    expect((await applyAction(linear, comment)).summary).toBe("comment already posted");
    expect(await linear.listComments("ENG-1")).toHaveLength(121);
  });

  it("declares no fix versions: a clear permanent refusal", async () => {
    const error = await tracker()
      .addFixVersion("ENG-1", "v1.2.0")
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "invalid", retryable: false });
    expect(String((error as Error).message)).toContain("has no fix versions");
    // A release's stamp is said, not failed: the issue still moves, nothing is retried.
    const stamp = { kind: "fix_version", key: "ENG-1", version: "v1.2.0" } as const;
    bed.sim.resetRequests();
    expect(await applyAction(tracker(), stamp)).toMatchObject({
      ok: true,
      summary:
        "fix version v1.2.0 not stamped: fix versions is not available on Linear: Linear has no fix versions",
    });
    expect(bed.sim.requests).toHaveLength(0);
  });

  it("answers an unknown key with not_found, a bad token with auth, never showing the token", async () => {
    await expect(tracker().getIssue("ENG-404")).rejects.toMatchObject({
      kind: "not_found",
      message: "issue ENG-404 not found in linear",
    });
    const bad = createTracker(conn({ token: "lin_api_wrong-key-999" }));
    const error = (await bad.getIssue("ENG-1").catch((e: unknown) => e)) as TrackerError;
    expect(error).toMatchObject({ kind: "auth", retryable: false });
    expect(error.message).not.toContain("lin_api_wrong-key-999");
    expect(JSON.stringify(error)).not.toContain(TOKEN);
  });

  it("treats a 429 with Retry-After, and a GraphQL RATELIMITED error with reset headers, as rate limits", async () => {
    bed.sim.injectFaults({ status: 429, count: 1, retryAfterSeconds: 7 });
    await expect(tracker().getIssue("ENG-1")).rejects.toMatchObject({
      kind: "rate_limited",
      retryAfterMs: 7000,
      status: 429,
    });
    bed.sim.rateLimitAsGraphqlError(1, 30_000);
    const error = (await tracker()
      .getIssue("ENG-1")
      .catch((e: unknown) => e)) as TrackerError;
    expect(error).toMatchObject({ kind: "rate_limited", retryable: true, status: 400 });
    expect(error.retryAfterMs).toBeGreaterThan(25_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(30_000);
    expect(error.message).toContain("Rate limit exceeded");
  });

  it("retries nothing after a 4xx, and marks a 5xx retryable", async () => {
    bed.sim.injectFaults({ status: 502, count: 1 });
    await expect(tracker().getIssue("ENG-1")).rejects.toMatchObject({
      kind: "server",
      retryable: true,
    });
    await expect(tracker().executeTransition("ENG-1", "not-a-state-of-ENG")).rejects.toMatchObject({
      kind: "invalid",
      retryable: false,
    });
  });

  it("follows an issue moved to another team, and reads a team's workflow without another request", async () => {
    const newKey = bed.sim.moveIssue("ENG-1", "OPS");
    const linear = tracker();
    const issue = await linear.getIssue("ENG-1", { transitions: true });
    expect(issue).toMatchObject({ key: newKey, aliases: ["ENG-1"], scope: { project: "OPS" } });
    bed.sim.resetRequests();
    const graph = await linear.workflow(issue);
    expect(bed.sim.requests).toHaveLength(0);
    expect(graph).toMatchObject({ source: "tracker", initial: issue.status.key });
    expect(graph.edges).toHaveLength(8 * 7);
  });

  it("reads a team for init and doctor, and who the key belongs to", async () => {
    const linear = tracker();
    const { statuses, graph } = await linear.projectWorkflow("ENG");
    expect(statuses.map((s) => s.display)).toContain("In review");
    expect(graph.statuses).toHaveLength(8);
    await expect(linear.projectWorkflow("NOPE")).rejects.toMatchObject({ kind: "not_found" });
    expect(await linear.someWorkflowScope()).toMatchObject({ project: "ENG" });
    expect(await linear.whoAmI()).toEqual({ name: "trackbridge bot", login: "bot@example.test" });
  });

  it("reads a team's id once for every create in it, none when an issue read brought the team", async () => {
    const teamReads = () =>
      bed.sim.requests.filter(
        (r) => (r.body as { query: string }).query === LINEAR_DOCUMENTS.TEAM_BY_KEY,
      ).length;
    const create = (linear: ReturnType<typeof tracker>, n: number) =>
      linear.createIssue!({
        project: "ENG",
        summary: `New ${n}`,
        description: "d",
        marker: `trackbridge:acme/web#${n}`,
      });
    const linear = tracker();
    await create(linear, 1);
    await create(linear, 2);
    expect(teamReads()).toBe(1);
    bed.sim.resetRequests();
    const read = tracker();
    await read.getIssue("ENG-1", { transitions: true });
    await create(read, 3);
    expect(teamReads()).toBe(0);
  });

  it("lists issues of the given teams updated since a time", async () => {
    const pause = () => new Promise((resolve) => setTimeout(resolve, 5));
    await pause();
    const since = Date.now();
    await pause();
    bed.sim.createIssue("ENG-2");
    bed.sim.createIssue("OPS-1");
    expect(await tracker().updatedSince(["ENG"], since)).toEqual(["ENG-2"]);
    expect(await tracker().updatedSince(["ENG", "OPS"], 0)).toEqual(["ENG-1", "ENG-2", "OPS-1"]);
  });

  it("sends only documents valid against Linear's published schema", async () => {
    const schema = linearSchema();
    // The schema is strict: a misspelt input field or an unknown field is an error.
    const wrong =
      "mutation($id: String!) { issueUpdate(id: $id, input: { statusId: $id }) { ok } }";
    expect(validate(schema, parse(wrong)).map((e) => e.message)).toEqual([
      'Field "statusId" is not defined by type "IssueUpdateInput". Did you mean "stateId"?',
      'Cannot query field "ok" on type "IssuePayload".',
    ]);
    for (const [name, document] of Object.entries(LINEAR_DOCUMENTS)) {
      expect(validate(schema, parse(document)).map((e) => `${name}: ${e.message}`)).toEqual([]);
    }
    // …and what went over the wire in a workout of every call.
    const linear = tracker();
    const issue = await linear.getIssue("ENG-1", { transitions: true });
    await applyAction(linear, move("ENG-1", "In review"));
    await linear.workflow(issue, { refresh: true });
    await linear.linkPullRequest("ENG-1", PR);
    await linear.setField("ENG-1", "Bench link", "https://b.test");
    await linear.addComment("ENG-1", "hi");
    await linear.listComments("ENG-1");
    await linear.projectWorkflow("ENG");
    await linear.someWorkflowScope();
    await linear.whoAmI();
    await linear.updatedSince(["ENG"], 0);
    const created = await linear.createIssue!(
      { project: "ENG", summary: "New", description: "d", marker: "trackbridge:acme/web#1" },
      { earlierTryUnknown: true },
    );
    await linear.unlink!("ENG-1", PR);
    await linear.getAssignee!(created.key);
    const alice = await linear.findUserByEmail!("alice@acme.test");
    await linear.setAssignee!(created.key, alice!.id);
    const sent = new Set(bed.sim.requests.map((r) => (r.body as { query: string }).query));
    expect(sent.size).toBe(Object.keys(LINEAR_DOCUMENTS).length);
    for (const query of sent) expect(validate(schema, parse(query))).toEqual([]);
  });

  it("serves a schema whose every field is Linear's, with Linear's type", async () => {
    const { linearSimSchema } = await import("../../src/simulators/linear/schema.js");
    const linear = linearSchema();
    const mismatches: string[] = [];
    for (const type of Object.values(linearSimSchema().getTypeMap())) {
      if (type.name.startsWith("__") || !("getFields" in type)) continue;
      const theirs = linear.getType(type.name);
      if (!theirs || !("getFields" in theirs)) {
        mismatches.push(`${type.name}: not in Linear's schema`);
        continue;
      }
      const fields = theirs.getFields() as Record<string, { type: unknown }>;
      for (const [name, field] of Object.entries(type.getFields())) {
        const actual = fields[name];
        if (String(actual?.type) !== String(field.type)) {
          mismatches.push(
            `${type.name}.${name}: ${String(field.type)} here, ${String(actual?.type)} in Linear`,
          );
        }
      }
    }
    expect(mismatches).toEqual([]);
  });
});
