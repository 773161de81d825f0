/**
 * YouTrack error bodies: `{"error": "…", "error_description": "…"}`, and for a workflow's
 * refusal also `error_type: "workflow"`, `error_workflow_type` ("require", "runtime"),
 * `error_rule_name` and `error_field` (the attributes YouTrack's own mobile client reads;
 * https://www.jetbrains.com/help/youtrack/devportal/api-troubleshoot-updating-conditional-field.html
 * shows the `error`/`error_description` pair and `error_children`).
 */

import type { TrackerErrorKind } from "../errors.js";
import { asObject, text } from "../json.js";

export function readYouTrackError(body: unknown): string {
  const error = asObject(body);
  const description = text(error.error_description) || text(error.error);
  const rule = text(error.error_rule_name);
  // The description is the rule's own message; the rule's name says where to look.
  return rule && !description.includes(rule)
    ? `${description} (workflow rule "${rule}")`
    : description;
}

/**
 * A workflow refused the change: YouTrack has no transitions list to consult first, so this
 * is how an undefined transition shows. It is permanent (asking again changes nothing) and
 * says more than "invalid": the move itself is not allowed from here.
 */
export function classifyYouTrackError(status: number, body: unknown): TrackerErrorKind | undefined {
  return status === 400 && asObject(body).error_type === "workflow" ? "no_transition" : undefined;
}
