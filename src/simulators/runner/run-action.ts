/**
 * A GitHub Actions runner, as far as a JavaScript action sees one: runs the bundled Action
 * (action/dist/index.js) as a child process with inputs as INPUT_<NAME> (upper-cased, hyphens
 * kept; action.yml's defaults for those not given), the event as GITHUB_EVENT_NAME plus a
 * payload file, outputs and the job summary as files. The bundle is copied out of the repository first, so a dependency left out of the
 * bundle fails here as it would on a runner that has no node_modules.
 * The Action's tests and the demo (`npm run demo`) both run it through here.
 */
import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

const ACTION_DIR = fileURLToPath(new URL("../../../action", import.meta.url));

export interface ActionRun {
  /** The process exit code: 0 passed, 1 failed. */
  code: number;
  stdout: string;
  stderr: string;
  /** Parsed from the GITHUB_OUTPUT file. */
  outputs: Record<string, string>;
  /** The GITHUB_STEP_SUMMARY file's content. */
  summary: string;
  /** `::warning::` / `::error::` workflow commands, with their messages unescaped. */
  warnings: string[];
  errors: string[];
}

export interface ActionEvent {
  name: string;
  payload: unknown;
  /** Runner variables for this event: GITHUB_HEAD_REF, GITHUB_REF_NAME, GITHUB_SHA … */
  env?: Record<string, string>;
}

/** The workflow run the Action is a step of. */
export interface RunnerContext {
  repository: string;
  serverUrl: string;
  /**
   * GITHUB_API_URL. Left unset unless given: the Action does not call GitHub, and a default
   * of api.github.com would point a future call at the real GitHub from a test.
   */
  apiUrl?: string;
  runId: string;
  actor: string;
  sha: string;
}

const DEFAULT_CONTEXT: RunnerContext = {
  repository: "acme/web",
  serverUrl: "https://github.com",
  runId: "4242",
  actor: "octocat",
  sha: "0123456789abcdef0123456789abcdef01234567",
};

/** Where one step's event payload, outputs and job summary live. */
export interface StepFiles {
  event: string;
  output: string;
  summary: string;
}

/**
 * The environment a runner gives a step: nothing inherited but PATH (a developer's or CI's
 * own GITHUB_* must not leak in), the run's GITHUB_* variables, the event's own ones, and
 * each input as INPUT_<NAME>.
 *
 * @example
 * runnerEnv({ tracker: "yandex" }, { name: "push", payload }, files, context)
 * // { PATH, GITHUB_ACTIONS: "true", GITHUB_EVENT_NAME: "push", …, INPUT_TRACKER: "yandex" }
 */
export function runnerEnv(
  inputs: Record<string, string>,
  event: ActionEvent,
  files: StepFiles,
  context: RunnerContext,
): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    GITHUB_ACTIONS: "true",
    GITHUB_EVENT_NAME: event.name,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_SERVER_URL: context.serverUrl,
    ...(context.apiUrl !== undefined ? { GITHUB_API_URL: context.apiUrl } : {}),
    GITHUB_REPOSITORY: context.repository,
    GITHUB_RUN_ID: context.runId,
    GITHUB_ACTOR: context.actor,
    GITHUB_SHA: context.sha,
    ...event.env,
  };
  for (const [name, value] of Object.entries(inputs)) {
    env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] = value;
  }
  return env;
}

/** The part of action.yml the runner reads to hand inputs over. */
interface ActionMetadata {
  inputs?: Record<string, { default?: string | number | boolean } | null>;
}

/**
 * The inputs as the runner hands them over: each given one, then the declared default of each
 * one not given. An undeclared name throws (the runner would only warn): here it is a typo.
 *
 * @example
 * stepInputs({ tracker: "yandex" }, { inputs: { tracker: {}, "dry-run": { default: "false" } } })
 * // { tracker: "yandex", "dry-run": "false" }
 */
export function stepInputs(
  given: Record<string, string>,
  metadata: ActionMetadata,
): Record<string, string> {
  const declared = metadata.inputs ?? {};
  const unknown = Object.keys(given).filter((name) => !Object.hasOwn(declared, name));
  if (unknown.length > 0) {
    throw new Error(`action.yml declares no input ${unknown.map((n) => `"${n}"`).join(", ")}`);
  }
  const inputs = { ...given };
  for (const [name, input] of Object.entries(declared)) {
    if (inputs[name] === undefined && input?.default !== undefined) {
      inputs[name] = String(input.default);
    }
  }
  return inputs;
}

export interface ActionRunner {
  run(inputs: Record<string, string>, event: ActionEvent): Promise<ActionRun>;
  cleanup(): Promise<void>;
}

/** Copies the bundle to a temp dir; each `run` gets fresh event, output and summary files. */
export async function prepareActionRunner(
  context: Partial<RunnerContext> = {},
): Promise<ActionRunner> {
  const runContext = { ...DEFAULT_CONTEXT, ...context };
  const dir = await mkdtemp(join(tmpdir(), "trackbridge-action-"));
  await mkdir(join(dir, "action/dist"), { recursive: true });
  await copyFile(join(ACTION_DIR, "dist/index.js"), join(dir, "action/dist/index.js"));
  await copyFile(join(ACTION_DIR, "package.json"), join(dir, "action/package.json"));
  const metadata = parse(await readFile(join(ACTION_DIR, "action.yml"), "utf8")) as ActionMetadata;
  let count = 0;

  return {
    async run(inputs, event) {
      count += 1;
      const files: StepFiles = {
        event: join(dir, `event-${count}.json`),
        output: join(dir, `output-${count}`),
        summary: join(dir, `summary-${count}`),
      };
      await writeFile(files.event, JSON.stringify(event.payload));
      await writeFile(files.output, "");
      await writeFile(files.summary, "");
      const env = runnerEnv(stepInputs(inputs, metadata), event, files, runContext);

      const { code, stdout, stderr } = await new Promise<{
        code: number;
        stdout: string;
        stderr: string;
      }>((done) => {
        execFile(
          process.execPath,
          [join(dir, "action/dist/index.js")],
          { env, cwd: dir, encoding: "utf8", timeout: 60_000 },
          (error, stdout, stderr) => {
            const exit = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
            done({ code: exit, stdout, stderr });
          },
        );
      });
      return {
        code,
        stdout,
        stderr,
        outputs: parseOutputFile(await readFile(files.output, "utf8")),
        summary: await readFile(files.summary, "utf8"),
        warnings: commands(stdout, "warning"),
        errors: commands(stdout, "error"),
      };
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** `name<<DELIMITER\nvalue\nDELIMITER\n`, as @actions/core writes GITHUB_OUTPUT. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[i] ?? "");
    if (!match) continue;
    const [, name, delimiter] = match;
    const value: string[] = [];
    for (i += 1; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i] ?? "");
    outputs[name!] = value.join("\n");
  }
  return outputs;
}

function commands(stdout: string, kind: "warning" | "error"): string[] {
  const prefix = `::${kind}::`;
  return stdout
    .split("\n")
    .filter((line) => line.startsWith(prefix))
    .map((line) =>
      line.slice(prefix.length).replace(/%0D/g, "\r").replace(/%0A/g, "\n").replace(/%25/g, "%"),
    );
}
