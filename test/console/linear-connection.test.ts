/** The console's Test connection on a Linear connection: who the key belongs to, never the key. */
import { afterAll, beforeAll, expect, it } from "vitest";
import type { LinearSimulator } from "../../src/simulators/linear/index.js";
import type { Testbed } from "../../src/simulators/scenario/testbed.js";
import { postForm, signInWithToken, startConsoleBed } from "./helpers.js";

let bed: Testbed;
beforeAll(async () => {
  bed = await startConsoleBed({ tracker: "linear" });
});
afterAll(async () => bed.close());

it("tests a Linear connection: the key's user when accepted, the refusal when not, never the key", async () => {
  const session = await signInWithToken(bed);
  const test = async () =>
    (await postForm(bed, "/console/connections/linear/test", session, [])).text();
  const ok = await test();
  expect(ok).toContain(
    "linear: reachable; the token belongs to trackbridge bot (bot@example.test).",
  );

  bed.tracker.injectFaults({
    status: 400,
    count: 1,
    body: {
      errors: [
        {
          message: "Authentication required, not authenticated",
          extensions: { code: "AUTHENTICATION_ERROR", type: "authentication error" },
        },
      ],
    },
  });
  const refused = await test();
  expect(refused).toContain("the token for connection &quot;linear&quot; was rejected (400)");
  expect(refused).toContain("token refused (400)");

  (bed.tracker as LinearSimulator).rateLimitAsGraphqlError(1, 120_000);
  expect(await test()).toMatch(/rate-limited until \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ/);
  for (const html of [ok, refused]) expect(html).not.toContain(bed.trackerToken);
});
