/**
 * A PR linked to an issue is not linked again by its later events: their link jobs are
 * recorded as done at once, at no tracker call. A changed link (the PR renamed) runs again.
 */
import { describe, expect, it } from "vitest";
import { backends, enqueue, link, submission, workerBed } from "./helpers.js";

const claimAll = { leaseMs: 60_000, limit: 10, perConnection: 4, running: new Map() };

describe.each(backends())("links done once ($name)", (backend) => {
  const bed = workerBed(backend);

  it("records a repeated link as done without running it, and runs a changed one", async () => {
    const { store } = bed;
    await enqueue(store, "d1", [submission("d1", [link("PROJ-1")])]);
    const [first] = await store.claimJobs({ now: Date.now(), ...claimAll });
    await store.finishJob(first!, { state: "done", summary: "linked" }, Date.now());

    await enqueue(store, "d2", [submission("d2", [link("PROJ-1")])]);
    expect(await store.claimJobs({ now: Date.now(), ...claimAll })).toEqual([]);
    const [repeated] = await store
      .listJobs({ states: ["done"], limit: 5 })
      .then((jobs) => jobs.filter((job) => job.deliveryId === "d2"));
    expect(repeated).toMatchObject({ state: "done", summary: "already linked (delivery d1)" });

    const renamed = link("PROJ-1");
    if (renamed.kind === "link") renamed.pr.title = "a new title";
    await enqueue(store, "d3", [submission("d3", [renamed])]);
    const again = await store.claimJobs({ now: Date.now(), ...claimAll });
    expect(again.map((job) => job.deliveryId)).toEqual(["d3"]);
  });
});
