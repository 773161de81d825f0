/**
 * The Linear simulator for one file's tests: started before them, reset to one issue (ENG-1)
 * before each, closed after them. Call it inside the describe (or at the top of the file).
 */
import { afterAll, beforeAll, beforeEach } from "vitest";
import { type LinearSimulator, startLinearSimulator } from "../../src/simulators/linear/index.js";

export function linearBed(token: string): { readonly sim: LinearSimulator } {
  let sim: LinearSimulator | undefined;
  beforeAll(async () => {
    sim = await startLinearSimulator({ token });
  });
  afterAll(() => sim?.close());
  beforeEach(() => {
    sim?.reset();
    sim?.createIssue("ENG-1");
  });
  return {
    get sim() {
      if (!sim) throw new Error("the Linear simulator starts in beforeAll: use it inside a test");
      return sim;
    },
  };
}
