/** Small pieces the adapter tests share. */
import { expect } from "vitest";
import type { MoveTrigger, PlannedAction } from "../../src/core/types.js";
import { TrackerError } from "../../src/trackers/errors.js";

export const moveTo = (
  key: string,
  target: string,
  trigger: MoveTrigger = "merged",
): PlannedAction => ({ kind: "move", key, target, trigger, protect: [] });

/** The TrackerError a call rejects with (the test fails when it resolves or throws anything else). */
export async function refusal(promise: Promise<unknown>): Promise<TrackerError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TrackerError);
  return error as TrackerError;
}

export const linkAction = (key: string, number: number, title: string): PlannedAction => ({
  kind: "link",
  key,
  pr: { number, url: `https://github.com/acme/web/pull/${number}`, title, repo: "acme/web" },
});
