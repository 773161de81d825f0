/**
 * The Action's inputs: one zod schema over the raw strings the runner passes (`INPUT_<NAME>`,
 * upper-cased, hyphens kept), so every check — types, each tracker kind's own inputs, the
 * comment template's placeholders — lives in one place and every message names its input.
 */
import { z } from "zod";
import { carriesCredentials } from "../core/scrub-secrets.js";
import type { TrackerConnection } from "../trackers/connection.js";
import type { KindFields, TrackerKind } from "../trackers/kind.js";
import {
  isTrackerType,
  kindOf,
  TRACKER_KINDS,
  TRACKER_TYPES,
  typesInWords,
} from "../trackers/kinds.js";
import { badIssueKey, normalizeIssueKey } from "./issue-keys.js";
import { type RunnerInfo, withRunnerDefaults } from "./runner-defaults.js";

/** Placeholders the `comment` template may use; filled in by `renderComment`. */
export const COMMENT_PLACEHOLDERS = ["key", "value", "sha", "branch", "run_url", "actor"] as const;
export type CommentPlaceholder = (typeof COMMENT_PLACEHOLDERS)[number];

export const DEFAULT_RETRY_TIMEOUT_SECONDS = 60;

/** Each kind's own inputs (`org-id`, `email`), with the schema of the kind that declared it first. */
const KIND_INPUTS = Object.fromEntries(
  TRACKER_KINDS.flatMap((kind) => Object.entries(kind.action.inputs))
    .reverse()
    .map(([name, input]) => [name, optional(input.schema ?? z.string().trim())]),
);

/** Same rule as `keys.projects` in the repository config. */
const PROJECT_KEY = /^[A-Za-z][A-Za-z0-9_]+$/;
/** A base URL that already carries the API path is a common mistake worth its own message. */
const API_PATH = /\/(v[23]|rest\/api\/(\d+|latest))$/;

/** The runner passes "" for an input that was not given; treat it as absent. */
function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (value === "" ? undefined : value), schema.optional());
}

function required(what = "is required") {
  return z
    .string({ error: () => what })
    .min(1, what)
    .refine((value) => value.trim() !== "", what);
}

function list(separatorHint: string) {
  return z
    .string()
    .transform((value) =>
      value
        .split(/[\s,]+/)
        .map((item) => item.trim())
        .filter((item) => item !== ""),
    )
    .refine((items) => items.length > 0, `must list at least one ${separatorHint}`);
}

// YAML 1.2 core booleans, as @actions/core's getBooleanInput accepts them.
const TRUE = new Set(["true", "True", "TRUE"]);
const FALSE = new Set(["false", "False", "FALSE"]);
const boolean = z
  .string()
  .optional()
  .transform((value, ctx) => {
    if (value === undefined || value === "" || FALSE.has(value)) return false;
    if (TRUE.has(value)) return true;
    ctx.addIssue({
      code: "custom",
      message: `must be true or false (got ${JSON.stringify(value)})`,
    });
    return z.NEVER;
  });

