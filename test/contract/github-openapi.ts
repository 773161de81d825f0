/**
 * GitHub's official OpenAPI descriptions as a contract for the GitHub simulator:
 * `@octokit/openapi` for the REST calls the App makes, `@octokit/openapi-webhooks` for the
 * webhook payloads tests build. Each description is parsed once per test process and indexed
 * by method and path / by event and action; the REST index is also cached on disk per package
 * version (the description is 13 MB, the index a few hundred KB).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ContractCheck } from "../../src/simulators/github/contract.js";
import { graphqlProblems } from "./github-graphql.js";
import { type Schema, shapeProblems } from "./json-shape.js";

const MODULES = fileURLToPath(new URL("../../node_modules/", import.meta.url));
const METHODS = ["get", "post", "put", "patch", "delete"];

interface Operation {
  method: string;
  /** `/repos/{owner}/{repo}/check-runs`, split on `/`. */
  segments: string[];
  id: string;
  body?: Schema;
}

interface RestIndex {
  operations: Operation[];
  schemas: Record<string, Schema>;
}

interface OpenApi {
  paths?: Record<string, Record<string, OpenApiOperation>>;
  webhooks?: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, Schema> };
}

interface OpenApiOperation {
  operationId: string;
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  "x-github"?: { subcategory?: string };
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, "utf8")) as T;
}

function versionOf(pkg: string): string {
  return readJson<{ version: string }>(join(MODULES, pkg, "package.json")).version;
}

/** `#/components/schemas/x` → the schema, from the description's own components. */
function resolver(schemas: Record<string, Schema>) {
  return (ref: string): Schema => {
    const schema = schemas[ref.replace("#/components/schemas/", "")];
    if (!schema) throw new Error(`GitHub's description has no ${ref}`);
    return schema;
  };
}

/** The component schemas `roots` refer to, directly or through each other. */
function referencedSchemas(roots: unknown[], all: Record<string, Schema>): Record<string, Schema> {
  const kept: Record<string, Schema> = {};
  const visit = (node: unknown): void => {
    if (typeof node !== "object" || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string") {
        const name = value.replace("#/components/schemas/", "");
        if (!kept[name] && all[name]) {
          kept[name] = all[name];
          visit(all[name]);
        }
      } else visit(value);
    }
  };
  visit(roots);
  return kept;
}

function buildRestIndex(): RestIndex {
  const spec = readJson<OpenApi>(join(MODULES, "@octokit/openapi/generated/api.github.com.json"));
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(spec.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const body = op.requestBody?.content?.["application/json"]?.schema;
      operations.push({
        method: method.toUpperCase(),
        segments: path.split("/").filter(Boolean),
        id: op.operationId,
        ...(body ? { body } : {}),
      });
    }
  }
  const bodies = operations.map((op) => op.body);
  return { operations, schemas: referencedSchemas(bodies, spec.components.schemas) };
}

function loadRestIndex(): RestIndex {
  const cache = join(MODULES, ".cache/trackbridge");
  const file = join(cache, `github-rest-${versionOf("@octokit/openapi")}.json`);
  try {
    return readJson<RestIndex>(file);
  } catch {
    const index = buildRestIndex();
    mkdirSync(cache, { recursive: true });
    // Test processes run in parallel: write aside, then rename into place.
    const partial = `${file}.${process.pid}`;
    writeFileSync(partial, JSON.stringify(index));
    renameSync(partial, file);
    return index;
  }
}

const isParam = (segment: string) => segment.startsWith("{");
/** Parameters whose values hold slashes: a file path, a git ref. */
const SPANNING = new Set(["{path}", "{ref}"]);

/**
 * The documented operation for a request path (still percent-encoded, without `/api/v3`):
 * the template with the most literal segments wins; a trailing `{path}` or `{ref}` may span
 * several segments, as `contents/.github/trackbridge.yml` does; no other parameter may.
 */
function findOperation(ops: Operation[], method: string, raw: string[]): Operation | undefined {
  let best: Operation | undefined;
  let bestLiterals = -1;
  for (const op of ops) {
    if (op.method !== method) continue;
    const { segments } = op;
    const last = segments.length - 1;
    const spans = raw.length > segments.length && SPANNING.has(segments[last] ?? "");
    if (raw.length !== segments.length && !spans) continue;
    const fits = segments.every((part, i) => isParam(part) || part === raw[i]);
    const literals = segments.filter((part) => !isParam(part)).length;
    if (fits && literals > bestLiterals) {
      best = op;
      bestLiterals = literals;
    }
  }
  return best;
}

interface WebhookIndex {
  /** `pull_request.opened` or `push` → the payload's schema. */
  payloads: Map<string, Schema>;
  schemas: Record<string, Schema>;
}

function loadWebhookIndex(): WebhookIndex {
  const spec = readJson<OpenApi>(
    join(MODULES, "@octokit/openapi-webhooks/generated/api.github.com.json"),
  );
  const resolve = resolver(spec.components.schemas);
  const payloads = new Map<string, Schema>();
  for (const item of Object.values(spec.webhooks ?? {})) {
    const op = item.post;
    const schema = op?.requestBody?.content?.["application/json"]?.schema;
    const event = op?.["x-github"]?.subcategory;
    if (!schema || !event) continue;
    const root = schema.$ref ? resolve(schema.$ref) : schema;
    const action = root.properties?.action?.enum?.[0];
    payloads.set(typeof action === "string" ? `${event}.${action}` : event, schema);
  }
  return { payloads, schemas: spec.components.schemas };
}

/**
 * The OAuth web flow is served by github.com, not the REST API, so the REST description does
 * not hold it; GitHub documents it in "Authorizing OAuth apps" (the console's sign-in uses it).
 */
const OAUTH_WEB_FLOW = new Set(["GET /login/oauth/authorize", "POST /login/oauth/access_token"]);

/** The contract the test setup installs into the simulator (src/simulators/github/contract.ts). */
export function loadGitHubContract(): ContractCheck {
  let rest: RestIndex | undefined;
  let webhooks: WebhookIndex | undefined;
  return {
    request(method, rawPath, body) {
      if (OAUTH_WEB_FLOW.has(`${method} ${rawPath.split("?")[0]}`)) return [];
      rest ??= loadRestIndex();
      const op = findOperation(rest.operations, method, rawPath.split("/").filter(Boolean));
      if (!op) return ["no such operation in GitHub's REST API description"];
      if (!op.body || body === undefined) return [];
      return shapeProblems(op.body, body, "body", resolver(rest.schemas)).map(
        (problem) => `${op.id}: ${problem}`,
      );
    },
    webhook(event, payload) {
      webhooks ??= loadWebhookIndex();
      const action = (payload as { action?: unknown } | null)?.action;
      const key = typeof action === "string" ? `${event}.${action}` : event;
      const schema = webhooks.payloads.get(key);
      if (!schema) return [`no ${key} webhook in GitHub's webhooks description`];
      return shapeProblems(schema, payload, "payload", resolver(webhooks.schemas));
    },
    graphql: (query) => graphqlProblems(query),
  };
}
