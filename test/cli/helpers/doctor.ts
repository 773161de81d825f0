/** `trackbridge doctor` run in-process, as the doctor tests read it. */
import { expect } from "vitest";
import { addDoctorCommand } from "../../../src/cli/doctor-command.js";
import type { DoctorCheck } from "../../../src/doctor/check.js";
import { runInProcess } from "./run-in-process.js";

/**
 * Runs `doctor --json` and then `doctor` (the lines people read) with `env`, and fails the test
 * if either prints one of `secrets`.
 *
 * @example
 * const result = await runDoctor({ ...env, TRACKER_TOKEN: "wrong" }, [KEY]);
 * expect(result.check("tracker linear: token").status).toBe("fail");
 */
export async function runDoctor(
  env: Record<string, string | undefined>,
  secrets: readonly string[],
) {
  const run = (args: string[]) =>
    runInProcess(["doctor", ...args], [(program, io) => addDoctorCommand(program, io, env)]);
  const json = await run(["--json"]);
  const human = await run([]);
  for (const text of [json.stdout, json.stderr, human.stdout, human.stderr]) {
    for (const secret of secrets) expect(text).not.toContain(secret);
  }
  const { ok, checks } = JSON.parse(json.stdout) as { ok: boolean; checks: DoctorCheck[] };
  const check = (name: string) => {
    const found = checks.find((c) => c.name === name);
    if (!found) throw new Error(`no check named "${name}" in ${checks.map((c) => c.name)}`);
    return found;
  };
  return {
    code: json.code,
    ok,
    checks,
    /** What `--json` printed. */
    json: json.stdout,
    human: human.stdout,
    humanStderr: human.stderr,
    humanCode: human.code,
    check,
  };
}
