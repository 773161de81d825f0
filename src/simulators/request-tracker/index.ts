/**
 * A Request Tracker REST2 simulator on loopback (`/REST/2.0/…`) for tests, the demo and
 * benchmarks. Tickets are created through the shared admin surface with a key whose number
 * is the ticket id (`RT-12` is ticket 12 in queue "RT"); ids are unique across queues.
 * The default workflow is RT's "default" lifecycle (new, open, stalled, resolved, …).
 *
 * @example
 * const sim = await startRequestTrackerSimulator({ token: "1-14-abc" });
 * sim.createIssue("RT-12");
 * // createTracker({ name: "rt", type: "request-tracker", url: sim.url, token: "1-14-abc", keyPrefix: "RT" })
 * await sim.close();
 */
import type { IncomingHttpHeaders } from "node:http";
import { createAdmin, type SimField, type TrackerSimulator } from "../shared/admin.js";
import { type SimReply, startHttpSimulator } from "../shared/http-server.js";
import { numberedAdmin } from "../shared/numbered.js";
import { IssueStore } from "../shared/store.js";
import { defaultRtLifecycle } from "./lifecycle.js";
import { rtError } from "./render.js";
import { handleRt } from "./routes.js";

export interface RequestTrackerSimulatorOptions {
  /** RT::Authen::Token: `Authorization: token <T>` or `?token=<T>`. */
  token: string;
  port?: number;
}

export type RequestTrackerSimulator = TrackerSimulator & {
  /** The ticket's messages in order: internal comments and replies to the requestors. */
  messages(key: string): Array<{ type: "Comment" | "Correspond"; content: string }>;
};

/** Ticket custom fields by default: "Bench link" and "Resolved by" (no right to modify it). */
export function defaultRtFields(): SimField[] {
  return [
    { id: "3", name: "Bench link" },
    { id: "4", name: "Resolved by", settable: false },
  ];
}

export async function startRequestTrackerSimulator(
  options: RequestTrackerSimulatorOptions,
): Promise<RequestTrackerSimulator> {
  const store = new IssueStore(defaultRtLifecycle);
  const fields = new Map<string, SimField>();
  const kinds = new Map<number, "Comment" | "Correspond">();
  const user = { id: 14, Name: "trackbridge", RealName: "Track Bridge" };
  const http = await startHttpSimulator({
    port: options.port,
    errorBody: (_status, message) => rtError(message),
    handle: (req) =>
      authorize(req.headers, req.query, options) ?? handleRt(req, { store, fields, kinds, user }),
  });
  const admin = createAdmin(http, store, fields, defaultRtFields);
  const reset = admin.reset;
  return Object.assign(admin, numberedAdmin(admin, store, "Request Tracker"), {
    reset: () => {
      kinds.clear();
      reset();
    },
    messages: (key: string) =>
      store.mustFind(key).comments.map((c) => ({
        type: kinds.get(c.id) ?? ("Comment" as const),
        content: c.text,
      })),
  });
}

function authorize(
  headers: IncomingHttpHeaders,
  query: URLSearchParams,
  options: RequestTrackerSimulatorOptions,
): SimReply | undefined {
  const value = headers.authorization;
  const given = /^token (.+)$/.exec(Array.isArray(value) ? (value[0] ?? "") : (value ?? ""));
  if (given?.[1] === options.token || query.get("token") === options.token) return undefined;
  return { status: 401, body: rtError("Unauthorized") };
}
