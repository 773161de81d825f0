/**
 * One tracker connection, checked through the same adapter the server builds: `whoAmI`
 * (reachable, token accepted, what the kind adds: Yandex's organization), a workflow read where routing uses one,
 * and the rate-limit figures the answers carried. A later check is skipped when an earlier
 * one failed, so each failure is reported once, where it starts.
 */
import { type Send, sendHttp } from "../http/send.js";
import { capabilityLine } from "../trackers/capability-table.js";
import type { TrackerConnection } from "../trackers/connection.js";
import { createTracker } from "../trackers/create-tracker.js";
import { TrackerError } from "../trackers/errors.js";
import type { GitHubGraphqlAccess } from "../trackers/github-projects/index.js";
import { kindOf } from "../trackers/kinds.js";
import type { Tracker, TrackerIdentity, WorkflowScope } from "../trackers/port.js";
import { type DoctorCheck, errorText, fail, ok, skip, warn } from "./check.js";

export interface TrackerCheckOptions {
  timeoutMs: number;
  send?: Send;
  /** GitHub Projects: GitHub's GraphQL as the App's installation. */
  github?: GitHubGraphqlAccess;
}

/** Below this share of the budget left, a warning (Jira Cloud's own `X-RateLimit-NearLimit` line). */
const LOW_BUDGET = 0.2;

export async function checkConnection(
  connection: TrackerConnection,
  options: TrackerCheckOptions,
): Promise<DoctorCheck[]> {
  const checks = await checkReachable(connection, options);
  // What the adapter can do here: static, so printed whatever the checks above found.
  const mode = kindOf(connection.type).modeOf(connection);
  checks.push(
    ok(`tracker ${connection.name}: capabilities`, `${mode.label}: ${capabilityLine(mode)}`),
  );
  return checks;
}

async function checkReachable(
  connection: TrackerConnection,
  options: TrackerCheckOptions,
): Promise<DoctorCheck[]> {
  const budget = budgetRecorder(options.send ?? sendHttp);
  const tracker = createTracker(connection, {
    timeoutMs: options.timeoutMs,
    send: budget.send,
    ...(options.github ? { github: options.github } : {}),
  });
  // A connection acting as the App (GitHub Projects) is reached at GitHub's GraphQL endpoint
  // (api.github.com), not at its url (GitHub's web address, where its issue pages are).
  const asApp = kindOf(connection.type).connection.credentials === "none";
  const where = (asApp && options.github?.endpoint) || connection.url;
  const name = (item: string) => `tracker ${connection.name}: ${item}`;
  let me: TrackerIdentity;
  try {
    me = await tracker.whoAmI();
  } catch (error) {
    return whoAmIFailed(connection, where, error, name);
  }
  const checks = [
    ok(name("reachable"), originOf(where)),
    ok(
      name("token"),
      `accepted: ${me.name}${me.login && me.login !== me.name ? ` (${me.login})` : ""}`,
    ),
  ];
  const extra = kindOf(connection.type).doctor.afterToken?.(connection);
  if (extra) checks.push(ok(name(extra.item), extra.detail));
  checks.push(await checkWorkflows(connection, tracker, name("workflows")));
  checks.push(budget.check(name("rate limit")));
  return checks;
}

function whoAmIFailed(
  connection: TrackerConnection,
  where: string,
  error: unknown,
  name: (item: string) => string,
): DoctorCheck[] {
  const detail = errorText(error);
  const kind = error instanceof TrackerError ? error.kind : "network";
  const reachable = ok(name("reachable"), originOf(where));
  const skipped = (...items: string[]) =>
    items.map((item) =>
      skip(name(item), "not checked: an earlier check of this connection failed"),
    );
  const hints = kindOf(connection.type).doctor;
  const extra = hints.afterToken?.(connection)?.item;
  const orgAndWorkflows = extra ? [extra, "workflows"] : ["workflows"];
  if (kind === "auth" || (kind === "forbidden" && hints.forbidden === "token")) {
    return [
      reachable,
      fail(name("token"), detail, hints.tokenFix(connection)),
      ...skipped(...orgAndWorkflows, "rate limit"),
    ];
  }
  if (kind === "forbidden" && hints.forbidden !== "token") {
    // A token the tracker knows, sent with a wrong setting (Yandex: the org header).
    return [
      reachable,
      ok(name("token"), "accepted (the tracker answered 403, not 401)"),
      fail(name(hints.forbidden.item), detail, hints.forbidden.fix),
      ...skipped("workflows", "rate limit"),
    ];
  }
  if (kind === "not_found" && hints.projectNotFound) {
    return [
      reachable,
      ok(name("token"), "accepted"),
      fail(name(hints.projectWord), detail, hints.projectNotFound(connection)),
      ...skipped("workflows", "rate limit"),
    ];
  }
  if (kind === "rate_limited") {
    return [
      reachable,
      ...skipped("token", ...orgAndWorkflows),
      fail(
        name("rate limit"),
        detail,
        "the token's budget is spent: wait, and give trackbridge a token of its own if other tools share this one",
      ),
    ];
  }
  const url =
    kindOf(connection.type).connection.credentials === "none"
      ? `GitHub's address (GHE_HOST, GHE_PROTOCOL) and the App's credentials (APP_ID, PRIVATE_KEY_PATH): connection "${connection.name}" goes through the App`
      : `the url of connection "${connection.name}" (TRACKER_URL, or url: in TRACKBRIDGE_CONNECTIONS)`;
  const fix =
    kind === "network"
      ? `check ${url}, and that this host can reach it (DNS, proxy, firewall)`
      : kind === "server"
        ? `the tracker answers with a server error: check its status, and that ${url} is the tracker's and not a proxy's`
        : `check ${url}: the base address of the tracker's API, without /v2 or /rest/api`;
  return [
    fail(name("reachable"), detail, fix),
    ...skipped("token", ...orgAndWorkflows, "rate limit"),
  ];
}

