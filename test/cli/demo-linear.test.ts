/** `npm run demo -- --tracker linear`: the same life on the Linear simulator. */
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { runDemo } from "../../src/cli/demo.js";
import { demoText } from "./helpers/demo.js";

describe("the demo on Linear", () => {
  it("moves the issue one issueUpdate at a time, and attaches the PR and the bench URL", async () => {
    const text = await demoText("linear");
    expect(text).toContain("against simulated GitHub and Linear on loopback");
    expect(text).toMatch(/opened\s+PROJ-123: "Open" → "In progress"/);
    // No transition rules: a move Yandex routes through In review is one step here.
    expect(text).toContain("(moved In progress → Needs improvement)");
    expect(text).toMatch(/merged\s+PROJ-123: "Ready for test" → "Closed"/);
    expect(text).toContain("the tracker was never asked about UTF-8.");
    expect(text).toContain("PROJ-123 has 1 attachment linking the PR after 4 events.");
    expect(text).toContain(
      "job summary: | PROJ-124 | Bench link | https://bench-124.example.test | ✅ set |",
    );
    expect(text).toContain('PROJ-124: attachment "Bench link" = https://bench-124.example.test');
    expect(text).toMatch(/deployed to staging\s+PROJ-124: "In progress" → "Ready for test"/);
    expect(text).toContain(
      'PROJ-124: attachment "Bench link" = https://staging.example, no fix versions (Linear has none)',
    );
    expect(text).not.toMatch(/tok-[0-9a-f]{32}/);
  });

  it("names the trackers it plays on when asked for another", async () => {
    await expect(runDemo(new PassThrough(), "trello")).rejects.toThrow(
      /the demo plays on yandex or linear.*, not "trello"/,
    );
  });
});