const RawInputsSchema = z
  .object({
    tracker: z.enum(TRACKER_TYPES as [string, ...string[]], {
      error: (issue) =>
        issue.input === undefined || issue.input === ""
          ? `is required (${typesInWords("")})`
          : `must be one of ${TRACKER_TYPES.join(", ")} (got ${JSON.stringify(issue.input)})`,
    }),
    // The URL is not echoed back: it may carry credentials (https://user:pass@host).
    url: required("is required: the tracker's base URL, e.g. https://api.tracker.yandex.net")
      .pipe(z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }))
      .transform((value) => value.replace(/\/+$/, ""))
      .refine(
        (value) => !carriesCredentials(value),
        "must not carry a user or password: give the token in the token input",
      )
      .refine(
        (value) => !API_PATH.test(new URL(value).pathname.replace(/\/+$/, "")),
        "must be the tracker's base URL without the API path (drop the trailing /v2, /v3 or /rest/api/N)",
      ),
    token: optional(z.string()),
    ...KIND_INPUTS,
    field: required("is required: the issue field to write, e.g. benchLink").transform((value) =>
      value.trim(),
    ),
    value: required("is required: the value to write, e.g. the bench URL from your deploy step"),
    // Each key is checked below, by the tracker's key style.
    "issue-key": optional(list("issue key")),
    projects: optional(
      list("project key").pipe(
        z.array(
          z.string().refine((key) => PROJECT_KEY.test(key), {
            error: (issue) =>
              `must be project keys such as PROJ, OPS (got ${JSON.stringify(issue.input)})`,
          }),
        ),
      ),
    ),
    status: optional(z.string().trim()),
    "fix-version": optional(z.string().trim()),
    comment: optional(
      z.string().superRefine((template, ctx) => {
        const unknown = unknownPlaceholders(template);
        if (unknown.length === 0) return;
        ctx.addIssue({
          code: "custom",
          message: `has unknown placeholder${unknown.length > 1 ? "s" : ""} ${unknown.map((name) => `{${name}}`).join(", ")}; use ${COMMENT_PLACEHOLDERS.map((name) => `{${name}}`).join(", ")}`,
        });
      }),
    ),
    "fail-on-missing-key": boolean,
    "dry-run": boolean,
    "retry-timeout": optional(
      z.coerce
        .number({ error: "must be a number of seconds" })
        .min(0, "must be a number of seconds, 0 or more")
        .max(3600, "must be at most 3600 seconds"),
    ),
  })
  // Runs even when single inputs failed, so one run reports every mistake; hence the
  // defensive comparisons (a failed input may still hold its raw string).
  .superRefine(
    (inputs, ctx) => {
      const issue = (input: string, message: string) =>
        ctx.addIssue({ code: "custom", path: [input], message });
      const given = (value: unknown) => typeof value === "string" && value.trim() !== "";

      // A dry run writes nothing, so it may run where the secret is unavailable (fork PRs).
      if (inputs["dry-run"] !== true && !given(inputs.token)) {
        issue("token", "is required (a tracker token; pass it from a secret)");
      }
      if (!isTrackerType(inputs.tracker)) return;
      const kind = kindOf(inputs.tracker);
      const raw = inputs as Record<string, unknown>;
      const keys = Array.isArray(raw["issue-key"]) ? (raw["issue-key"] as string[]) : [];
      const bad = keys.map((key) => badIssueKey(key, kind.keys)).find((why) => why !== undefined);
      if (bad) issue("issue-key", bad);
      for (const name of Object.keys(KIND_INPUTS)) {
        if (raw[name] === undefined || Object.hasOwn(kind.action.inputs, name)) continue;
        const owners = TRACKER_KINDS.filter((k) => Object.hasOwn(k.action.inputs, name));
        issue(name, `is only for tracker ${owners.map((k) => k.type).join(", ")}`);
      }
      const kindInputs = Object.fromEntries(
        Object.keys(kind.action.inputs).map((name) => [name, stringOrUndefined(raw[name])]),
      );
      kind.action.check?.(kindInputs, issue);
    },
    { when: () => true },
  );

/** Input names exactly as `action.yml` declares them. */
export const INPUT_NAMES = Object.keys(RawInputsSchema.shape) as readonly string[];

export interface ActionInputs {
  connection: TrackerConnection;
  field: string;
  value: string;
  /** Keys given by `issue-key`; undefined means "discover them". */
  issueKeys: string[] | undefined;
  projects: string[] | undefined;
  status: string | undefined;
  /** A release to add to each issue's fix versions (created when missing). */
  fixVersion: string | undefined;
  comment: string | undefined;
  failOnMissingKey: boolean;
  dryRun: boolean;
  retryTimeoutMs: number;
}

