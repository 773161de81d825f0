/**
 * The connections file's `productboard:` section, checked on lines of its own: each secret
 * reference resolves, each of the loader's rules holds (productboardProblems: the connection
 * exists, the url carries no user or password, …; one line per problem), and one request to
 * Productboard (`GET /plugin-integrations/{integration_id}`) proves the API answers, accepts the
 * token and knows the integration. The authorization cannot be checked there (Productboard never shows
 * an integration's action back), so its line only says where it is read from. Every secret the
 * section resolves is handed back for scrubbing: the doctor's server config leaves it out.
 */
import type { z } from "zod";
import {
  PRODUCTBOARD_API,
  type ProductboardProblem,
  type productboardEntry,
  productboardProblems,
} from "../config/productboard-config.js";
import { describeSecretRef, type Env, ServerConfigError, secret } from "../config/secret-ref.js";
import type { ServerConfig } from "../config/server-config.js";
import { sendHttp } from "../http/send.js";
import { TrackerError } from "../trackers/errors.js";
import { createProductboardClient } from "../trackers/productboard/client.js";
import type { Integration } from "../trackers/productboard/map.js";
import { type DoctorCheck, errorText, fail, ok, skip, warn } from "./check.js";

type Entry = z.output<typeof productboardEntry>;
type Ref = Entry["token"];

export interface ProductboardCheckOptions {
  timeoutMs: number;
}

const name = (item: string) => `productboard: ${item}`;
const TOKEN_HELP =
  "a Public API access token (Productboard: Settings → Integrations → Public API → Access token)";

/**
 * The section as the connections file was read for `config` (run-doctor reads it once). No
 * section, or no configuration that loaded: no lines.
 */
export async function checkProductboard(
  env: Env,
  config: ServerConfig | undefined,
  entry: Entry | undefined,
  options: ProductboardCheckOptions,
): Promise<{ checks: DoctorCheck[]; secrets: string[] }> {
  const file = env.TRACKBRIDGE_CONNECTIONS;
  if (!config || !file || !entry) return { checks: [], secrets: [] };

  const token = resolve(env, entry.token, "productboard token");
  const authorization = resolve(env, entry.authorization, "productboard authorization");
  const connections = config.connections.map((c) => c.name);
  const problems = productboardProblems(
    entry,
    connections,
    config.channels.map((c) => c.name),
  );
  const authorizationLine =
    authorization.value === undefined
      ? fail(
          name("authorization"),
          authorization.error,
          `put in ${describeSecretRef(entry.authorization)} the value the integration was registered with (its action.headers.authorization)`,
        )
      : ok(
          name("authorization"),
          `read from ${describeSecretRef(entry.authorization)}; Productboard never shows it back, so it must be the value the integration was registered with`,
        );
  const connectionLine = problems.some((p) => p.field === "connection")
    ? []
    : [
        ok(
          name("connection"),
          `pushed features become issues of ${entry.project} in "${entry.connection}"`,
        ),
      ];
  // A url with a user or password is never called: its own line says why, ahead of the rest.
  const urlLines = problems.filter((p) => p.field === "url").map((p) => problemLine(p, file));
  const local = [
    authorizationLine,
    ...connectionLine,
    ...problems.filter((p) => p.field !== "url").map((p) => problemLine(p, file)),
  ];
  const url = entry.url ?? PRODUCTBOARD_API;
  const secrets = [token.value, authorization.value].filter((s): s is string => Boolean(s));
  if (token.value === undefined || urlLines.length > 0) {
    const tokenLine =
      token.value === undefined
        ? fail(name("token"), token.error, `put ${TOKEN_HELP} in ${describeSecretRef(entry.token)}`)
        : notChecked("token");
    return { checks: [...urlLines, tokenLine, notChecked("integration"), ...local], secrets };
  }
  const client = createProductboardClient(
    { url, token: token.value, integrationId: entry.integration_id },
    { send: sendHttp, timeoutMs: options.timeoutMs },
  );
  const remote = await client.getIntegration().then(
    (integration) => found(integration, url, entry.token),
    (error: unknown) => failed(error, entry, url),
  );
  return { checks: [...remote, ...local], secrets };
}

