/**
 * What `trackbridge doctor` reports: one line per thing the server needs, each with what was
 * found and, when it is wrong, what to do about it.
 */

/** "skip": not checked because something it depends on failed first. */
export type CheckStatus = "ok" | "warn" | "fail" | "skip";

export interface DoctorCheck {
  /** What was checked: "GitHub App", "store", "tracker yandex: token". */
  name: string;
  status: CheckStatus;
  /** What was found, in one line. */
  detail: string;
  /** What to do, when the status is warn or fail. */
  fix?: string;
}

export const ok = (name: string, detail: string): DoctorCheck => ({ name, status: "ok", detail });

export const warn = (name: string, detail: string, fix: string): DoctorCheck => ({
  name,
  status: "warn",
  detail,
  fix,
});

export const fail = (name: string, detail: string, fix: string): DoctorCheck => ({
  name,
  status: "fail",
  detail,
  fix,
});

export const skip = (name: string, detail: string): DoctorCheck => ({
  name,
  status: "skip",
  detail,
});

/** Only failures make the run fail: a warning is worth reading, not worth a red build. */
export function allWell(checks: readonly DoctorCheck[]): boolean {
  return checks.every((check) => check.status !== "fail");
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
