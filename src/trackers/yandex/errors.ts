/**
 * Yandex Tracker error bodies: `{"errors":{"<field>":"<msg>"},"errorMessages":["…"],"statusCode":N}`
 * (the official Python client reads the same three keys). The HTTP layer turns status codes
 * into `TrackerError`s; this only pulls out the tracker's own words.
 */
import { formatErrorBody } from "../http.js";

/** Observed for a wrong or missing X-Org-ID / X-Cloud-Org-ID. */
const ORG_NOT_AVAILABLE = 620345;

export function readYandexError(body: unknown): string {
  const message = formatErrorBody(body);
  const code =
    typeof body === "object" && body !== null
      ? (body as { errorCode?: unknown }).errorCode
      : undefined;
  return code === ORG_NOT_AVAILABLE
    ? `${message} (check the connection's orgId / cloudOrgId)`
    : message;
}
