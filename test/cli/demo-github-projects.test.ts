/** `npm run demo -- --tracker github-projects`: the same life on a GitHub project (acme/1). */
import { expect, it } from "vitest";
import { demoText } from "./helpers/demo.js";

it("plays the PR's life on a GitHub project: #123's Status follows, the Action writes the bench URL", async () => {
  const text = await demoText("github-projects");
  expect(text).toContain("the real App against simulated GitHub and GitHub Projects on loopback");
  expect(text).toContain('PR #1 "#123: login form" from 123-login');
  expect(text).toMatch(/opened\s+acme\/web#123: "Open" → "In progress"/);
  expect(text).toMatch(/merged\s+acme\/web#123: "Ready for test" → "Closed"/);
  expect(text).toContain('acme/web#7 (a reference) is "Open"');
  expect(text).toContain(
    "action/dist/index.js on push: exit 0, outputs issue-keys=acme/web#124 updated=1",
  );
  expect(text).toMatch(/deployed to staging\s+acme\/web#124: "Open" → "Ready for test"/);
  expect(text).toContain(
    'acme/web#124: "Bench link" = https://staging.example, no fix versions (GitHub Projects has none)',
  );
}, 120_000);
