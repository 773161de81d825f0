import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { batchMessages } from "../../src/thread/batch-messages.js";

describe("batchMessages", () => {
  it("posts what is said within the window together, in order, and what comes later apart", async () => {
    const posted: number[][] = [];
    const outbox = batchMessages<number>((batch) => posted.push(batch), 20);
    outbox.send(1);
    await sleep(1);
    outbox.send(2);
    outbox.send(3);
    expect(posted).toEqual([]);
    await sleep(60);
    outbox.send(4);
    await sleep(60);
    expect(posted).toEqual([[1, 2, 3], [4]]);
  });

  it("flush posts what waits at once, and nothing when nothing waits", async () => {
    const posted: string[][] = [];
    const outbox = batchMessages<string>((batch) => posted.push(batch), 20);
    outbox.send("log");
    outbox.send("done");
    outbox.flush();
    expect(posted).toEqual([["log", "done"]]);
    outbox.flush();
    await sleep(60);
    expect(posted).toEqual([["log", "done"]]);
  });
});
