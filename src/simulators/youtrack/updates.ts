/**
 * `POST /api/issues/{id}` with `{customFields: [{name, $type, value}], summary?}`. YouTrack
 * has no transitions API: a new `State` is checked by the project's workflow, here a
 * state-machine rule built from the shared simulator workflow (the transitions leaving the
 * current state). An undefined transition is refused ("All undefined transitions between
 * states are prohibited") with a 400 whose `error_description` gives the rule. The body's
 * exact wording for a state machine was not found in YouTrack's docs: the attributes are
 * those YouTrack sends for workflow errors (`error_type: "workflow"`, `error_workflow_type`,
 * `error_rule_name`, `error_field`), the sentence is the simulator's.
 *
 * Other refusals as documented: a custom field without `$type` is a 400; a `$type` that is
 * not the field's type is a 500 ("500 Server Error When Updating a Custom Field").
 */
import type { SimReply } from "../shared/http-server.js";
import type { SimIssue } from "../shared/store.js";
import { resolveStatus, transitionsFrom } from "../shared/workflow.js";
import {
  ASSIGNEE,
  FIX_VERSIONS,
  ISSUE_TYPES,
  plainFieldType,
  type RenderContext,
  STATE,
  TYPE,
  ytError,
} from "./render.js";

/** The state-machine rule of the simulator's projects, named in its refusals. */
export const STATE_MACHINE_RULE = "state-machine";

type Json = Record<string, unknown>;

const bad = (description: string, extra: Json = {}): SimReply => ({
  status: 400,
  body: ytError("bad_request", description, extra),
});

const FIXED_TYPES: Record<string, string> = {
  [STATE]: "StateIssueCustomField",
  [TYPE]: "SingleEnumIssueCustomField",
  [FIX_VERSIONS]: "MultiVersionIssueCustomField",
  [ASSIGNEE]: "SingleUserIssueCustomField",
};

/** Applies the update, or answers why not (and then changes nothing). */
export function updateIssue(ctx: RenderContext, issue: SimIssue, body: unknown): SimReply | null {
  const update = (typeof body === "object" && body !== null ? body : {}) as Json;
  const fields = Array.isArray(update.customFields) ? (update.customFields as Json[]) : [];
  const changes: Array<() => void> = [];
  for (const field of fields) {
    const name = typeof field.name === "string" ? field.name : "";
    const plain = [...ctx.fields.values()].find((f) => f.name === name && f.settable !== false);
    const known =
      FIXED_TYPES[name] !== undefined &&
      !(name === FIX_VERSIONS && ctx.noVersions.has(issue.queue));
    if (!known && !plain) {
      return bad(`Unknown custom field "${name}" in project ${issue.queue}`);
    }
    if (typeof field.$type !== "string") {
      return bad(`Field "${name}": $type is required to update a custom field`);
    }
    const expected = known ? FIXED_TYPES[name]! : plainFieldType(plain!);
    if (field.$type !== expected) {
      return {
        status: 500,
        body: ytError("server_error", `Field "${name}" is ${expected}, not ${field.$type}`),
      };
    }
    const change =
      name === STATE
        ? changeState(ctx, issue, field.value)
        : name === TYPE
          ? changeType(issue, field.value)
          : name === FIX_VERSIONS
            ? changeVersions(ctx, issue, field.value)
            : name === ASSIGNEE
              ? changeAssignee(ctx, issue, field.value)
              : changePlain(issue, plain!.id, expected, plain!.type, field.value);
    if (typeof change !== "function") return change;
    changes.push(change);
  }
  for (const change of changes) change();
  if (typeof update.summary === "string") issue.fields.summary = update.summary;
  if (changes.length > 0 || typeof update.summary === "string") ctx.store.touch(issue);
  return null;
}

function nameOf(value: unknown): string | undefined {
  const name = (value as { name?: unknown } | null)?.name;
  return typeof name === "string" ? name : undefined;
}