async function checkWorkflows(
  connection: TrackerConnection,
  tracker: Tracker,
  name: string,
): Promise<DoctorCheck> {
  const hints = kindOf(connection.type).doctor;
  const notNeeded = hints.noWorkflowApi?.(connection);
  if (notNeeded) return ok(name, notNeeded);
  const what = hints.projectWord;
  let scope: WorkflowScope | null;
  try {
    scope = await tracker.someWorkflowScope();
  } catch (error) {
    return warn(
      name,
      `could not list a ${what} to read a workflow from: ${errorText(error)}`,
      `let the token's user see the ${what}s the repositories name`,
    );
  }
  if (!scope) {
    return warn(
      name,
      `the token sees no ${what}, so no workflow could be read`,
      `let the token's user see the ${what}s the repositories name`,
    );
  }
  try {
    // The port reads a workflow for an issue; only the issue's scope matters to it.
    const graph = await tracker.workflow({
      key: "",
      aliases: [],
      status: { key: "", display: "" },
      scope,
    });
    if (graph.unreadable) {
      return fail(
        name,
        `cannot read the workflow of ${scope.name}: ${graph.unreadable}`,
        workflowFix(connection),
      );
    }
    return ok(
      name,
      `read the workflow of ${scope.name}: ${graph.statuses.length} statuses, ${graph.edges.length} transitions`,
    );
  } catch (error) {
    return fail(
      name,
      `cannot read the workflow of ${scope.name}: ${errorText(error)}`,
      workflowFix(connection),
    );
  }
}

function workflowFix(connection: TrackerConnection): string {
  const without =
    "; without it, trackbridge only moves along transitions it has seen, and multi-step moves may stop short";
  return `${kindOf(connection.type).doctor.workflowFix(connection)}${without}`;
}

function originOf(url: string): string {
  return `${new URL(url).origin} answers`;
}

/**
 * Wraps `send` to keep the last rate-limit figures an answer carried: Jira Cloud sends
 * `X-RateLimit-Limit` / `-Remaining` / `-NearLimit`, Linear `X-RateLimit-Requests-Limit` /
 * `-Remaining`; Yandex Tracker documents none.
 */
function budgetRecorder(base: Send) {
  let limit: number | undefined;
  let remaining: number | undefined;
  let near = false;
  const send: Send = async (request) => {
    const response = await base(request);
    const header = (name: string) =>
      response.headers.get(`x-ratelimit-${name}`) ??
      response.headers.get(`x-ratelimit-requests-${name}`);
    const left = header("remaining");
    if (left !== null && Number.isFinite(Number(left))) {
      remaining = Number(left);
      const max = Number(header("limit"));
      limit = Number.isFinite(max) && max > 0 ? max : undefined;
      near = response.headers.get("x-ratelimit-nearlimit") === "true";
    }
    return response;
  };
  return {
    send,
    check(name: string): DoctorCheck {
      if (remaining === undefined) {
        return ok(
          name,
          "the tracker sent no rate-limit figures; a 429 is waited out (Retry-After)",
        );
      }
      const figures =
        limit === undefined
          ? `${remaining} requests left`
          : `${remaining} of ${limit} requests left`;
      if (near || (limit !== undefined && remaining < limit * LOW_BUDGET)) {
        return warn(
          name,
          figures,
          "other tools share this budget: give trackbridge a token of its own, or move the heavy users off it; trackbridge waits out a 429, but moves are late meanwhile",
        );
      }
      return ok(name, figures);
    },
  };
}
