/** `run()`'s dependencies for in-process tests: the runner's I/O recorded, trackers over real HTTP. */
import type { ActionIO, RunDeps } from "../../../src/action/run.js";
import { readRunnerEnv } from "../../../src/action/runner-env.js";
import { createTracker } from "../../../src/trackers/create-tracker.js";

export interface Recorded {
  failed: string[];
  errors: string[];
  warnings: string[];
  infos: string[];
  outputs: Record<string, string>;
  summaries: string[];
  secrets: string[];
}

/** Inputs as `getInput` returns them ("" when absent); a push to feature/PROJ-1-x by default. */
export function inProcessDeps(inputs: Record<string, string>, overrides: Partial<RunDeps> = {}) {
  const recorded: Recorded = {
    failed: [],
    errors: [],
    warnings: [],
    infos: [],
    outputs: {},
    summaries: [],
    secrets: [],
  };
  const io: ActionIO = {
    getInput: (name) => inputs[name] ?? "",
    setSecret: (secret) => recorded.secrets.push(secret),
    setOutput: (name, value) => {
      recorded.outputs[name] = value;
    },
    info: (message) => recorded.infos.push(message),
    warning: (message) => recorded.warnings.push(message),
    error: (message) => recorded.errors.push(message),
    setFailed: (message) => recorded.failed.push(message),
    writeSummary: async (markdown) => {
      recorded.summaries.push(markdown);
    },
  };
  const runDeps: RunDeps = {
    io,
    env: readRunnerEnv({ GITHUB_EVENT_NAME: "push", GITHUB_REF_NAME: "feature/PROJ-1-x" }),
    readFile: async () => "{}",
    createTracker: (connection) => createTracker(connection, { timeoutMs: 5_000 }),
    now: () => performance.now(),
    sleep: async () => {},
    ...overrides,
  };
  return { runDeps, recorded };
}
