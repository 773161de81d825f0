/**
 * Rows written when `match: email` assigns carried the person's GitHub e-mail: read back, the
 * action (and the result's copy of it) has none, so neither the CLI nor the console shows it.
 */
import { describe, expect, it } from "vitest";
import { type JobRow, rowToJob, storedAction } from "../../src/delivery/rows.js";

const ASSIGN = {
  kind: "assign",
  key: "PROJ-1",
  person: "ames-gh",
  from: "author",
  overwrite: false,
};
const LEGACY = { ...ASSIGN, match: "email", email: "alice@acme.test" };

describe("a job's stored action", () => {
  it("drops the e-mail an older row carries, and keeps everything else", () => {
    expect(storedAction(JSON.stringify(LEGACY))).toEqual({ ...ASSIGN, match: "email" });
    expect(storedAction(JSON.stringify(ASSIGN))).toEqual(ASSIGN);
  });

  it("drops it from the job's result too", () => {
    const result = { action: LEGACY, ok: true, summary: "assigned to Alice" };
    const job = rowToJob({
      action: JSON.stringify(LEGACY),
      result: JSON.stringify(result),
    } as JobRow);
    expect(JSON.stringify([job.action, job.result])).not.toContain("alice@acme.test");
    expect(job.result?.summary).toBe("assigned to Alice");
  });
});
