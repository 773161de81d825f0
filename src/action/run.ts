/**
 * The Action's composition root: the one place that reads inputs, writes outputs and the job
 * summary, and fails the step. Everything it talks to comes in through `RunDeps`, so tests
 * run it in-process too; the runner gets `actionsRunDeps()` (@actions/core, process.env).
 */
import type { KeyStyle } from "../core/types.js";
import type { TrackerConnection } from "../trackers/connection.js";
import { kindOf } from "../trackers/kinds.js";
import type { Tracker } from "../trackers/port.js";
import { actionsRunDeps } from "./actions-deps.js";
import {
  type BranchIssues,
  describeNoBranchIssue,
  describeUnconfirmed,
} from "./confirm-branch-issue.js";
import {
  type DeployTarget,
  describeDeployTarget,
  describeMissingKey,
  discoverKeys,
} from "./discover-keys.js";
import { executePlans } from "./execute-plans.js";
import { type ActionInputs, INPUT_NAMES, parseInputs } from "./inputs.js";
import { planUpdate } from "./plan-update.js";
import type { RunnerEnv } from "./runner-env.js";
import { plannedRow, renderSummary, type SummaryRow } from "./summary.js";

/** The parts of @actions/core the Action uses. */
export interface ActionIO {
  getInput(name: string): string;
  setSecret(secret: string): void;
  setOutput(name: string, value: string): void;
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  setFailed(message: string): void;
  writeSummary(markdown: string): Promise<void>;
}

