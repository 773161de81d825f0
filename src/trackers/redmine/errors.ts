/**
 * Redmine error bodies: validation failures are 422 `{"errors": ["Name has already been taken"]}`;
 * 401, 403 and 404 come without a body. The HTTP layer turns status codes into
 * `TrackerError`s; this pulls out Redmine's own words.
 */
export function readRedmineError(body: unknown): string {
  const errors = (body as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(errors)) return "";
  return errors.filter((e): e is string => typeof e === "string" && e !== "").join("; ");
}
