/** `npm run demo -- --tracker youtrack`: the same life on the YouTrack simulator. */
import { expect, it } from "vitest";
import { demoText } from "./helpers/demo.js";

it("plays the PR's life on YouTrack: routed by routes:, the bench URL in its text field", async () => {
  const text = await demoText("youtrack");
  expect(text).toContain("the real App against simulated GitHub and YouTrack on loopback");
  expect(text).toContain("(moved In progress → In review → Needs improvement)");
  expect(text).toContain("(moved Needs improvement → In review → Ready for test)");
  expect(text).toMatch(/merged\s+PROJ-123: "Ready for test" → "Closed"/);
  expect(text).toContain("PROJ-123 has 1 comment linking the PR after 4 events.");
  expect(text).toContain(
    "action/dist/index.js on push: exit 0, outputs issue-keys=PROJ-124 updated=1",
  );
  expect(text).toContain('PROJ-124: "Bench link" = https://staging.example, Fix versions = 1.0.0');
}, 120_000);
