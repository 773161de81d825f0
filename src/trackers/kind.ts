/**
 * What one tracker kind (Yandex Tracker, Jira, …) tells the rest of trackbridge about itself.
 * Config, doctor, init, the Action, the console and the webhook endpoint ask the kind instead
 * of comparing `type` strings, so a new tracker is one folder, one simulator and one line in
 * `kinds.ts`. Kinds are plain data plus small functions, built once at import time.
 */
import type { z } from "zod";
import type { TrackerConnection } from "./connection.js";
import type { GitHubGraphqlAccess } from "./github-projects/client.js";
import type { HttpDeps } from "./http.js";
import type { Tracker, WorkflowGraph } from "./port.js";
import type { RawHeaders, TrackerWebhook } from "./webhook-parts.js";

/** Every call of the port, and the push-direction calls issue 22 adds. */
export const CAPABILITIES = [
  "read",
  "transitions",
  "workflow_graph",
  "routed_move",
  "field_write",
  "comment",
  "pr_link",
  "fix_versions",
  "webhooks",
  "poll",
  "create_issue",
  "unlink",
  "set_assignee",
  "find_user_by_email",
] as const;
export type CapabilityName = (typeof CAPABILITIES)[number];

/** What each capability means, for doctor and the README table. */
export const CAPABILITY_LABEL: Record<CapabilityName, string> = {
  read: "read an issue and its status category",
  transitions: "list an issue's transitions",
  workflow_graph: "read the workflow graph",
  routed_move: "move through several statuses",
  field_write: "write a field (the bench URL)",
  comment: "comment",
  pr_link: "link the PR once",
  fix_versions: "fix versions",
  webhooks: "webhooks (tracker → GitHub)",
  poll: "poll for changed issues",
  create_issue: "create an issue",
  unlink: "unlink the PR",
  set_assignee: "set the assignee",
  find_user_by_email: "find a person by e-mail (`match: email`)",
};

export type Capability =
  | { support: "native"; how?: string }
  /** Done with other calls of the tracker's API: `how` says which, for doctor and the README. */
  | { support: "emulated"; how: string }
  /** The port's call rejects with `unavailableError` (permanent): `reason` says why. */
  | { support: "unavailable"; reason: string };

export type CapabilityTable = Readonly<Record<CapabilityName, Capability>>;

/**
 * A kind's table as written: only what is not plain native. A capability named nowhere is
 * native with nothing to add; `native` names the ones whose "how" is worth saying. A name
 * given twice is a mistake and throws at import time.
 */
export interface CapabilitySpec {
  native?: Partial<Record<CapabilityName, string>>;
  emulated?: Partial<Record<CapabilityName, string>>;
  unavailable?: Partial<Record<CapabilityName, string>>;
}

/**
 * @example
 * capabilityTable({ unavailable: { fix_versions: "Linear has no fix versions" } }).fix_versions
 * // { support: "unavailable", reason: "Linear has no fix versions" }
 * capabilityTable({ emulated: { routed_move: "`routes:`" } }, jiraCloud) // Cloud's table, one row changed
 */
export function capabilityTable(spec: CapabilitySpec, base?: CapabilityTable): CapabilityTable {
  const table: Record<string, Capability> = base
    ? { ...base }
    : Object.fromEntries(CAPABILITIES.map((name) => [name, { support: "native" }]));
  const named = new Set<string>();
  const put = (
    group: Partial<Record<CapabilityName, string>> = {},
    make: (text: string) => Capability,
  ) => {
    for (const [name, text] of Object.entries(group)) {
      if (named.has(name)) throw new Error(`capability ${name} is declared twice`);
      named.add(name);
      table[name] = make(text as string);
    }
  };
  put(spec.native, (how) => (how ? { support: "native", how } : { support: "native" }));
  put(spec.emulated, (how) => ({ support: "emulated", how }));
  put(spec.unavailable, (reason) => ({ support: "unavailable", reason }));
  return table as CapabilityTable;
}

/**
 * One way a kind is run (Jira Cloud and Jira Data Center differ in what they can do); most
 * kinds have exactly one.
 */
export interface TrackerMode {
  /** "Jira Cloud": what doctor, the README and notifications call it. */
  label: string;
  capabilities: CapabilityTable;
}

/**
 * How issue keys look: `project` is PROJ-123; `numeric` is a bare number made unique by a
 * configured prefix (Redmine, Request Tracker: the connection option named by `prefixOption`);
 * `github` is `#123` / `owner/repo#123`. Key extraction and webhook parsing read it.
 */
export type KindKeys =
  | { style: "project" }
  | { style: "numeric"; prefixOption: string }
  | { style: "github" };

/** The kind-specific keys of a connections-file entry and of the TRACKER_* environment. */
export interface ConnectionOptions {
  /**
   * `none`: the kind needs no `url`/`token` of its own (GitHub Projects uses the App's
   * installation); the entry may leave them out.
   */
  credentials?: "none";
  /** zod shape of the entry's kind-specific keys, as written in the file (`org_id`, `email`). */
  fields: z.ZodRawShape;
  /** The TRACKER_* variable each field is read from for the single env-configured connection. */
  env: Readonly<Record<string, string>>;
  /**
   * Turns the validated fields into the connection's typed kind fields. Without it, the
   * fields go to `connection.options` as written (`{ key_prefix: "RM" }`).
   */
  toConnection?(fields: Record<string, unknown>): KindFields;
}