function found(integration: Integration, url: string, ref: Ref): DoctorCheck[] {
  const called = integration.name ? ` ("${integration.name}")` : "";
  return [
    ok(name("reachable"), `${new URL(url).origin} answers`),
    ok(name("token"), `accepted (read from ${describeSecretRef(ref)})`),
    integration.enabled
      ? ok(name("integration"), `${integration.id}${called} exists`)
      : warn(
          name("integration"),
          `${integration.id}${called} is disabled: Productboard shows no button for it`,
          `enable it: PATCH /plugin-integrations/${integration.id} with {"data":{"integrationStatus":"enabled"}}`,
        ),
  ];
}

/** The client turns every failed request into a TrackerError; anything else is a bug, not a finding. */
function failed(error: unknown, entry: Entry, url: string): DoctorCheck[] {
  if (!(error instanceof TrackerError)) throw error;
  const detail = errorText(error);
  const kind = error.kind;
  const reachable = ok(name("reachable"), `${new URL(url).origin} answers`);
  if (kind === "auth") {
    return [
      reachable,
      fail(
        name("token"),
        `Productboard refused the token read from ${describeSecretRef(entry.token)} (401)`,
        `put ${TOKEN_HELP} of the integration's workspace in ${describeSecretRef(entry.token)}`,
      ),
      notChecked("integration"),
    ];
  }
  if (kind === "forbidden") {
    return [
      reachable,
      fail(
        name("token"),
        detail,
        `the token cannot read plugin integrations: use ${TOKEN_HELP} of the integration's workspace`,
      ),
      notChecked("integration"),
    ];
  }
  if (kind === "not_found" || kind === "invalid") {
    // Productboard answered and took the token: what it refused is the one part of the request
    // the section supplies, the integration id (a 4xx such as 400 for an id that is no UUID).
    // The client's message already names the integration and carries Productboard's reason.
    const found =
      kind === "not_found"
        ? `Productboard has no plugin integration ${entry.integration_id}`
        : detail;
    return [
      reachable,
      ok(name("token"), `accepted (read from ${describeSecretRef(entry.token)})`),
      fail(
        name("integration"),
        found,
        "set productboard.integration_id to the data.id that POST /plugin-integrations answered (GET /plugin-integrations lists the workspace's integrations)",
      ),
    ];
  }
  if (kind === "rate_limited") {
    return [
      reachable,
      fail(
        name("rate limit"),
        detail,
        "the token's 50 requests a second are spent: wait, and give trackbridge a token of its own if other tools share this one",
      ),
      notChecked("token"),
      notChecked("integration"),
    ];
  }
  const address = entry.url
    ? `productboard.url (${entry.url})`
    : `Productboard's API (${PRODUCTBOARD_API})`;
  const fix =
    kind === "server"
      ? `Productboard answers with a server error: check its status page, and that ${address} is Productboard's and not a proxy's`
      : `check ${address}, and that this host can reach it (DNS, proxy, firewall)`;
  return [fail(name("reachable"), detail, fix), notChecked("token"), notChecked("integration")];
}

const FIXES: Record<ProductboardProblem["field"], (file: string) => string> = {
  url: (file) =>
    `take the user and password out of productboard.url in ${file}: the token is the credential`,
  connection: () => "name one of the server's tracker connections in productboard.connection",
  notify: (file) => `name one of the channels of ${file} in productboard.notify`,
  connections: (file) => `correct it in the connections section of ${file}`,
};

function problemLine(problem: ProductboardProblem, file: string): DoctorCheck {
  return fail(name(problem.field), problem.message, FIXES[problem.field](file));
}

function notChecked(item: string): DoctorCheck {
  return skip(name(item), "not checked: an earlier check of the productboard section failed");
}

/** The one way a reference is read (secret-ref.ts), its failure kept as text. */
function resolve(
  env: Env,
  ref: Ref,
  what: string,
): { value: string; error?: never } | { value?: never; error: string } {
  try {
    return { value: secret(env, ref, what) };
  } catch (error) {
    if (!(error instanceof ServerConfigError)) throw error;
    return { error: error.message };
  }
}
