import { describe, expect, it } from "vitest";
import { issueStateChanged, linearWebhook } from "../../src/simulators/linear/webhook.js";
import { linearWaitMs } from "../../src/trackers/linear/errors.js";
import { readTrackerWebhook } from "../../src/trackers/webhook.js";

const SECRET = "lin_wh_signing-secret-42";
const NOW = Date.parse("2026-12-06T20:00:00Z");

const read = (headers: Record<string, string>, body: string, now = NOW) =>
  readTrackerWebhook({ type: "linear" }, SECRET, headers, body, now);

describe("Linear webhooks", () => {
  it("takes a signed, fresh state change of an issue as a signal with Linear's delivery id", async () => {
    const { headers, body } = linearWebhook(SECRET, issueStateChanged("ENG-12", "s-1"), NOW - 5000);
    expect(await read(headers, body)).toEqual({
      kind: "signal",
      key: "ENG-12",
      deliveryId: headers["linear-delivery"],
    });
  });

  it.each([
    ["no signature", (h: Record<string, string>) => ({ ...h, "linear-signature": "" }), NOW],
    [
      "another secret's signature",
      (h: Record<string, string>) => ({ ...h, "linear-signature": "ab".repeat(32) }),
      NOW,
    ],
    ["a timestamp 61 s old", (h: Record<string, string>) => h, NOW + 61_000],
    ["a timestamp 61 s ahead", (h: Record<string, string>) => h, NOW - 61_000],
  ])("refuses %s", async (_, forge, now) => {
    const { headers, body } = linearWebhook(SECRET, issueStateChanged("ENG-12", "s-1"), NOW);
    const result = await read(forge(headers), body, now);
    expect(result.kind).toBe("unauthorized");
  });

  it("refuses a body changed after signing", async () => {
    const { headers, body } = linearWebhook(SECRET, issueStateChanged("ENG-12", "s-1"), NOW);
    expect(await read(headers, body.replace("ENG-12", "ENG-13"))).toMatchObject({
      kind: "unauthorized",
      reason: "Linear-Signature does not match",
    });
  });

  it("ignores what is not an issue's state change", async () => {
    const comment = linearWebhook(SECRET, { action: "create", type: "Comment", data: {} }, NOW);
    expect(await read(comment.headers, comment.body)).toMatchObject({ kind: "ignored" });
    const retitled = linearWebhook(
      SECRET,
      {
        action: "update",
        type: "Issue",
        data: { identifier: "ENG-1" },
        updatedFrom: { title: "x" },
      },
      NOW,
    );
    expect(await read(retitled.headers, retitled.body)).toMatchObject({
      kind: "ignored",
      reason: "the update did not change the issue's state",
    });
  });
});

describe("Linear rate-limit waits", () => {
  const headers = (values: Record<string, string>) => ({
    get: (name: string) => values[name] ?? null,
  });

  it.each([
    ["a reset in epoch ms", { "x-ratelimit-requests-reset": String(NOW + 60_000) }, 60_000],
    [
      "a reset in epoch seconds",
      { "x-ratelimit-requests-reset": String((NOW + 30_000) / 1000) },
      30_000,
    ],
    [
      "the exhausted budget's reset",
      {
        "x-ratelimit-requests-remaining": "10",
        "x-ratelimit-requests-reset": String(NOW + 3_600_000),
        "x-ratelimit-complexity-remaining": "0",
        "x-ratelimit-complexity-reset": String(NOW + 20_000),
      },
      20_000,
    ],
    ["nothing when no header says", {}, undefined],
  ])("reads %s", (_, values, expected) => {
    expect(linearWaitMs(headers(values), NOW)).toBe(expected);
  });
});