/** The part of a connection a kind fills in from its own options. */
export type KindFields = Partial<
  Omit<
    TrackerConnection,
    "name" | "type" | "url" | "token" | "webhookSecret" | "webhookSecretFrom" | "concurrency"
  >
>;

/** What a webhook reader may read of its connection (numbered keys: the prefix). */
export type WebhookConnection = Pick<TrackerConnection, "type"> &
  Partial<Pick<TrackerConnection, "name" | "keyPrefix" | "options">>;

/** The tracker→trackbridge webhook: verified before anything is read, then reduced to a key. */
export interface KindWebhook {
  /**
   * Checks the signature or token (constant time) first, then takes the issue key from the
   * body (`webhook-parts.ts` has the shared pieces). Reasons never carry the secret. `now`
   * (epoch ms) is for trackers that date their deliveries (Linear: 60 s).
   */
  read(
    connection: WebhookConnection,
    secret: string,
    headers: RawHeaders,
    body: string,
    now: number,
  ): TrackerWebhook | Promise<TrackerWebhook>;
  /**
   * `trackbridge connect-webhooks`: creates the tracker's webhook through its API, or
   * returns the steps an administrator follows. Never prints the secret (name `secretFrom`).
   */
  connect(
    connection: TrackerConnection,
    target: { project: string; endpoint: string },
    deps: HttpDeps,
  ): Promise<string>;
}

/** What `trackbridge doctor` needs to know that differs per kind. */
export interface DoctorHints {
  /** "queue" (Yandex), "project" (Jira): what the token must see for a workflow read. */
  projectWord: string;
  /** An extra passed check after the token was accepted (Yandex: which org header was used). */
  afterToken?(connection: TrackerConnection): { item: string; detail: string } | undefined;
  /** How to fix a rejected token. */
  tokenFix(connection: TrackerConnection): string;
  /**
   * A 403 on `whoAmI`: `token` when the token lacks rights (Jira), or an item name and fix
   * when a known token was sent with a wrong setting (Yandex: the organization header).
   */
  forbidden: "token" | { item: string; fix: string };
  /** How to let the token read workflows. */
  workflowFix(connection: TrackerConnection): string;
  /**
   * A not_found on `whoAmI` when `whoAmI` reads the connection's own project (GitHub
   * Projects): the token was accepted, the project is missing; how to fix that.
   */
  projectNotFound?(connection: TrackerConnection): string;
  /** Set when the connection has no workflow API at all: why that is fine. */
  noWorkflowApi?(connection: TrackerConnection): string | undefined;
}

/** The Action (`uses: …/trackbridge@v1`): the kind's own inputs and their hints. */
export interface ActionHints {
  /**
   * Input name (as in action.yml) → the connection option field it fills (`org-id` →
   * `org_id`) and, when more than a trimmed string, the schema its value must pass.
   */
  inputs: Readonly<Record<string, { field: string; schema?: z.ZodType<string, string> }>>;
  /** Checks across this kind's inputs; `issue(input, message)` reports one. */
  check?(
    given: Readonly<Record<string, string | undefined>>,
    issue: (input: string, message: string) => void,
  ): void;
  /**
   * The tracker is the GitHub the workflow runs on (GitHub Projects): without a `url` input
   * the Action takes the runner's GITHUB_SERVER_URL.
   */
  urlFromRunner?: boolean;
  /** After a 401: which inputs to check. */
  credentialHint(connection: TrackerConnection): string;
  /** After a 403: the permission each change needs, or a hint when the message says more. */
  forbiddenHint(connection: TrackerConnection, change: string, message: string): string;
}

/** What `create` gets besides the connection. */
export interface CreateDeps extends HttpDeps {
  /** GitHub's GraphQL as the App's installation (or the Action's token): GitHub Projects. */
  github?: GitHubGraphqlAccess;
}

export interface TrackerKind {
  /** The `type:` of a connections-file entry and TRACKER_TYPE: "yandex", "jira", "youtrack". */
  type: string;
  /** "Yandex Tracker": notifications, doctor, README. */
  label: string;
  keys: KindKeys;
  connection: ConnectionOptions;
  modes: readonly TrackerMode[];
  /** Which of `modes` a connection is in (Jira: Cloud with an e-mail, else Data Center). */
  modeOf(connection: TrackerConnection): TrackerMode;
  create(connection: TrackerConnection, deps: CreateDeps): Tracker;
  /** Absent: the tracker cannot call us; the poll (`updatedSince`) catches its changes. */
  webhook?: KindWebhook;
  /**
   * The issue's page in the tracker's web UI (the connection URL is the API's); undefined when
   * the connection does not say where the pages are (Linear without its workspace).
   */
  issueUrl(connection: TrackerConnection, key: string): string | undefined;
  doctor: DoctorHints;
  action: ActionHints;
  /** `--queue` of init and connect-webhooks: "Yandex Tracker queue". */
  projectHelp: string;
  /** `trackbridge plan --workflow FILE`: a workflow as this tracker's API returns it. */
  workflowFile?: { what: string; read(json: unknown): WorkflowGraph | undefined };
  /**
   * The tracker's people are GitHub users (GitHub Projects): a person's tracker login is their
   * GitHub login, so assigning needs no people map (an entry still wins).
   */
  githubLogins?: true;
}
