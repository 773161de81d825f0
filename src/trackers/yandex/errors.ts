/**
 * Yandex Tracker error bodies: `{"errors":{"<field>":"<msg>"},"errorMessages":["…"],"statusCode":N}`
 * (the official Python client reads the same three keys). The HTTP layer turns status codes
 * into `TrackerError`s; this only pulls out the tracker's own words.
 */
import { formatErrorBody } from "../http.js";

export function readYandexError(body: unknown): string {
  return formatErrorBody(body);
}
