/**
 * The console's Test connection on a GitHub Projects connection: the project read through the
 * App's installation on its organization; a refusal says what GitHub said, never a token.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Testbed } from "../../src/simulators/scenario/testbed.js";
import { postForm, signInWithToken, startConsoleBed } from "./helpers.js";

let bed: Testbed;
beforeAll(async () => {
  bed = await startConsoleBed({ tracker: "github-projects" });
});
afterAll(async () => bed.close());

it("tests a GitHub Projects connection: the App's installation reads the project", async () => {
  const session = await signInWithToken(bed);
  const test = async () =>
    (await postForm(bed, "/console/connections/github-projects/test", session, [])).text();
  const ok = await test();
  expect(ok).toMatch(
    /github-projects: reachable; the token belongs to the App&#39;s installation on acme \(project &quot;.+&quot;\)/,
  );

  bed.tracker.injectFaults({ status: 401, count: 1 });
  const refused = await test();
  expect(refused).toContain("GitHub refused the App&#39;s installation token for acme (401)");
  for (const html of [ok, refused]) expect(html).not.toMatch(/ghs_\w+/);
});
