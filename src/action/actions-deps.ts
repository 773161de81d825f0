/**
 * The real dependencies of `run()` on a GitHub runner: @actions/core for inputs, outputs,
 * annotations and the job summary; process.env for the runner's variables.
 */
import { readFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import * as core from "@actions/core";
import { createTracker } from "../trackers/create-tracker.js";
import type { RunDeps } from "./run.js";
import { readRunnerEnv } from "./runner-env.js";

export function actionsRunDeps(): RunDeps {
  const env = readRunnerEnv(process.env);
  return {
    io: {
      getInput: (name) => core.getInput(name),
      setSecret: (secret) => core.setSecret(secret),
      setOutput: (name, value) => core.setOutput(name, value),
      info: (message) => core.info(message),
      warning: (message) => core.warning(message),
      error: (message) => core.error(message),
      setFailed: (message) => core.setFailed(message),
      async writeSummary(markdown) {
        // Outside a runner (a local `node action/dist/index.js`) there is no summary file.
        if (!env.hasStepSummary) return;
        await core.summary.addRaw(markdown, true).write();
      },
    },
    env,
    readFile: (path) => readFile(path, "utf8"),
    createTracker: (connection) => createTracker(connection),
    now: () => performance.now(),
    sleep: (ms) => sleep(ms),
  };
}
