/** The runner the Action's tests and the demo run the bundle in hands inputs over as GitHub's does. */
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { runnerEnv, stepInputs } from "../../src/simulators/runner/run-action.js";

const ACTION_YML = new URL("../../action/action.yml", import.meta.url);

describe("stepInputs", () => {
  it("fills each input not given with action.yml's default, and keeps the given ones", async () => {
    const metadata = parse(await readFile(ACTION_YML, "utf8"));
    expect(stepInputs({ tracker: "yandex", "dry-run": "true" }, metadata)).toEqual({
      tracker: "yandex",
      "dry-run": "true",
      "fail-on-missing-key": "false",
      "retry-timeout": "60",
    });
  });

  it("names an input action.yml does not declare", () => {
    const metadata = { inputs: { tracker: { default: "yandex" } } };
    expect(() => stepInputs({ trakcer: "jira", field: "x" }, metadata)).toThrow(
      'action.yml declares no input "trakcer", "field"',
    );
  });
});

describe("runnerEnv", () => {
  it("passes inputs as INPUT_<NAME> with hyphens kept, and no GITHUB_* of its own process", () => {
    const files = { event: "/t/event.json", output: "/t/output", summary: "/t/summary" };
    const context = {
      repository: "acme/web",
      serverUrl: "https://github.com",
      apiUrl: "http://127.0.0.1:1",
      runId: "7",
      actor: "alice",
      sha: "a".repeat(40),
    };
    const previous = process.env.GITHUB_TOKEN;
    process.env.GITHUB_TOKEN = "ghs_from_the_developer";
    try {
      const env = runnerEnv(
        { "org-id": "42", "fail-on-missing-key": "true" },
        { name: "push", payload: {}, env: { GITHUB_REF_NAME: "feature/PROJ-1" } },
        files,
        context,
      );
      expect(env).toMatchObject({
        "INPUT_ORG-ID": "42",
        "INPUT_FAIL-ON-MISSING-KEY": "true",
        GITHUB_EVENT_NAME: "push",
        GITHUB_EVENT_PATH: "/t/event.json",
        GITHUB_OUTPUT: "/t/output",
        GITHUB_STEP_SUMMARY: "/t/summary",
        GITHUB_API_URL: "http://127.0.0.1:1",
        GITHUB_REF_NAME: "feature/PROJ-1",
        GITHUB_SHA: "a".repeat(40),
      });
      expect(env.GITHUB_TOKEN).toBeUndefined();
    } finally {
      if (previous === undefined) delete process.env.GITHUB_TOKEN;
      else process.env.GITHUB_TOKEN = previous;
    }
  });
});
