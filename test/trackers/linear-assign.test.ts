/**
 * Assigning on Linear against its simulator: the adapter sets the Linear user id it is given
 * (the people map's, or the one `match: email` found), and an id Linear does not know is
 * reported as that user, with where to correct it, not as the issue being missing.
 */
import { describe, expect, it } from "vitest";
import type { PlannedAction } from "../../src/core/types.js";
import { applyAction } from "../../src/trackers/apply-action.js";
import { createTracker } from "../../src/trackers/create-tracker.js";
import { LINEAR_DOCUMENTS } from "../../src/trackers/linear/queries.js";
import { linearBed } from "../helpers/linear.js";
import { refusal } from "./helpers.js";

const TOKEN = "lin_api_secret-key-0123456789";
/** A well-formed Linear user id that no user of the simulator has. */
const UNKNOWN_USER = "00000000-0000-4000-8000-000000000000";

const assign = (key: string): PlannedAction => ({
  kind: "assign",
  key,
  person: "alice-gh",
  from: "author",
  overwrite: false,
});

describe("Linear assignee", () => {
  const bed = linearBed(TOKEN);
  const tracker = () =>
    createTracker({ name: "linear", type: "linear", url: bed.sim.url, token: TOKEN });

  it("assigns the Linear user id it is given, never looking an e-mail up itself", async () => {
    const linear = tracker();
    const alice = await linear.findUserByEmail!("alice@acme.test");
    bed.sim.resetRequests();
    expect((await linear.setAssignee!("ENG-1", alice!.id)).id).toBe(alice!.id);
    expect(bed.sim.getIssue("ENG-1").assignee).toBe("alice");
    expect(bed.sim.requests).toHaveLength(1);
    bed.sim.resetRequests();
    // An e-mail is `match: email`'s to look up (findUserByEmail): as an id, Linear finds no one.
    await expect(linear.setAssignee!("ENG-1", "alice@acme.test")).rejects.toMatchObject({
      kind: "not_found",
    });
    const sent = bed.sim.requests.map((r) => (r.body as { query: string }).query);
    expect(sent).toEqual([LINEAR_DOCUMENTS.ASSIGN]);
  });

  it("names a people-map id Linear does not know as the user, and where to correct it", async () => {
    const people = { "alice-gh": UNKNOWN_USER };
    const error = await refusal(applyAction(tracker(), assign("ENG-1"), { people }));
    expect(error).toMatchObject({ kind: "not_found", retryable: false, connection: "linear" });
    expect(error.message).toBe(
      `linear could not assign ENG-1: no Linear user has the id ${UNKNOWN_USER}; correct it in the people: map of connection linear in the connections file`,
    );
    expect(bed.sim.getIssue("ENG-1").assignee).toBeFalsy();
  });

  it("still says the issue is missing when it is the issue Linear cannot find", async () => {
    const alice = await tracker().findUserByEmail!("alice@acme.test");
    const error = await refusal(tracker().setAssignee!("ENG-404", alice!.id));
    expect(error).toMatchObject({
      kind: "not_found",
      message: "issue ENG-404 not found in linear",
    });
    const people = { "alice-gh": alice!.id };
    const viaAction = await refusal(applyAction(tracker(), assign("ENG-404"), { people }));
    expect(viaAction.message).toBe("issue ENG-404 not found in linear");
  });
});
