/** npm start's command line, as the tests and the bench read it to start the server the same way. */
import { describe, expect, it } from "vitest";
import { parseStartScript, startEnv, startHeapOptions } from "../../scripts/start-command.js";

describe("the start script", () => {
  it("splits the variables set before node from node's options and the entry", () => {
    expect(
      parseStartScript("A_B=2 C=x=y node --max-semi-space-size=6 --import tsx main.ts"),
    ).toEqual({
      env: { A_B: "2", C: "x=y" },
      args: ["--max-semi-space-size=6", "--import", "tsx", "main.ts"],
    });
    expect(parseStartScript(" node main.ts ")).toEqual({ env: {}, args: ["main.ts"] });
    expect(() => parseStartScript("FOO=1 tsx main.ts")).toThrow("npm start runs tsx, not node");
  });

  it("npm start caps glibc's allocator arenas and sizes V8's heap (the RSS target is measured so)", () => {
    expect(startEnv()).toEqual({ MALLOC_ARENA_MAX: "2" });
    expect(startHeapOptions()).toEqual(["--max-semi-space-size=4", "--heap-growing-percent=50"]);
  });
});
