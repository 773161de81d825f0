/**
 * Linear's failures. Linear answers a failed operation with GraphQL `errors` (most often on
 * HTTP 400, some on 200), each naming what failed in `extensions.code` (`RATELIMITED`,
 * `AUTHENTICATION_ERROR`, …) and, in the words `@linear/sdk` matches, `extensions.type`
 * ("ratelimited", "authentication error", …). The kind comes from there before the status:
 * a `RATELIMITED` error is a 429 whatever the status says.
 */
import type { HeaderReader } from "../../http/send.js";
import type { TrackerErrorKind } from "../errors.js";
import type { Operation } from "../http.js";

interface GraphqlError {
  message?: unknown;
  extensions?: { code?: unknown; type?: unknown; userPresentableMessage?: unknown };
}

export function graphqlErrors(body: unknown): GraphqlError[] {
  const errors = (body as { errors?: unknown } | null)?.errors;
  return Array.isArray(errors) ? (errors as GraphqlError[]) : [];
}

/** `extensions.code` or `extensions.type`, as one upper-case word: "RATELIMITED", "INVALID_INPUT". */
function codeOf(error: GraphqlError): string {
  const { code, type } = error.extensions ?? {};
  const raw = typeof code === "string" ? code : typeof type === "string" ? type : "";
  return raw.toUpperCase().replace(/\s+/g, "_");
}

const KIND_BY_CODE: Record<string, TrackerErrorKind> = {
  RATELIMITED: "rate_limited",
  AUTHENTICATION_ERROR: "auth",
  FORBIDDEN: "forbidden",
  FEATURE_NOT_ACCESSIBLE: "forbidden",
  INTERNAL_ERROR: "server",
  LOCK_TIMEOUT: "server",
  INVALID_INPUT: "invalid",
  USER_ERROR: "invalid",
  GRAPHQL_ERROR: "invalid",
  GRAPHQL_VALIDATION_FAILED: "invalid",
};

/**
 * The first error that says what it is decides; "Entity not found" (Linear's words for an
 * unknown id or identifier) is a 404.
 */
export function classifyLinear(_status: number, body: unknown): TrackerErrorKind | undefined {
  for (const error of graphqlErrors(body)) {
    if (typeof error.message === "string" && /^Entity not found/i.test(error.message)) {
      return "not_found";
    }
    const kind = KIND_BY_CODE[codeOf(error)];
    if (kind) return kind;
  }
  return undefined;
}

/** What Linear says it could not find: "Entity not found: User" → "user"; undefined if unnamed. */
function missingEntity(body: unknown): string | undefined {
  for (const error of graphqlErrors(body)) {
    const said = typeof error.message === "string" ? error.message : "";
    const entity = /^Entity not found:\s*(\w+)/i.exec(said)?.[1];
    if (entity) return entity.toLowerCase();
  }
  return undefined;
}

/**
 * Linear answers an unknown assignee id with the same "Entity not found" as an unknown issue.
 * The id comes from the people map, so the message names it and where to correct it; any
 * other entity keeps the message.
 *
 * @example
 * linearNotFound("linear", { errors: [{ message: "Entity not found: User" }] }, { what: "assign ENG-1", key: "ENG-1", assignee: "u-1" })
 * // 'linear could not assign ENG-1: no Linear user has the id u-1; correct it in the people: map of connection linear in the connections file'
 */
export function linearNotFound(
  connection: string,
  body: unknown,
  op: Operation,
): string | undefined {
  if (op.assignee === undefined || missingEntity(body) !== "user") return undefined;
  return `${connection} could not ${op.what}: no Linear user has the id ${op.assignee}; correct it in the people: map of connection ${connection} in the connections file`;
}

/** The people-facing message Linear gives, else the error's own message. */
export function readLinearError(body: unknown): string {
  const lines = graphqlErrors(body).map((error) => {
    const shown = error.extensions?.userPresentableMessage ?? error.message;
    return typeof shown === "string" ? shown : "";
  });
  return [...new Set(lines.filter(Boolean))].join("; ");
}

const BUDGETS = ["requests", "complexity"] as const;

/**
 * When the exhausted budget refills: `X-RateLimit-{Requests,Complexity}-Reset`, which
 * `@linear/sdk` reads as a Unix timestamp. Linear's docs do not say seconds or milliseconds,
 * so a value past 10^12 is taken as milliseconds. The budget with nothing remaining decides;
 * when none says so, the later reset.
 *
 * @example
 * linearWaitMs(headers({ "x-ratelimit-requests-remaining": "0", "x-ratelimit-requests-reset": "1765000060000" }), 1765000000000)
 * // 60000
 */
export function linearWaitMs(headers: HeaderReader, now: number): number | undefined {
  const resets = BUDGETS.map((budget) => {
    const reset = Number(headers.get(`x-ratelimit-${budget}-reset`) ?? Number.NaN);
    const remaining = Number(headers.get(`x-ratelimit-${budget}-remaining`) ?? Number.NaN);
    if (!Number.isFinite(reset) || reset <= 0) return undefined;
    const at = reset > 1e12 ? reset : reset * 1000;
    return { waitMs: Math.max(0, at - now), exhausted: remaining === 0 };
  }).filter((r): r is { waitMs: number; exhausted: boolean } => r !== undefined);
  const exhausted = resets.filter((r) => r.exhausted);
  const deciding = exhausted.length > 0 ? exhausted : resets;
  if (deciding.length === 0) return undefined;
  return Math.max(...deciding.map((r) => r.waitMs));
}
