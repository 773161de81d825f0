/**
 * Request Tracker REST2 error bodies: `{"message": "…"}`. A PUT that RT could not apply in
 * part answers 200 with a list of result messages instead ("Ticket 7: Permission Denied"):
 * the adapter reads those after the fact (see index.ts).
 */
export function readRtError(body: unknown): string {
  const message = (body as { message?: unknown } | null)?.message;
  return typeof message === "string" ? message : "";
}

/** RT's result messages of a PUT, as one line. */
export function resultMessages(body: unknown): string {
  return Array.isArray(body) ? body.filter((m) => typeof m === "string").join("; ") : "";
}
