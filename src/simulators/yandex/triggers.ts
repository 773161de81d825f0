/**
 * A queue's triggers, as `connect-webhooks` uses them: `GET|POST /v2/queues/{queue}/triggers`
 * and `PATCH /v2/queues/{queue}/triggers/{id}?version=N` (the docs' "Updating a trigger":
 * the version is the trigger's current one; a stale one is refused with 409).
 */
import { matchPath } from "../shared/admin.js";
import type { SimReply, SimRequest } from "../shared/http-server.js";
import { yandexError } from "./render.js";

const TRIGGERS = /^\/(v[23])\/queues\/([^/]+)\/triggers$/;
const TRIGGER = /^\/(v[23])\/queues\/([^/]+)\/triggers\/([^/]+)$/;

export interface SimTrigger {
  id: number;
  name: string;
  actions: unknown[];
  conditions: unknown[];
  active: boolean;
  version: number;
}

const error = (status: number, message: string, errors?: Record<string, string>): SimReply => ({
  status,
  body: yandexError(status, message ? [message] : [], errors),
});

export function handleTriggers(
  req: SimRequest,
  all: Map<string, SimTrigger[]>,
): SimReply | undefined {
  const list = matchPath(req.path, TRIGGERS);
  if (list) return queueTriggers(req, all, list[1]!);
  const one = matchPath(req.path, TRIGGER);
  if (one) return updateTrigger(req, all, one[1]!, one[2]!);
  return undefined;
}

/** A trigger needs a name and at least one action; a Webhook action an endpoint and a method. */
function invalid(body: Record<string, unknown>): SimReply | undefined {
  const errors: Record<string, string> = {};
  if (typeof body.name !== "string" || body.name === "") errors.name = "Required field";
  const actions = Array.isArray(body.actions) ? body.actions : [];
  if (actions.length === 0) errors.actions = "At least one action is required";
  for (const action of actions) {
    if (!isObject(action) || action.type !== "Webhook") continue;
    if (typeof action.endpoint !== "string" || typeof action.method !== "string")
      errors.actions = "A Webhook action needs an endpoint and a method";
  }
  return Object.keys(errors).length > 0 ? error(422, "", errors) : undefined;
}

function queueTriggers(req: SimRequest, all: Map<string, SimTrigger[]>, queue: string): SimReply {
  if (!/^[A-Z][A-Z0-9_]*$/.test(queue)) return error(404, `Queue ${queue} does not exist.`);
  const list = all.get(queue) ?? [];
  if (req.method === "GET") return { status: 200, body: list };
  if (req.method !== "POST") return error(405, "Method not allowed");
  const body = isObject(req.body) ? req.body : {};
  const refused = invalid(body);
  if (refused) return refused;
  let next = 1;
  for (const triggers of all.values()) next += triggers.length;
  const trigger: SimTrigger = {
    id: next,
    name: body.name as string,
    actions: body.actions as unknown[],
    conditions: Array.isArray(body.conditions) ? body.conditions : [],
    active: body.active !== false,
    version: 1,
  };
  all.set(queue, [...list, trigger]);
  // The real API answers with the whole trigger, header values included.
  return { status: 201, body: { ...trigger, queue: { key: queue } } };
}

/** Replaces the fields given; the version must be the trigger's current one. */
function updateTrigger(
  req: SimRequest,
  all: Map<string, SimTrigger[]>,
  queue: string,
  id: string,
): SimReply {
  if (req.method !== "PATCH") return error(405, "Method not allowed");
  const list = all.get(queue) ?? [];
  const trigger = list.find((t) => String(t.id) === id);
  if (!trigger) return error(404, `Trigger ${id} does not exist.`);
  if (req.query.get("version") !== String(trigger.version)) {
    return error(409, `Trigger ${id} was changed: its version is ${trigger.version}`);
  }
  const body = isObject(req.body) ? req.body : {};
  const updated: SimTrigger = {
    ...trigger,
    ...(typeof body.name === "string" ? { name: body.name } : {}),
    ...(Array.isArray(body.actions) ? { actions: body.actions } : {}),
    ...(Array.isArray(body.conditions) ? { conditions: body.conditions } : {}),
    ...(typeof body.active === "boolean" ? { active: body.active } : {}),
    version: trigger.version + 1,
  };
  const refused = invalid(updated as unknown as Record<string, unknown>);
  if (refused) return refused;
  all.set(
    queue,
    list.map((t) => (t === trigger ? updated : t)),
  );
  return { status: 200, body: { ...updated, queue: { key: queue } } };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
