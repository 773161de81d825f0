/**
 * A Productboard simulator on loopback, held to the facts in the shared reference
 * (trackers-next.md §3.7) and the Public API's v1 pages: Bearer token and `X-Version: 1` on
 * every call; `GET` and `PATCH /features/{id}` (status set by name or id); the plugin
 * integrations (`POST`/`GET /plugin-integrations`, `GET /plugin-integrations/{id}`:
 * integrations.ts) and their connections (`PUT`/`DELETE
 * /plugin-integrations/{id}/connections/{featureId}`, states connected | error | progress,
 * `initial` when none); 50 requests a second per token, then 429 with `Retry-After`. The PM's
 * side is the admin: `createIntegration` registers one as `POST /plugin-integrations` does
 * (probing the action URL with `?validationToken=`); `push` and `unlink` press the button of
 * the integration created last, calling its action URL with its `authorization` header.
 *
 * @example
 * const pb = await startProductboardSimulator({ token: "pb-token" });
 * const feature = pb.createFeature({ name: "SSO login" });
 * await pb.createIntegration({ url: `${app}/api/productboard/plugin`, authorization: "s3cret" });
 * await pb.push(feature.id); // → { status: 200, body: { data: { connection: { state: "progress" } } } }
 */
import { randomUUID } from "node:crypto";
import {
  type HttpSimulator,
  type SimReply,
  type SimRequest,
  startHttpSimulator,
} from "../shared/http-server.js";
import { createIntegrationRegistry } from "./integrations.js";

export interface SimFeature {
  id: string;
  name: string;
  description: string;
  status: { id: string; name: string };
}

export interface SimConnection {
  state: "initial" | "progress" | "connected" | "error";
  [field: string]: unknown;
}

export interface ProductboardSimulatorOptions {
  token: string;
  /** Feature statuses of the workspace; the first is a new feature's. */
  statuses?: string[];
  port?: number;
}

/** Requests a second per token before 429, as Productboard counts them. */
const PER_SECOND = 50;
const CONNECTION_STATES = new Set(["connected", "error", "progress", "initial"]);

export type ProductboardSimulator = Pick<
  HttpSimulator,
  "url" | "requests" | "resetRequests" | "injectFaults" | "clearFaults" | "setLatency" | "close"
> & {
  createFeature(input: { name: string; description?: string; status?: string }): SimFeature;
  feature(id: string): SimFeature;
  connection(featureId: string): SimConnection;
  /** Registers a plugin integration as `POST /plugin-integrations` does (after the probe). */
  createIntegration(action: {
    url: string;
    authorization: string;
    /** The id to give it (a test's connections file names it before the App starts). */
    id?: string;
  }): Promise<{ id: string }>;
  /** Presses the feature's button: the call Productboard makes to the action URL. */
  push(featureId: string, authorization?: string): Promise<{ status: number; body: unknown }>;
  unlink(featureId: string): Promise<{ status: number; body: unknown }>;
  /** Requests refused with 429 because the per-second budget was spent. */
  readonly refusedForRate: number;
};

