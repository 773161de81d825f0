/**
 * `trackbridge doctor`: checks the server's setup from the environment (and `.env`) that
 * `npm start` reads, and says how to fix each problem. Exit 0 when nothing failed, 1
 * otherwise; `--json` for scripts. No secret is ever printed (run-doctor.ts scrubs them).
 */
import type { Command } from "commander";
import type { CheckStatus, DoctorCheck } from "../doctor/check.js";
import { CliError, type CliIo } from "./io.js";

const MARK: Record<CheckStatus, string> = { ok: "✓", warn: "!", fail: "✗", skip: "-" };

/**
 * Adds `doctor` to the program.
 *
 * @example
 * // $ npx trackbridge doctor
 * // ✓ GitHub App: trackbridge (App ID 12345) at https://api.github.com
 * // ✗ webhook secret: WEBHOOK_SECRET is not set: the server refuses to start without it
 * //     fix: copy the webhook secret from the GitHub App's settings …
 */
export function addDoctorCommand(
  program: Command,
  io: CliIo,
  env: Record<string, string | undefined>,
): void {
  program
    .command("doctor")
    .description(
      "check the App's credentials, the webhook secret, the store, each tracker connection and the Productboard section",
    )
    .option("--json", 'print {"ok", "checks": [{"name","status","detail","fix"}]}')
    .action(async (flags: { json?: boolean }) => {
      const { runDoctor } = await import("../doctor/run-doctor.js");
      const checks = await runDoctor(env);
      const failed = checks.filter((check) => check.status === "fail").length;
      io.stdout.write(
        flags.json
          ? `${JSON.stringify({ ok: failed === 0, checks }, null, 2)}\n`
          : formatChecks(checks),
      );
      if (failed > 0) throw new CliError(`doctor: ${failed} check(s) failed`);
    });
}

/** One line per check, the fix indented under each warning and failure, a summary last. */
export function formatChecks(checks: readonly DoctorCheck[]): string {
  const lines = checks.flatMap((check) => [
    `${MARK[check.status]} ${check.name}: ${check.detail}`,
    ...(check.fix ? [`    fix: ${check.fix}`] : []),
  ]);
  const count = (status: CheckStatus) => checks.filter((check) => check.status === status).length;
  const failed = count("fail");
  const warned = count("warn");
  lines.push(
    "",
    failed === 0 && warned === 0 ? "All well." : `${failed} failed, ${warned} warning(s).`,
  );
  return `${lines.join("\n")}\n`;
}
