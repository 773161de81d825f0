import { describe, expect, it } from "vitest";
import { runBin } from "./helpers/run-bin.js";

const BODY = [
  "Fixes PROJ-1, refs OPS-2 and OPS-3.",
  "```",
  "CODE-4 in a fence",
  "```",
  "> QUOTE-5 in a quote",
  "<!-- TEMPLATE-6 in a comment -->",
  "UTF-8 and proj-7",
].join("\n");

describe("trackbridge keys (the real bin, in a child process)", () => {
  it.each<[string, string[], string, string]>([
    ["a branch name", ["keys", "--branch", "feature/proj-123-login"], "", "PROJ-123\n"],
    ["a branch with two keys", ["keys", "--branch", "proj-1-and-ops-2"], "", "PROJ-1\nOPS-2\n"],
    ["a branch with no key", ["keys", "--branch", "renovate/node-20.x"], "", ""],
    [
      "a branch through an allow-list",
      ["keys", "--branch", "proj-1-and-ops-2", "--projects", "ops"],
      "",
      "OPS-2\n",
    ],
    [
      "a branch as JSON",
      ["keys", "--branch", "feature/proj-123-login", "--json"],
      "",
      '[{"key":"PROJ-123","role":"moving"}]\n',
    ],
    ["text on stdin", ["keys"], BODY, "PROJ-1\nOPS-2\nOPS-3\n"],
    ["text with --ignore-case", ["keys", "--ignore-case"], BODY, "PROJ-1\nOPS-2\nOPS-3\nPROJ-7\n"],
    ["text through an allow-list", ["keys", "--projects", "PROJ,CODE"], BODY, "PROJ-1\n"],
    [
      "text as JSON with roles",
      ["keys", "--json"],
      BODY,
      '[{"key":"PROJ-1","role":"moving"},{"key":"OPS-2","role":"reference"},{"key":"OPS-3","role":"reference"}]\n',
    ],
    ["empty stdin", ["keys", "--json"], "", "[]\n"],
  ])("%s", async (_name, args, stdin, expected) => {
    const result = await runBin(args, stdin);
    expect(result).toEqual({ code: 0, stdout: expected, stderr: "" });
  });

  it("says on stderr when stdin was longer than what is read", async () => {
    const text = `PROJ-1 ${"x".repeat(70_000)} OPS-2`;
    const result = await runBin(["keys"], text);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("PROJ-1\n");
    expect(result.stderr).toBe(`note: stdin: read the first 65536 of ${text.length} characters\n`);
  });

  it.each<[string, string[], RegExp]>([
    [
      "an unknown option",
      ["keys", "--bogus"],
      /unknown option '--bogus'[\s\S]*Usage: trackbridge keys/,
    ],
    [
      "--branch without a value",
      ["keys", "--branch"],
      /argument missing[\s\S]*Usage: trackbridge keys/,
    ],
    [
      "a bad project list",
      ["keys", "--projects", "P Q"],
      /expected project keys[\s\S]*Usage: trackbridge keys/,
    ],
    ["an unknown command", ["kyes"], /unknown command 'kyes'[\s\S]*Usage: trackbridge/],
    ["no command", [], /Usage: trackbridge \[options\] \[command\]/],
    [
      "plan without --payload",
      ["plan", "--event", "pull_request"],
      /'--payload <file>' not specified[\s\S]*Usage: trackbridge plan/,
    ],
  ])("exits 2 with the usage on stderr for %s", async (_name, args, stderr) => {
    const result = await runBin(args);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(stderr);
  });

  it("prints help on stdout and exits 0 for --help", async () => {
    const result = await runBin(["keys", "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Usage: trackbridge keys[\s\S]*--projects <list>/);
  });
});
