/**
 * A Yandex Tracker API v2 simulator on loopback for tests, the demo and benchmarks.
 *
 * @example
 * const sim = await startYandexSimulator({ token: "t0k", orgId: "42" });
 * sim.createIssue("PROJ-1");
 * // createTracker({ name: "yandex", type: "yandex", url: sim.url, token: "t0k", orgId: "42" })
 * await sim.close();
 */
import type { IncomingHttpHeaders } from "node:http";
import { createAdmin, type SimField, type TrackerSimulator } from "../shared/admin.js";
import { type SimReply, startHttpSimulator } from "../shared/http-server.js";
import { IssueStore } from "../shared/store.js";
import { defaultYandexWorkflow } from "../shared/workflow.js";
import { yandexError } from "./render.js";
import { handleYandex } from "./routes.js";
import type { SimTrigger } from "./triggers.js";

export interface YandexSimulatorOptions {
  token: string;
  /** When set, requests must carry `X-Org-ID: <orgId>` (or the cloud header below). */
  orgId?: string;
  /** When set, requests may carry `X-Cloud-Org-ID: <cloudOrgId>`. */
  cloudOrgId?: string;
  port?: number;
}

export type YandexSimulator = TrackerSimulator & {
  /** The triggers created in a queue through the API. */
  triggers(queue: string): SimTrigger[];
};

/** Top-level fields PATCH accepts by default; anything else answers 400 "Field not found". */
export function defaultYandexFields(): SimField[] {
  return [
    { id: "summary", name: "Summary" },
    { id: "description", name: "Description" },
    { id: "tags", name: "Tags" },
    { id: "storyPoints", name: "Story Points", type: "number" },
    { id: "benchLink", name: "Bench link" },
    { id: "resolvedBy", name: "Resolved by", settable: false },
  ];
}

export async function startYandexSimulator(
  options: YandexSimulatorOptions,
): Promise<YandexSimulator> {
  const store = new IssueStore(defaultYandexWorkflow);
  const fields = new Map<string, SimField>();
  const triggers = new Map<string, SimTrigger[]>();
  const http = await startHttpSimulator({
    port: options.port,
    errorBody: (status, message) => yandexError(status, [message]),
    handle: (req) =>
      authorize(req.headers, options) ?? handleYandex(req, { store, fields, triggers }),
  });
  return Object.assign(createAdmin(http, store, fields, defaultYandexFields), {
    triggers: (queue: string) => structuredClone(triggers.get(queue) ?? []),
  });
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function authorize(
  headers: IncomingHttpHeaders,
  options: YandexSimulatorOptions,
): SimReply | undefined {
  const match = /^(OAuth|Bearer) (.+)$/.exec(header(headers, "authorization") ?? "");
  if (!match || match[2] !== options.token) {
    return { status: 401, body: yandexError(401, ["Not authorized"]) };
  }
  if (options.orgId === undefined && options.cloudOrgId === undefined) return undefined;
  const orgOk = options.orgId !== undefined && header(headers, "x-org-id") === options.orgId;
  const cloudOk =
    options.cloudOrgId !== undefined && header(headers, "x-cloud-org-id") === options.cloudOrgId;
  if (orgOk || cloudOk) return undefined;
  // The body observed from the real API for a wrong or missing org header.
  return {
    status: 403,
    body: {
      ...(yandexError(403, ["Organization is not available, not ready or not found"]) as object),
      errorCode: 620345,
    },
  };
}
