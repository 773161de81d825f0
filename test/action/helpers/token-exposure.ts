/**
 * What the Action tests check on every run of the bundle. The runner itself (env, payload,
 * output and summary files, the child process) is src/simulators/runner/run-action.ts, which
 * the demo runs too.
 */
import type { ActionRun } from "../../../src/simulators/runner/run-action.js";

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