export interface RunDeps {
  io: ActionIO;
  env: RunnerEnv;
  readFile(path: string): Promise<string>;
  createTracker(connection: TrackerConnection): Tracker;
  /** Monotonic milliseconds, for the retry deadline. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** Never rejects: whatever goes wrong fails the step with a message, even a thrown string. */
export async function run(deps: RunDeps = actionsRunDeps()): Promise<void> {
  try {
    await execute(deps);
  } catch (error) {
    deps.io.setFailed(error instanceof Error ? error.message : String(error));
  }
}

async function execute(deps: RunDeps): Promise<void> {
  const { io } = deps;
  const parsed = parseInputs(readRawInputs(io), {
    repository: deps.env.repository,
    serverUrl: deps.env.serverUrl,
  });
  if (!parsed.ok) {
    io.setFailed(parsed.errors.join("\n"));
    return;
  }
  const inputs = parsed.inputs;
  const target = describeDeployTarget(deps.env, await readPayload(deps, inputs));
  const style = keyStyle(inputs, deps.env.repository);
  const { keys, notes, fromBranchOnly } = findKeys(inputs, target, io, style);
  const project = inputs.connection.project;
  // A GitHub project's key from a branch alone is a bare number: confirmed before any write.
  const toConfirm: BranchIssues | undefined =
    style && project && target.branch !== undefined
      ? {
          keys: new Set(fromBranchOnly),
          where: { branch: target.branch, project: `${project.owner}/${project.number}` },
        }
      : undefined;

  if (keys.length === 0) {
    const message = describeMissingKey(target, inputs.projects, style !== undefined);
    setOutputs(io, [], 0);
    await writeSummary(deps, inputs, [], [...notes, message]);
    if (inputs.failOnMissingKey) io.setFailed(message);
    else io.warning(message);
    return;
  }

  const plans = planUpdate({
    keys,
    field: inputs.field,
    value: inputs.value,
    status: inputs.status,
    fixVersion: inputs.fixVersion,
    comment: inputs.comment,
    context: {
      sha: target.sha ?? "",
      branch: target.branch ?? "",
      run_url: deps.env.runUrl ?? "",
      actor: deps.env.actor ?? "",
    },
  });

  if (inputs.dryRun) {
    const rows = plans.flatMap((plan) => plan.actions.map((action) => plannedRow(action)));
    for (const row of rows) io.info(`dry run: ${row.key}: ${row.result}`);
    const unchecked = toConfirm ? describeUnconfirmed(toConfirm) : [];
    for (const note of unchecked) io.info(note);
    setOutputs(io, keys, 0);
    await writeSummary(deps, inputs, rows, [...notes, ...unchecked]);
    return;
  }

  const outcome = await executePlans(plans, {
    tracker: deps.createTracker(inputs.connection),
    connection: inputs.connection,
    budget: {
      deadline: deps.now() + inputs.retryTimeoutMs,
      totalMs: inputs.retryTimeoutMs,
      now: deps.now,
      sleep: deps.sleep,
      log: (message: string) => io.info(message),
    },
    log: (message) => io.info(message),
    ...(toConfirm ? { branchIssues: toConfirm } : {}),
  });
  const notFound = new Set(outcome.notFound.map((skip) => skip.key));
  const written = keys.filter((key) => !notFound.has(key));
  const reasons = outcome.notFound.map((skip) => skip.why);
  // Every key was a branch's issue that is not on the project: as if no key had been found.
  const missing =
    written.length === 0 && reasons.length > 0 ? describeNoBranchIssue(reasons) : undefined;
  setOutputs(io, written, outcome.updated);
  await writeSummary(deps, inputs, outcome.rows, [
    ...notes,
    ...(missing ? [missing] : reasons.map((reason) => `Not updated: ${reason}`)),
  ]);
  if (missing) {
    if (inputs.failOnMissingKey) io.setFailed(missing);
    else io.warning(missing);
    return;
  }
  for (const reason of reasons) io.warning(`Not updated: ${reason}`);
  const failedKeys = [...new Set(outcome.failures.map((failure) => failure.key))];
  if (outcome.failures.length === 1) {
    io.setFailed(outcome.failures[0]!.message);
  } else if (outcome.failures.length > 1) {
    for (const failure of outcome.failures) io.error(failure.message);
    io.setFailed(
      `${failedKeys.length} of ${keys.length} issues were not fully updated: ${failedKeys.join(", ")} (see the errors above)`,
    );
  }
}

/** Reads every declared input; the token is masked before anything else can log it. */
function readRawInputs(io: ActionIO): Record<string, string> {
  const raw = Object.fromEntries(INPUT_NAMES.map((name) => [name, io.getInput(name)]));
  const token = raw.token ?? "";
  if (token !== "") {
    io.setSecret(token);
    // Jira Cloud sends it as Basic base64(email:token); mask that form too.
    const email = (raw.email ?? "").trim();
    if (email !== "") io.setSecret(Buffer.from(`${email}:${token}`).toString("base64"));
  }
  return raw;
}

async function readPayload(deps: RunDeps, inputs: ActionInputs): Promise<unknown> {
  const path = deps.env.eventPath;
  if (path === undefined) return undefined;
  let text: string;
  try {
    text = await deps.readFile(path);
  } catch (error) {
    // Explicit keys need no discovery; the payload would only have filled {sha} and {branch}.
    if (inputs.issueKeys !== undefined) return undefined;
    throw new Error(`could not read the event payload ${path}: ${describe(error)}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`the event payload ${path} is not JSON: ${describe(error)}`);
  }
}

/**
 * Whether the tracker's keys are GitHub's (a GitHub project's are the repository's issues, read
 * from its issue branches too), decided once a run; outside a runner, with no repository, a bare
 * #12 stays bare and is not found.
 */
function keyStyle(inputs: ActionInputs, repository: string | undefined): KeyStyle | undefined {
  if (kindOf(inputs.connection.type).keys.style !== "github") return undefined;
  return { kind: "github", repo: repository ?? "", branches: true };
}

function findKeys(
  inputs: ActionInputs,
  target: DeployTarget,
  io: ActionIO,
  style: KeyStyle | undefined,
): { keys: string[]; notes: string[]; fromBranchOnly: string[] } {
  if (inputs.issueKeys !== undefined) {
    io.info(`Issue keys from the issue-key input: ${inputs.issueKeys.join(", ")}`);
    return { keys: inputs.issueKeys, notes: [], fromBranchOnly: [] };
  }
  const prefix = inputs.connection.keyPrefix;
  const found = discoverKeys(target, {
    projects: inputs.projects,
    ...(style ? { style } : {}),
    // A numbered tracker's keys are <prefix>-123 only; a bare #123 is GitHub's own.
    ...(prefix
      ? {
          numeric: {
            prefix: prefix.toUpperCase(),
            connection: inputs.connection.name,
            keywords: false,
          },
        }
      : {}),
  });
  const notes = [...found.notes];
  if (found.referenced.length > 0) {
    notes.push(`Only referenced, so not updated: ${found.referenced.join(", ")}`);
  }
  if (found.keys.length > 0) {
    const from = target.branch !== undefined ? `branch "${target.branch}"` : "the PR title";
    io.info(
      `Issue keys found in ${from}${target.title !== undefined ? " and the PR title" : ""}: ${found.keys.join(", ")}`,
    );
  }
  for (const note of notes) io.info(note);
  return { keys: found.keys, notes, fromBranchOnly: style ? found.fromBranchOnly : [] };
}

function setOutputs(io: ActionIO, keys: string[], updated: number): void {
  io.setOutput("issue-keys", keys.join(","));
  io.setOutput("updated", String(updated));
}

async function writeSummary(
  deps: RunDeps,
  inputs: ActionInputs,
  rows: SummaryRow[],
  notes: string[],
): Promise<void> {
  const markdown = renderSummary({
    tracker: inputs.connection.name,
    rows,
    dryRun: inputs.dryRun,
    notes,
  });
  await deps.io.writeSummary(markdown);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
