/**
 * What the Action will do to each issue, as data (the core's `PlannedAction`): set the field,
 * then move, then comment — the bench link is on the issue before testers are told it is
 * ready. Pure; a dry run prints this plan and stops.
 */
import { createHash } from "node:crypto";
import type { PlannedAction, Trigger } from "../core/types.js";
import { type CommentPlaceholder, renderComment } from "./inputs.js";

export interface UpdateRequest {
  keys: string[];
  field: string;
  value: string;
  status: string | undefined;
  /** Added to each issue's fix versions with the App's release action (`fix_version`). */
  fixVersion?: string | undefined;
  comment: string | undefined;
  /** Values for the comment template other than {key} and {value}. */
  context: Omit<Record<CommentPlaceholder, string>, "key" | "value">;
}

/**
 * The move's trigger is only a label on the action (the App's config is keyed by it); a
 * deployment means the work is ready to be looked at.
 */
const DEPLOY_TRIGGER: Trigger = "ready";

/** The actions for one issue, in the order they run. */
export interface IssuePlan {
  key: string;
  actions: PlannedAction[];
}

/**
 * @example
 * planUpdate({ keys: ["PROJ-1"], field: "benchLink", value: "https://b", status: "readyForTest", comment: undefined, context })
 * // [{ key: "PROJ-1", actions: [
 * //   { kind: "set_field", key: "PROJ-1", field: "benchLink", value: "https://b" },
 * //   { kind: "move", key: "PROJ-1", target: "readyForTest", trigger: "ready", protect: [] }] }]
 */
export function planUpdate(request: UpdateRequest): IssuePlan[] {
  return request.keys.map((key) => {
    const actions: PlannedAction[] = [
      { kind: "set_field", key, field: request.field, value: request.value },
    ];
    if (request.fixVersion !== undefined) {
      actions.push({ kind: "fix_version", key, version: request.fixVersion });
    }
    if (request.status !== undefined) {
      actions.push({
        kind: "move",
        key,
        target: request.status,
        trigger: DEPLOY_TRIGGER,
        protect: [],
      });
    }
    if (request.comment !== undefined) {
      const text = renderComment(request.comment, {
        ...request.context,
        key,
        value: request.value,
      });
      actions.push({ kind: "comment", key, text, marker: commentMarker(key, text) });
    }
    return { key, actions };
  });
}

/**
 * Identifies a comment by its issue and text, so re-running a job (or redeploying the same
 * URL with a template that has no {sha} or {run_url}) does not post the same comment twice.
 */
function commentMarker(key: string, text: string): string {
  const digest = createHash("sha256").update(`${key}\n${text}`).digest("hex").slice(0, 16);
  // Shown under the comment, so it reads as a signature rather than a code.
  return `via trackbridge · ${digest}`;
}
