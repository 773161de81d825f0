import { describe, expect, it } from "vitest";
import type { PlannedAction } from "../../src/core/types.js";
import type { JobRecord, JobState } from "../../src/delivery/types.js";
import { mergeReports, type ReportPart } from "../../src/reports/merge-reports.js";

let ids = 0;
function job(action: PlannedAction, state: JobState, summary: string): JobRecord {
  ids += 1;
  return {
    id: ids,
    deliveryId: "d",
    connection: "y",
    repo: "a/b",
    prNumber: 1,
    key: action.key,
    action,
    eventAt: "",
    state,
    attempts: 1,
    summary,
    lastError: null,
  };
}
const move = (key: string, target = "inProgress"): PlannedAction => ({
  kind: "move",
  key,
  target,
  trigger: "opened",
  protect: [],
});
const link = (key: string): PlannedAction => ({
  kind: "link",
  key,
  pr: { number: 1, url: "u", title: "t", repo: "a/b" },
});
const field = (key: string): PlannedAction => ({
  kind: "set_field",
  key,
  field: "benchLink",
  value: "https://b",
});

function part(input: {
  keys: string[];
  jobs: JobRecord[];
  prNumber?: number | null;
  requireKey?: boolean;
  configError?: string;
  skipped?: Array<{ key: string; reason: string }>;
  notes?: string[];
}): ReportPart {
  return {
    submission: {
      deliveryId: "d",
      connection: "y",
      repo: "a/b",
      prNumber: input.prNumber === undefined ? 1 : input.prNumber,
      prState: "open",
      eventAt: "",
      waitForAllPrs: false,
      plan: {
        keys: input.keys.map((key) => ({ key, role: "moving", source: "branch" })),
        actions: [],
        skipped: input.skipped ?? [],
        notes: input.notes ?? [],
      },
      report: {
        installationId: 1,
        repo: "a/b",
        headSha: "s",
        prNumber: 1,
        requireKey: input.requireKey ?? false,
      },
      ...(input.configError ? { configError: input.configError } : {}),
    },
    jobs: input.jobs,
  };
}

describe("mergeReports: one check run for every event on a commit", () => {
  it("keeps an earlier failure when a later event touches another key", () => {
    const failed = job(move("PROJ-1"), "dead", "no transition to X");
    const merged = mergeReports([
      part({ keys: ["PROJ-1"], jobs: [failed, job(link("PROJ-1"), "done", "linked")] }),
      part({ keys: ["PROJ-2"], jobs: [job(move("PROJ-2"), "done", "moved Open → In progress")] }),
    ]);
    expect(merged.jobs.map((j) => [j.key, j.action.kind, j.summary])).toEqual([
      ["PROJ-1", "move", "no transition to X"],
      ["PROJ-1", "link", "linked"],
      ["PROJ-2", "move", "moved Open → In progress"],
    ]);
    expect(merged.submission.plan.keys.map((k) => k.key)).toEqual(["PROJ-1", "PROJ-2"]);
  });

  it("the latest event's job wins for the same issue and kind of action", () => {
    const merged = mergeReports([
      part({ keys: ["PROJ-1"], jobs: [job(move("PROJ-1"), "dead", "503")] }),
      part({
        keys: ["PROJ-1"],
        jobs: [job(move("PROJ-1", "readyForTest"), "done", "moved A → B")],
      }),
    ]);
    expect(merged.jobs.map((j) => j.summary)).toEqual(["moved A → B"]);
  });

  it("fields are separate slots", () => {
    const merged = mergeReports([
      part({ keys: ["PROJ-1"], jobs: [job(move("PROJ-1"), "done", "m")] }),
      part({
        keys: ["PROJ-1"],
        prNumber: null,
        jobs: [job(field("PROJ-1"), "done", "set benchLink")],
      }),
    ]);
    expect(merged.jobs).toHaveLength(2);
  });

  it("the latest PR event decides require_key; a deployment does not lift it", () => {
    const merged = mergeReports([
      part({ keys: [], jobs: [], requireKey: true }),
      part({ keys: [], jobs: [], prNumber: null, requireKey: false }),
    ]);
    expect(merged.submission.report.requireKey).toBe(true);
  });

  it("only the latest event's config error counts; skip reasons come from the latest event that saw the key", () => {
    const merged = mergeReports([
      part({
        keys: ["PROJ-1"],
        jobs: [],
        configError: "bad",
        skipped: [{ key: "PROJ-1", reason: "old" }],
        notes: ["n1"],
      }),
      part({
        keys: ["PROJ-1"],
        jobs: [],
        skipped: [{ key: "PROJ-1", reason: "new" }],
        notes: ["n1", "n2"],
      }),
    ]);
    expect(merged.submission.configError).toBeUndefined();
    expect(merged.submission.plan.skipped).toEqual([{ key: "PROJ-1", reason: "new" }]);
    expect(merged.submission.plan.notes).toEqual(["n1", "n2"]);
    expect(
      mergeReports([part({ keys: [], jobs: [], configError: "bad" })]).submission.configError,
    ).toBe("bad");
  });
});