function changeState(ctx: RenderContext, issue: SimIssue, value: unknown): SimReply | (() => void) {
  const workflow = ctx.store.workflowFor(issue.queue);
  const wanted = nameOf(value);
  const target = wanted === undefined ? undefined : resolveStatus(workflow, wanted);
  if (!target || target.display !== wanted) {
    return bad(`Cannot find value "${wanted ?? ""}" in the set of values for field State`);
  }
  if (target.key === issue.status) return () => {};
  const current = ctx.store.status(issue);
  const leaving = transitionsFrom(workflow, issue.status);
  const transition = leaving.find((t) => t.to === target.key);
  if (!transition) {
    const allowed = leaving.map((t) => ctx.store.statusByKey(issue.queue, t.to).display);
    return bad(
      `The "${STATE_MACHINE_RULE}" workflow rule does not allow State to change from ${current.display} to ${target.display}. From ${current.display} the State can change to: ${allowed.join(", ") || "nothing"}.`,
      {
        error_type: "workflow",
        error_workflow_type: "runtime",
        error_rule_name: STATE_MACHINE_RULE,
        error_field: STATE,
      },
    );
  }
  const missing = (transition.requiredFields ?? []).filter((f) => issue.fields[f] == null);
  if (missing.length > 0) {
    return bad(`${missing[0]} is required to move the issue to ${target.display}`, {
      error_type: "workflow",
      error_workflow_type: "require",
      error_rule_name: STATE_MACHINE_RULE,
      error_field: missing[0],
    });
  }
  return () => ctx.store.setStatus(issue, target.key);
}

/** A user is named by `login` (or unassigned with null). */
function changeAssignee(
  ctx: RenderContext,
  issue: SimIssue,
  value: unknown,
): SimReply | (() => void) {
  if (value === null) return () => ctx.store.setAssignee(issue, null);
  const login = (value as { login?: unknown } | undefined)?.login;
  if (typeof login !== "string" || !/^[\w.@-]+$/.test(login)) {
    return bad(`Cannot find user "${String(login ?? "")}" for field Assignee`);
  }
  return () => ctx.store.setAssignee(issue, login);
}

function changeType(issue: SimIssue, value: unknown): SimReply | (() => void) {
  const name = nameOf(value);
  if (!name || !ISSUE_TYPES.includes(name)) {
    return bad(`Cannot find value "${name ?? ""}" in the set of values for field Type`);
  }
  return () => {
    issue.fields[TYPE] = name;
  };
}

function changeVersions(
  ctx: RenderContext,
  issue: SimIssue,
  value: unknown,
): SimReply | (() => void) {
  if (!Array.isArray(value)) return bad(`Field "${FIX_VERSIONS}" takes a list of versions`);
  const versions = ctx.store.listVersions(issue.queue);
  const ids: string[] = [];
  for (const item of value) {
    const id = (item as { id?: unknown } | null)?.id;
    const found = versions.find((v) => v.id === id || v.name === nameOf(item));
    if (!found) {
      return bad(
        `Cannot find value "${nameOf(item) ?? String(id)}" in the set of values for field ${FIX_VERSIONS}`,
      );
    }
    ids.push(found.id);
  }
  return () => {
    issue.fixVersions = [...new Set(ids)];
  };
}

function changePlain(
  issue: SimIssue,
  id: string,
  $type: string,
  type: string | undefined,
  value: unknown,
): SimReply | (() => void) {
  if (value === null) {
    return () => {
      delete issue.fields[id];
    };
  }
  if ($type === "TextIssueCustomField") {
    const text = (value as { text?: unknown } | null)?.text;
    if (typeof text !== "string") return bad(`Field "${id}" takes {"text": "…"}`);
    return () => {
      issue.fields[id] = text;
    };
  }
  if (type === "number" ? typeof value !== "number" : typeof value !== "string") {
    return bad(`Field "${id}" takes a ${type === "number" ? "number" : "string"}`);
  }
  return () => {
    issue.fields[id] = value;
  };
}
