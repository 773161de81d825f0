/**
 * The Productboard simulator's plugin integrations, as the Public API v1 keeps them
 * (`X-Version: 1`): `POST /plugin-integrations` with `{ data: { type, name, integrationStatus,
 * initialState: { label }, action: { url, version, headers: { authorization } } } }` creates
 * one, answered 201 with its `data.id`; `GET /plugin-integrations` lists them and `GET
 * /plugin-integrations/{id}` reads one (404 when there is none).
 *
 * An enabled integration is kept only once its action URL passes Productboard's probe (`GET
 * <url>?validationToken=…`, the token echoed as text); a disabled one is not probed. `action`
 * is write-only: no answer carries it, so the authorization header never comes back. Sources:
 * the v1 plugin-integrations pages (the body's fields, `X-Version: 1`, the probe) and
 * developer.productboard.com/reference/createpluginintegration (v2: the disabled state skips
 * the probe; `action` write-only; assumed of v1 too). Not in the public pages, so chosen here:
 * the probe's failure is a 400, and a missing `initialState` takes the integration's name.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { SimReply, SimRequest } from "../shared/http-server.js";

export interface SimIntegration {
  id: string;
  type: string;
  name: string;
  integrationStatus: "enabled" | "disabled";
  initialState: { label: string };
  /** Write-only: what Productboard calls when a button is pressed. */
  action: { url: string; version: number; authorization?: string };
}

export type IntegrationInput = Omit<SimIntegration, "id" | "integrationStatus" | "initialState"> &
  Partial<Pick<SimIntegration, "integrationStatus" | "initialState">>;

type ErrorReply = (status: number, title: string, detail?: string) => SimReply;

export interface IntegrationRegistry {
  /** Probes the action URL (unless disabled) and keeps the integration; throws if the probe fails. */
  register(input: IntegrationInput, id?: string): Promise<SimIntegration>;
  get(id: string): SimIntegration | undefined;
  /** The integration created last: the one whose button the simulator's PM presses. */
  latest(): SimIntegration | undefined;
  /** `/plugin-integrations` and `/plugin-integrations/{id}`. */
  route(req: SimRequest, id: string | undefined): SimReply | Promise<SimReply>;
}

export function createIntegrationRegistry(error: ErrorReply): IntegrationRegistry {
  const integrations = new Map<string, SimIntegration>();
  let latest: SimIntegration | undefined;

  async function register(input: IntegrationInput, id = randomUUID()): Promise<SimIntegration> {
    const integration: SimIntegration = {
      integrationStatus: "enabled",
      initialState: { label: input.name },
      ...input,
      id,
    };
    if (integration.integrationStatus === "enabled") await probe(integration.action.url);
    integrations.set(id, integration);
    latest = integration;
    return integration;
  }

  const json = ({ action: _writeOnly, ...integration }: SimIntegration, origin: string) => ({
    ...integration,
    links: { self: `${origin}/plugin-integrations/${integration.id}` },
  });

  async function create(req: SimRequest): Promise<SimReply> {
    const parsed = readInput(req.body);
    if (typeof parsed === "string") return error(400, "Bad Request", parsed);
    try {
      const integration = await register(parsed);
      return { status: 201, body: { data: json(integration, req.origin) } };
    } catch (failed) {
      return error(400, "Bad Request", String((failed as Error).message));
    }
  }

  function route(req: SimRequest, id: string | undefined): SimReply | Promise<SimReply> {
    if (id === undefined) {
      if (req.method === "POST") return create(req);
      if (req.method !== "GET") return error(405, "Method Not Allowed");
      const data = [...integrations.values()].map((i) => json(i, req.origin));
      return { status: 200, body: { data, links: { next: null } } };
    }
    const integration = integrations.get(id);
    if (!integration) return error(404, "Not Found", "Plugin integration not found");
    if (req.method !== "GET") return error(405, "Method Not Allowed");
    return { status: 200, body: { data: json(integration, req.origin) } };
  }

  return { register, get: (id) => integrations.get(id), latest: () => latest, route };
}

/** Productboard's check that the action URL is meant to receive its calls. */
async function probe(url: string): Promise<void> {
  const token = randomBytes(16).toString("hex");
  const target = new URL(url);
  target.searchParams.set("validationToken", token);
  const answer = await fetch(target).catch((cause: unknown) => {
    throw new Error(`the action URL's probe failed: ${String(cause)}`);
  });
  const echoed = await answer.text();
  if (answer.status !== 200 || echoed !== token)
    throw new Error(`the action URL's probe failed: ${answer.status} ${echoed.slice(0, 100)}`);
}

/** The create request's `data`, or what is wrong with it. */
function readInput(body: unknown): IntegrationInput | string {
  const data = (body as { data?: Record<string, unknown> } | undefined)?.data;
  if (typeof data !== "object" || data === null) return "data is required";
  const { type, name, integrationStatus, initialState, action } = data as {
    type?: unknown;
    name?: unknown;
    integrationStatus?: unknown;
    initialState?: { label?: unknown };
    action?: { url?: unknown; version?: unknown; headers?: { authorization?: unknown } };
  };
  if (typeof type !== "string" || type === "") return "data.type is required";
  if (typeof name !== "string" || name === "") return "data.name is required";
  if (
    integrationStatus !== undefined &&
    integrationStatus !== "enabled" &&
    integrationStatus !== "disabled"
  )
    return "data.integrationStatus must be enabled or disabled";
  if (initialState !== undefined && typeof initialState?.label !== "string")
    return "data.initialState.label must be a string";
  if (typeof action?.url !== "string" || !URL.canParse(action.url))
    return "data.action.url must be a URL";
  if (action.version !== 1) return "data.action.version must be 1";
  const authorization = action.headers?.authorization;
  if (authorization !== undefined && typeof authorization !== "string")
    return "data.action.headers.authorization must be a string";
  return {
    type,
    name,
    ...(integrationStatus ? { integrationStatus } : {}),
    ...(initialState ? { initialState: { label: initialState.label as string } } : {}),
    action: {
      url: action.url,
      version: 1,
      ...(authorization === undefined ? {} : { authorization }),
    },
  };
}
