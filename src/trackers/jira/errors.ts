/**
 * Jira error bodies: `{"errorMessages":["…"],"errors":{"customfield_10999":"Field '…' cannot be set. …"}}`.
 * The HTTP layer turns status codes into `TrackerError`s; this pulls out Jira's own words.
 */
import { formatErrorBody } from "../http.js";

export function readJiraError(body: unknown): string {
  return formatErrorBody(body);
}
