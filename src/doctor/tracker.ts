/**
 * One tracker connection, checked through the same adapter the server builds: `whoAmI`
 * (reachable, token accepted, Yandex organization), a workflow read where routing uses one,
 * and the rate-limit figures the answers carried. A later check is skipped when an earlier
 * one failed, so each failure is reported once, where it starts.
 */
import type { TrackerConnection } from "../trackers/connection.js";
import { createTracker } from "../trackers/create-tracker.js";
import { TrackerError } from "../trackers/errors.js";
import type { Tracker, TrackerIdentity } from "../trackers/port.js";
import { type DoctorCheck, errorText, fail, ok, skip, warn } from "./check.js";

export interface TrackerCheckOptions {
  timeoutMs: number;
  fetch?: typeof fetch;
}

/** Below this share of the budget left, a warning (Jira Cloud's own `X-RateLimit-NearLimit` line). */
const LOW_BUDGET = 0.2;

export async function checkConnection(
  connection: TrackerConnection,
  options: TrackerCheckOptions,
): Promise<DoctorCheck[]> {
  const budget = budgetRecorder(options.fetch);
  const tracker = createTracker(connection, { timeoutMs: options.timeoutMs, fetch: budget.fetch });
  const name = (item: string) => `tracker ${connection.name}: ${item}`;
  let me: TrackerIdentity;
  try {
    me = await tracker.whoAmI();
  } catch (error) {
    return whoAmIFailed(connection, error, name);
  }
  const checks = [
    ok(name("reachable"), originOf(connection.url)),
    ok(
      name("token"),
      `accepted: ${me.name}${me.login && me.login !== me.name ? ` (${me.login})` : ""}`,
    ),
  ];
  if (connection.type === "yandex") checks.push(ok(name("organization"), orgHeader(connection)));
  checks.push(await checkWorkflows(connection, tracker, name("workflows")));
  checks.push(budget.check(name("rate limit")));
  return checks;
}

function whoAmIFailed(
  connection: TrackerConnection,
  error: unknown,
  name: (item: string) => string,
): DoctorCheck[] {
  const detail = errorText(error);
  const kind = error instanceof TrackerError ? error.kind : "network";
  const url = `the url of connection "${connection.name}" (TRACKER_URL, or url: in TRACKBRIDGE_CONNECTIONS)`;
  const later = (items: string[]) =>
    items.map((item) =>
      skip(name(item), "not checked: the tracker did not answer the token's user"),
    );
  const afterToken = connection.type === "yandex" ? ["organization", "workflows"] : ["workflows"];
  switch (kind) {
    case "auth":
      return [
        ok(name("reachable"), originOf(connection.url)),
        fail(name("token"), detail, tokenFix(connection)),
        ...later([...afterToken, "rate limit"]),
      ];
    case "forbidden":
      if (connection.type === "yandex") {
        return [
          ok(name("reachable"), originOf(connection.url)),
          ok(name("token"), "accepted (the tracker answered 403, not 401)"),
          fail(
            name("organization"),
            detail,
            "set TRACKER_ORG_ID to the Yandex 360 organization id, or TRACKER_CLOUD_ORG_ID to the Yandex Cloud one (Tracker → Administration → Organizations)",
          ),
          ...later(["workflows", "rate limit"]),
        ];
      }
      return [
        ok(name("reachable"), originOf(connection.url)),
        fail(name("token"), detail, tokenFix(connection)),
        ...later([...afterToken, "rate limit"]),
      ];
    case "rate_limited":
      return [
        ok(name("reachable"), originOf(connection.url)),
        ...later(["token", ...afterToken]),
        fail(
          name("rate limit"),
          detail,
          "the token's budget is spent: wait, and give trackbridge a token of its own if other tools share this one",
        ),
      ];
    default:
      return [
        fail(
          name("reachable"),
          detail,
          kind === "network"
            ? `check ${url}, and that this host can reach it (DNS, proxy, firewall)`
            : `check ${url}: the base address of the tracker's API, without /v2 or /rest/api`,
        ),
        ...later(["token", ...afterToken, "rate limit"]),
      ];
  }
}

async function checkWorkflows(
  connection: TrackerConnection,
  tracker: Tracker,
  name: string,
): Promise<DoctorCheck> {
  if (connection.type === "jira" && !connection.email) {
    return ok(
      name,
      "not needed: Jira Data Center has no workflow API, routing learns each issue's transitions",
    );
  }
  const what = connection.type === "yandex" ? "queue" : "project";
  let scope: Awaited<ReturnType<Tracker["someWorkflowScope"]>>;
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
  return connection.type === "jira"
    ? `grant the token's user the project permission "View (read-only) workflow" or "Administer projects"${without}`
    : `give the token's user the right to view the queues' workflows (a queue administrator has it)${without}`;
}

function tokenFix(connection: TrackerConnection): string {
  if (connection.type === "yandex") {
    return "put a valid OAuth token (or an IAM token with TRACKER_AUTH_SCHEME=Bearer) in TRACKER_TOKEN or TRACKER_TOKEN_FILE";
  }
  return connection.email
    ? `Jira Cloud: TRACKER_EMAIL (${connection.email}) and an API token of that user in TRACKER_TOKEN (id.atlassian.com → Security → API tokens)`
    : "Jira Data Center: a personal access token in TRACKER_TOKEN (Profile → Personal Access Tokens); for Jira Cloud also set TRACKER_EMAIL";
}

function orgHeader(connection: TrackerConnection): string {
  if (connection.orgId) return `X-Org-ID ${connection.orgId} accepted`;
  if (connection.cloudOrgId) return `X-Cloud-Org-ID ${connection.cloudOrgId} accepted`;
  return "no organization id set, and the tracker did not ask for one";
}

function originOf(url: string): string {
  return `${new URL(url).origin} answers`;
}

/**
 * Wraps fetch to keep the last rate-limit figures an answer carried: Jira Cloud sends
 * `X-RateLimit-Limit` / `-Remaining` / `-NearLimit`; Yandex Tracker documents none.
 */
function budgetRecorder(base: typeof fetch | undefined) {
  let limit: number | undefined;
  let remaining: number | undefined;
  let near = false;
  const fetchFn: typeof fetch = async (input, init) => {
    const response = await (base ?? globalThis.fetch)(input, init);
    const left = response.headers.get("x-ratelimit-remaining");
    if (left !== null && Number.isFinite(Number(left))) {
      remaining = Number(left);
      const max = Number(response.headers.get("x-ratelimit-limit"));
      limit = Number.isFinite(max) && max > 0 ? max : undefined;
      near = response.headers.get("x-ratelimit-nearlimit") === "true";
    }
    return response;
  };
  return {
    fetch: fetchFn,
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
