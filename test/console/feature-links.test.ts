/** The console names a Productboard feature's job by the feature, linked, and the issue it follows. */
import { describe, expect, it } from "vitest";
import type { JobRow } from "../../src/console/queries.js";
import { jobLinks, planned } from "../../src/console/views/links.js";

const urls = {
  pr: (repo: string, pr: number) => `https://github.com/${repo}/pull/${pr}`,
  issue: (connection: string, key: string) =>
    connection === "jira" ? `https://acme.atlassian.net/browse/${key}` : null,
};
const FEATURE_URL = "https://acme.productboard.com/entity-detail/features/f-1";

function job(action: JobRow["action"]): JobRow {
  return {
    id: 1,
    deliveryId: "productboard:1",
    event: "productboard",
    receivedAt: "2026-12-07T00:00:00.000Z",
    connection: "productboard",
    repo: "productboard",
    prNumber: null,
    key: action.key,
    action,
    state: "done",
    attempts: 1,
    summary: null,
    lastError: null,
    createdAt: 0,
    updatedAt: 0,
  };
}

describe("a Productboard feature's job in the console", () => {
  it("links the feature's page, and the issue whose status it follows", async () => {
    const follow = job({
      kind: "feature",
      key: "f-1",
      op: "follow",
      featureUrl: FEATURE_URL,
      issue: { connection: "jira", key: "PROJ-1" },
    });
    const html = String(await jobLinks(urls)(follow));
    expect(html).toContain(`<a href="${FEATURE_URL}">Productboard feature f-1</a>`);
    expect(html).toContain('<a href="https://acme.atlassian.net/browse/PROJ-1">PROJ-1</a>');
    expect(planned(follow)).toBe("Productboard feature follow");
  });

  it("names a feature whose page it does not know without a link", async () => {
    const html = String(await jobLinks(urls)(job({ kind: "feature", key: "f-2", op: "unlink" })));
    expect(html).toBe("<span>Productboard feature f-2</span>");
  });
});