export type ParseInputsResult =
  | { ok: true; inputs: ActionInputs }
  | { ok: false; errors: string[] };

/**
 * Validates the raw input strings (as `core.getInput` returns them, "" when absent).
 *
 * @example
 * parseInputs({ tracker: "jra", ... })
 * // { ok: false, errors: ['input "tracker" must be one of yandex, jira (got "jra")'] }
 */
export function parseInputs(
  raw: Readonly<Record<string, string | undefined>>,
  runner: RunnerInfo = {},
): ParseInputsResult {
  const result = RawInputsSchema.safeParse(withRunnerDefaults(raw, runner));
  if (!result.success) {
    const errors = result.error.issues.map((issue) => {
      const name = issue.path[0];
      return name === undefined ? issue.message : `input "${String(name)}" ${issue.message}`;
    });
    return { ok: false, errors: [...new Set(errors)] };
  }
  const inputs = result.data;
  const kind = kindOf(inputs.tracker);
  const normalized = inputs["issue-key"]?.map((key) =>
    normalizeIssueKey(key, kind.keys, runner.repository),
  );
  const problems = (normalized ?? []).flatMap((key) => (key.problem ? [key.problem] : []));
  if (problems.length > 0) return { ok: false, errors: [...new Set(problems)] };
  const issueKeys = normalized?.flatMap((key) => (key.problem === undefined ? [key.key] : []));
  const connection: TrackerConnection = {
    // Adapters put the name in every message: "issue PROJ-9 not found in Jira at acme.atlassian.net".
    name: `${kind.label} at ${new URL(inputs.url).host}`,
    type: inputs.tracker,
    url: inputs.url,
    token: inputs.token ?? "",
    ...kindFieldsOf(kind, inputs as Record<string, unknown>),
  };
  return {
    ok: true,
    inputs: {
      connection,
      field: inputs.field,
      value: inputs.value,
      issueKeys: issueKeys && [...new Set(issueKeys)],
      projects: inputs.projects,
      status: inputs.status,
      fixVersion: inputs["fix-version"],
      comment: inputs.comment,
      failOnMissingKey: inputs["fail-on-missing-key"],
      dryRun: inputs["dry-run"],
      retryTimeoutMs: (inputs["retry-timeout"] ?? DEFAULT_RETRY_TIMEOUT_SECONDS) * 1000,
    },
  };
}

/** The kind's inputs as its connection fields (`org-id` → `orgId`, or `options`). */
function kindFieldsOf(kind: TrackerKind, inputs: Record<string, unknown>): KindFields {
  const fields = Object.fromEntries(
    Object.entries(kind.action.inputs).flatMap(([name, input]) =>
      inputs[name] === undefined ? [] : [[input.field, inputs[name]]],
    ),
  );
  if (kind.connection.toConnection) {
    const typed = kind.connection.toConnection(fields);
    return Object.fromEntries(Object.entries(typed).filter(([, v]) => v !== undefined));
  }
  return Object.keys(fields).length === 0
    ? {}
    : { options: fields as NonNullable<KindFields["options"]> };
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

function unknownPlaceholders(template: string): string[] {
  const known = new Set<string>(COMMENT_PLACEHOLDERS);
  const names = [...template.matchAll(/\{([A-Za-z_]+)\}/g)].map((match) => match[1] ?? "");
  return [...new Set(names.filter((name) => !known.has(name)))];
}

/**
 * Fills the comment template. Unknown placeholders were rejected by the schema.
 *
 * @example
 * renderComment("Bench for {key}: {value}", { key: "PROJ-1", value: "https://b", ... })
 * // "Bench for PROJ-1: https://b"
 */
export function renderComment(
  template: string,
  values: Readonly<Record<CommentPlaceholder, string>>,
): string {
  return template.replace(/\{([A-Za-z_]+)\}/g, (whole, name: string) =>
    Object.hasOwn(values, name) ? values[name as CommentPlaceholder] : whole,
  );
}
