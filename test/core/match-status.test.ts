import { describe, expect, it } from "vitest";
import { findTransition, statusMatches } from "../../src/core/match-status.js";
import type { TrackerTransition } from "../../src/trackers/port.js";

describe("statusMatches", () => {
  const yandex = { key: "readyForTest", display: "Ready for test" };
  const jira = { key: "10003", display: "Ready for test" };
  it.each([
    [yandex, "readyForTest", true],
    [yandex, "readyfortest", false], // keys are exact
    [yandex, "Ready for test", true],
    [yandex, "READY FOR TEST", true],
    [yandex, " Ready for test ", true],
    [yandex, "Ready", false],
    [jira, "10003", true],
    [jira, "1000", false],
    [{ key: "open", display: "Открыт" }, "открыт", true],
  ])("%o vs %s → %s", (status, target, expected) => {
    expect(statusMatches(status, target)).toBe(expected);
  });
});

describe("findTransition", () => {
  const transitions: TrackerTransition[] = [
    { id: "21", display: "Start progress", to: { key: "3", display: "In progress" } },
    { id: "51", display: "Send to test", to: { key: "10003", display: "Ready for test" } },
    // A transition whose id looks like another status id: the status wins.
    { id: "3", display: "Odd one", to: { key: "10001", display: "In review" } },
  ];
  it.each([
    ["Ready for test", "51"],
    ["ready for test", "51"],
    ["10003", "51"],
    ["51", "51"],
    ["21", "21"],
    ["3", "21"],
    ["In review", "3"],
    ["Closed", undefined],
    ["Send to test", undefined], // transition names are not targets
  ])("%s → %s", (target, id) => {
    expect(findTransition(transitions, target)?.id).toBe(id);
  });
});
