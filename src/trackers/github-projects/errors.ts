/**
 * GitHub's GraphQL failures as `TrackerError`s. GitHub answers most of them with HTTP 200 and
 * `errors: [{ type, path, message }]`: `NOT_FOUND` ("Could not resolve to an Issue with the
 * number of 12."), `FORBIDDEN` ("Resource not accessible by integration": the App lacks a
 * permission), `RATE_LIMITED`; a document GitHub cannot run carries no `type`. HTTP-level
 * failures (401, 403/429 rate limits, 5xx) come through the shared HTTP layer.
 */
import { kindForStatus, TrackerError, type TrackerErrorKind } from "../errors.js";

export interface GraphqlErrorEntry {
  type?: string;
  message: string;
  path?: unknown[];
}

const KINDS: Record<string, TrackerErrorKind> = {
  NOT_FOUND: "not_found",
  FORBIDDEN: "forbidden",
  RATE_LIMITED: "rate_limited",
};

/** The `errors` of a GraphQL answer ([] when it has none). */
export function graphqlErrors(body: unknown): GraphqlErrorEntry[] {
  const errors = (body as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(errors)) return [];
  return errors.map((e) => {
    const entry = e as { type?: unknown; message?: unknown; path?: unknown };
    return {
      ...(typeof entry?.type === "string" ? { type: entry.type } : {}),
      message: typeof entry?.message === "string" ? entry.message : "unknown error",
      ...(Array.isArray(entry?.path) ? { path: entry.path } : {}),
    };
  });
}

export function kindOf(error: GraphqlErrorEntry): TrackerErrorKind {
  return (error.type && KINDS[error.type]) || "invalid";
}

/** GitHub's REST-style error body (`{ message }`) for HTTP-level failures. */
export function readGitHubMessage(body: unknown): string {
  const message = (body as { message?: unknown } | null)?.message;
  return typeof message === "string" ? message : "";
}

/** What the App needs for Projects, named where a refusal is reported. */
export const PROJECTS_PERMISSION =
  'the GitHub App needs the organization permission "Projects: Read and write" (organization_projects), accepted on the installation';

/**
 * A failure getting the installation's token (the App is not installed on the project's
 * organization, GitHub is unreachable) as a `TrackerError` of the connection.
 */
export function tokenFailure(connection: string, owner: string, error: unknown): TrackerError {
  if (error instanceof TrackerError) return error;
  const status = (error as { status?: unknown } | null)?.status;
  if (typeof status === "number") {
    const kind = kindForStatus(status);
    const message =
      status === 404
        ? `the GitHub App is not installed on ${owner}, which owns the project of connection "${connection}": install it there`
        : `GitHub refused the App's installation token for ${owner} (${status})`;
    return new TrackerError(kind === "not_found" ? "forbidden" : kind, message, {
      connection,
      status,
      cause: error,
    });
  }
  return new TrackerError(
    "network",
    `could not get the App's installation token for ${owner}: ${error instanceof Error ? error.message : String(error)}`,
    { connection, cause: error },
  );
}
