/** `npm run demo` prints one PR's life with the issue moving at each step. */
import { describe, expect, it } from "vitest";
import { demoText } from "./helpers/demo.js";

describe("the demo", () => {
  it("plays open → changes requested → approve → merge, then the rest of the life with the bundled Action", async () => {
    const text = await demoText();
    expect(text).toContain("1. opened");
    expect(text).toMatch(/opened\s+PROJ-123: "Open" → "In progress"/);
    expect(text).toMatch(
      /changes requested by bob\s+PROJ-123: "In progress" → "Needs improvement"/,
    );
    expect(text).toMatch(/approved by carol\s+PROJ-123: "Needs improvement" → "Ready for test"/);
    // The rest of the life: sync on the config commit, work started, staging, release.
    expect(text).toMatch(/config committed → sync\s+PROJ-125: "Open" → "Ready for test"/);
    expect(text).toMatch(/branch feature\/PROJ-124 created\s+PROJ-124: "Open" → "In progress"/);
    // The bundled Action, run as a runner runs it on the branch's push, writes the bench URL.
    expect(text).toMatch(/pushed → bench pipeline → Action\s+PROJ-124: stays "In progress"/);
    expect(text).toContain(
      "action/dist/index.js on push: exit 0, outputs issue-keys=PROJ-124 updated=1",
    );
    expect(text).toContain(
      "job summary: | PROJ-124 | benchLink | https://bench-124.example.test | ✅ set |",
    );
    expect(text).toContain("    PROJ-124: benchLink = https://bench-124.example.test\n");
    expect(text).toMatch(/deployed to staging\s+PROJ-124: "In progress" → "Ready for test"/);
    expect(text).toMatch(/release v1.0.0 published\s+PROJ-124: "Ready for test" → "Closed"/);
    expect(text).toContain("PROJ-124: benchLink = https://staging.example, fixVersions = 1.0.0");
    expect(text).toMatch(/merged\s+PROJ-123: "Ready for test" → "Closed"/);
    expect(text).toContain(
      'PROJ-7 (a reference) is "Open"; the tracker was never asked about UTF-8.',
    );
    expect(text).toContain("PROJ-123 has 1 comment linking the PR after 4 events.");
    expect(text).toContain("moved Ready for test → Closed");
    // The workflow is strict: In progress cannot reach Needs improvement in one step.
    expect(text).toContain("(moved In progress → In review → Needs improvement)");
    // The tracker token the Action was given (the testbed's tok-…) is never printed.
    expect(text).not.toMatch(/tok-[0-9a-f]{32}/);
  });
});
