/**
 * Runs the bundled Action (action/dist/index.js) as a child process the way the runner does:
 * inputs as INPUT_<NAME> (upper-cased, hyphens kept), the event as GITHUB_EVENT_NAME plus a
 * payload file, outputs and the job summary as files. The bundle is copied out of the
 * repository first, so a dependency left out of the bundle fails here as it would on a
 * runner that has no node_modules.
 */
import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

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

export interface ActionRunner {
  run(inputs: Record<string, string>, event: ActionEvent): Promise<ActionRun>;
  cleanup(): Promise<void>;
}

/** Copies the bundle to a temp dir; each `run` gets fresh output and summary files. */
export async function prepareActionRunner(): Promise<ActionRunner> {
  const dir = await mkdtemp(join(tmpdir(), "trackbridge-action-"));
  await mkdir(join(dir, "action/dist"), { recursive: true });
  await copyFile(join(ACTION_DIR, "dist/index.js"), join(dir, "action/dist/index.js"));
  await copyFile(join(ACTION_DIR, "package.json"), join(dir, "action/package.json"));
  let count = 0;

  return {
    async run(inputs, event) {
      count += 1;
      const files = {
        event: join(dir, `event-${count}.json`),
        output: join(dir, `output-${count}`),
        summary: join(dir, `summary-${count}`),
      };
      await writeFile(files.event, JSON.stringify(event.payload));
      await writeFile(files.output, "");
      await writeFile(files.summary, "");

      const env: Record<string, string> = {
        // Nothing inherited but PATH: a developer's or CI's own GITHUB_* must not leak in.
        PATH: process.env.PATH ?? "",
        GITHUB_ACTIONS: "true",
        GITHUB_EVENT_NAME: event.name,
        GITHUB_EVENT_PATH: files.event,
        GITHUB_OUTPUT: files.output,
        GITHUB_STEP_SUMMARY: files.summary,
        GITHUB_SERVER_URL: "https://github.com",
        GITHUB_REPOSITORY: "acme/web",
        GITHUB_RUN_ID: "4242",
        GITHUB_ACTOR: "octocat",
        GITHUB_SHA: "0123456789abcdef0123456789abcdef01234567",
        ...event.env,
      };
      for (const [name, value] of Object.entries(inputs)) {
        env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] = value;
      }

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

/**
 * Where `secret` shows up other than in an `::add-mask::` command (which the runner consumes
 * before anything is shown) at the very start of stdout, before any other line.
 */
export function tokenExposure(run: ActionRun, secret: string): string[] {
  const leaks: string[] = [];
  const lines = run.stdout.split("\n");
  const firstOther = lines.findIndex((line) => !line.startsWith("::add-mask::"));
  lines.forEach((line, index) => {
    if (!line.includes(secret)) return;
    if (line === `::add-mask::${secret}` && index < firstOther) return;
    leaks.push(`stdout line ${index + 1}: ${line}`);
  });
  if (run.stderr.includes(secret)) leaks.push("stderr");
  if (run.summary.includes(secret)) leaks.push("job summary");
  for (const [name, value] of Object.entries(run.outputs)) {
    if (value.includes(secret)) leaks.push(`output ${name}`);
  }
  return leaks;
}