export async function startProductboardSimulator(
  options: ProductboardSimulatorOptions,
): Promise<ProductboardSimulator> {
  const statuses = (options.statuses ?? ["New idea", "Planned", "In progress", "Released"]).map(
    (name) => ({ id: randomUUID(), name }),
  );
  const features = new Map<string, SimFeature>();
  const connections = new Map<string, SimConnection>();
  /** Bumped by every API write of a feature's connection. */
  const writes = new Map<string, number>();
  const recent: number[] = [];
  let refusedForRate = 0;

  const error = (status: number, title: string, detail = title): SimReply => ({
    status,
    body: { errors: [{ code: String(status), title, detail }] },
  });
  const integrations = createIntegrationRegistry(error);
  const featureJson = (feature: SimFeature, origin: string) => ({
    ...feature,
    links: { self: `${origin}/features/${feature.id}`, html: htmlUrl(feature.id) },
  });
  const htmlUrl = (id: string) => `https://acme.productboard.com/entity-detail/features/${id}`;

  function overBudget(): SimReply | undefined {
    const now = Date.now();
    while (recent.length > 0 && recent[0]! <= now - 1000) recent.shift();
    if (recent.length >= PER_SECOND) {
      refusedForRate += 1;
      const wait = Math.max(1, Math.ceil((recent[0]! + 1000 - now) / 1000));
      return {
        ...error(429, "Too Many Requests", "Rate limit exceeded"),
        headers: {
          "retry-after": String(wait),
          "x-ratelimit-limit": String(PER_SECOND),
          "x-ratelimit-remaining": "0",
        },
      };
    }
    recent.push(now);
    return undefined;
  }

  function handle(req: SimRequest): SimReply | Promise<SimReply> {
    if (req.headers.authorization !== `Bearer ${options.token}`) return error(401, "Unauthorized");
    if (req.headers["x-version"] !== "1")
      return error(400, "Bad Request", "X-Version header is required");
    const limited = overBudget();
    if (limited) return limited;
    const segments = req.path.split("/").filter(Boolean).map(decodeURIComponent);
    if (segments[0] === "features" && segments.length === 2) return featureRoute(req, segments[1]!);
    if (segments[0] === "plugin-integrations" && segments.length <= 2)
      return integrations.route(req, segments[1]);
    if (
      segments[0] === "plugin-integrations" &&
      segments[2] === "connections" &&
      segments.length === 4
    )
      return connectionRoute(req, segments[1]!, segments[3]!);
    return error(404, "Not Found");
  }

  function featureRoute(req: SimRequest, id: string): SimReply {
    const feature = features.get(id);
    if (!feature) return error(404, "Not Found", `Feature ${id} not found`);
    if (req.method === "GET")
      return { status: 200, body: { data: featureJson(feature, req.origin) } };
    if (req.method !== "PATCH") return error(405, "Method Not Allowed");
    const data = (req.body as { data?: { status?: { id?: unknown; name?: unknown } } })?.data;
    const wanted = data?.status;
    if (wanted) {
      const status = statuses.find((s) => s.id === wanted.id || s.name === wanted.name);
      if (!status) return error(422, "Unprocessable Entity", "Status not found");
      feature.status = status;
    }
    return { status: 200, body: { data: featureJson(feature, req.origin) } };
  }

  function connectionRoute(req: SimRequest, integrationId: string, featureId: string): SimReply {
    if (!integrations.get(integrationId))
      return error(404, "Not Found", "Plugin integration not found");
    if (!features.has(featureId)) return error(404, "Not Found", `Feature ${featureId} not found`);
    writes.set(featureId, (writes.get(featureId) ?? 0) + 1);
    if (req.method === "DELETE") {
      connections.delete(featureId);
      return { status: 204 };
    }
    if (req.method !== "PUT") return error(405, "Method Not Allowed");
    const connection = (req.body as { data?: { connection?: SimConnection } })?.data?.connection;
    if (!connection || !CONNECTION_STATES.has(connection.state))
      return error(
        400,
        "Bad Request",
        "data.connection.state must be connected, error, progress or initial",
      );
    if (connection.state === "initial") connections.delete(featureId);
    else connections.set(featureId, { ...connection });
    return { status: 200, body: { data: { connection } } };
  }

  const http = await startHttpSimulator({
    ...(options.port !== undefined ? { port: options.port } : {}),
    handle,
    errorBody: (status, message) => ({ errors: [{ code: String(status), title: message }] }),
  });

  async function call(featureId: string, trigger: string, authorization?: string) {
    const integration = integrations.latest();
    if (!integration) throw new Error("no plugin integration: createIntegration first");
    if (integration.integrationStatus !== "enabled")
      throw new Error("the plugin integration is disabled: Productboard shows no button");
    const before = writes.get(featureId) ?? 0;
    const sent = authorization ?? integration.action.authorization;
    const response = await fetch(integration.action.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(sent === undefined ? {} : { authorization: sent }),
      },
      body: JSON.stringify({
        data: {
          trigger,
          integrationId: integration.id,
          feature: { id: featureId, links: { html: htmlUrl(featureId) } },
        },
      }),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {}
    // The button shows the state answered, unless the API set one since the call went out.
    const answered = (body as { data?: { connection?: SimConnection } }).data?.connection;
    if (response.status === 200 && answered && (writes.get(featureId) ?? 0) === before) {
      if (answered.state === "initial") connections.delete(featureId);
      else connections.set(featureId, answered);
    }
    return { status: response.status, body };
  }

  return {
    url: http.url,
    get requests() {
      return http.requests;
    },
    resetRequests: http.resetRequests,
    injectFaults: http.injectFaults,
    clearFaults: http.clearFaults,
    setLatency: http.setLatency,
    close: http.close,
    get refusedForRate() {
      return refusedForRate;
    },
    createFeature({ name, description = "", status }) {
      const feature: SimFeature = {
        id: randomUUID(),
        name,
        description,
        status: statuses.find((s) => s.name === status) ?? statuses[0]!,
      };
      features.set(feature.id, feature);
      return feature;
    },
    feature(id) {
      const feature = features.get(id);
      if (!feature) throw new Error(`no feature ${id}`);
      return feature;
    },
    connection: (featureId) => connections.get(featureId) ?? { state: "initial" },
    async createIntegration({ url, authorization, id }) {
      const action = { url, version: 1, authorization };
      const input = { type: "com.trackbridge.simulator", name: "trackbridge", action };
      return { id: (await integrations.register(input, id)).id };
    },
    push: (featureId, authorization) => call(featureId, "button.push", authorization),
    unlink: (featureId) => call(featureId, "button.unlink"),
  };
}
