import { setImmediate as nextTurn } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { batchMessages } from "../../src/app/batch-messages.js";

describe("batchMessages", () => {
  it("posts one turn's messages together, in order, and the next turn's apart", async () => {
    const posted: number[][] = [];
    const outbox = batchMessages<number>((batch) => posted.push(batch));
    outbox.send(1);
    outbox.send(2);
    outbox.send(3);
    expect(posted).toEqual([]);
    await nextTurn();
    outbox.send(4);
    await nextTurn();
    expect(posted).toEqual([[1, 2, 3], [4]]);
  });

  it("flush posts what waits at once, and nothing when nothing waits", async () => {
    const posted: string[][] = [];
    const outbox = batchMessages<string>((batch) => posted.push(batch));
    outbox.send("log");
    outbox.send("done");
    outbox.flush();
    expect(posted).toEqual([["log", "done"]]);
    outbox.flush();
    await nextTurn();
    expect(posted).toEqual([["log", "done"]]);
  });
});
