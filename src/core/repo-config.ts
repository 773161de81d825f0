/**
 * The schema of `.github/trackbridge.yml`, the one place a repository tells trackbridge what
 * to do. Keys are snake_case because that is how people write YAML. Every object is strict:
 * a typo is reported with its path rather than silently ignored, and a key that tries to
 * name a tracker URL or token gets its own message, because those live on the server only.
 */
import { z } from "zod";
import type { ConnectionKeys } from "./connection-keys.js";
import type { KeyOptions } from "./extract-keys.js";
import { NOTIFY_EVENTS } from "./notify.js";
import { AssigneeSchema, CreateSchema, UnlinkSchema } from "./other-direction-schema.js";
import { strict } from "./strict-schema.js";
import { KEY_SOURCES, type KeyStyle, type MoveTrigger } from "./types.js";

export const DEFAULT_CONFIG_FILE = ".github/trackbridge.yml";

const NonEmpty = z.string().min(1);

const StatusTarget = NonEmpty.describe(
  "Target status: its key (e.g. readyForTest), its display name, or a transition id.",
);

const KeysSchema = strict({
  projects: z
    .array(z.string().regex(/^[A-Za-z][A-Za-z0-9_]+$/, "expected a project key such as PROJ"))
    .optional()
    .describe(
      "Allow-list of project/queue keys. Strongly recommended: it is the fix for false keys.",
    ),
  ignore_case: z
    .boolean()
    .default(false)
    .describe(
      "Also accept lower-case keys such as proj-123 in titles, bodies, comments and commits (branch names always match in any case).",
    ),
  from: z
    .array(z.enum(KEY_SOURCES))
    .min(1, "expected at least one source")
    .default([...KEY_SOURCES])
    .describe("Where keys are read from. Default: all sources."),
  max: z
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(50)
    .describe(
      "At most this many issues per pull request are moved and linked, in order of appearance; the rest are reported as left out. Default 50.",
    ),
  deny: z
    .array(NonEmpty)
    .default([])
    .describe(
      "Extra prefixes that are never issue keys; extends the built-in deny-list (UTF, SHA, ISO, CVE, …).",
    ),
  redmine_keywords: z
    .boolean()
    .default(false)
    .describe(
      "Redmine connections: also take Redmine's commit keywords, refs #123 and fixes #123 (the keyword right before the number), as the connection's ticket 123. A bare #123 is always GitHub's own.",
    ),
});

const StatusesSchema = strict({
  opened: StatusTarget.optional(),
  draft: StatusTarget.optional(),
  ready: StatusTarget.optional(),
  approved: StatusTarget.optional(),
  changes_requested: StatusTarget.optional(),
  merged: StatusTarget.optional(),
  closed: StatusTarget.optional(),
  started: StatusTarget.optional().describe(
    "Work started: a branch whose name carries the key was created or first pushed.",
  ),
  released: StatusTarget.optional().describe(
    "A published release includes the issue's commits (also stamps the fix version).",
  ),
});

// Fails to compile if the statuses section and the move triggers drift apart.
type StatusKeys = keyof z.infer<typeof StatusesSchema>;
type ConfiguredTrigger = Exclude<MoveTrigger, "deployed">;
const _statusesCoverTriggers: [StatusKeys] extends [ConfiguredTrigger]
  ? [ConfiguredTrigger] extends [StatusKeys]
    ? true
    : never
  : never = true;
void _statusesCoverTriggers;

const BenchSchema = strict({
  field: NonEmpty.describe("The issue field that receives bench / deployment URLs."),
});

const MergeGateSchema = strict({
  statuses: z
    .array(StatusTarget)
    .min(1, "expected at least one status")
    .describe("Statuses (key or display name) every moving issue must be in before merging."),
});

const DeploymentSchema = strict({
  status: StatusTarget.optional().describe("Where a successful deployment moves the issues."),
  field: NonEmpty.optional().describe(
    "The issue field that receives the environment URL; `bench.field` when not set.",
  ),
});

const ReleaseSchema = strict({
  version: NonEmpty.default("{tag}").describe(
    "The fix version's name; {tag} is the release's tag, e.g. \"web {tag}\".",
  ),
  strip_v: z
    .boolean()
    .default(false)
    .describe("Drop a leading v from the tag: v1.2.0 becomes 1.2.0."),
  prereleases: z.boolean().default(false).describe("Also act on releases marked prerelease."),
});

export const NotifySchema = strict({
  channel: NonEmpty.describe("Name of one of the server's notification channels, e.g. team-slack."),
  on: z
    .array(z.enum(NOTIFY_EVENTS))
    .min(1, "expected at least one event")
    .describe(
      "Events that send a message: moved, blocked (a move the App could not make), dead_letter, deployed, released, created (an issue for a PR), unlinked.",
    ),
});

export const RepoConfigSchema = strict({
  _extends: NonEmpty.optional().describe(
    "Inherit settings from another repository's config (Probot convention), e.g. .github.",
  ),
  connection: NonEmpty.optional().describe(
    "Name of one of the server's tracker connections; optional when the server has one.",
  ),
  keys: KeysSchema.prefault({}).describe("How issue keys are found."),
  statuses: StatusesSchema.prefault({}).describe(
    "Pull-request event → target status. An event with no entry moves nothing.",
  ),
  protect: z
    .array(NonEmpty)
    .default([])
    .describe("Statuses an issue is never moved out of, e.g. [closed]."),
  reopen: z
    .boolean()
    .default(false)
    .describe(
      "Move issues that are in a done-category status (Closed, Done). Default false: they stay where they are.",
    ),
  routes: z
    .record(NonEmpty, z.array(NonEmpty).min(1, "expected at least one status to pass through"))
    .default({})
    .describe(
      "Explicit routes for workflows whose graph cannot be read (Jira Data Center): target → statuses to pass through, in order, e.g. readyForTest: [inProgress, inReview].",
    ),
  bench: BenchSchema.optional().describe("Where deployment URLs are written."),
  deployments: z
    .record(NonEmpty, DeploymentSchema)
    .default({})
    .describe(
      "Environment name or glob (review/*) → what a successful deployment there does. The first match wins.",
    ),
  release: ReleaseSchema.prefault({}).describe("What a published GitHub release writes."),
  require_key: z
    .boolean()
    .default(false)
    .describe("Fail the check run when a pull request names no issue to move."),
  wait_for_all_prs: z
    .boolean()
    .default(false)
    .describe("Move an issue on merge/close only once every pull request linked to it is done."),
  merge_gate: MergeGateSchema.optional().describe(
    "Fail the trackbridge/issue check until every moving issue is in one of these statuses.",
  ),
  create: CreateSchema.optional().describe(
    "Create an issue for a pull request that names none: `/trackbridge create [QUEUE] [type]`, a label, or every PR opened without a key.",
  ),
  unlink: UnlinkSchema.optional().describe(
    "What happens to the link when a key leaves a pull request (or `/trackbridge unlink KEY`).",
  ),
  assignee: AssigneeSchema.optional().describe(
    "Set the issue's assignee from the pull request, through the server's people map (or, with match: email, the person's GitHub e-mail).",
  ),
  notify: z
    .array(NotifySchema)
    .default([])
    .describe(
      "Messages to the server's Slack or Telegram channels: which channel hears which events.",
    ),
}).describe("trackbridge repository config (.github/trackbridge.yml)");

/**
 * The parsed config with defaults applied, and what the server decides for it (never read from
 * the file): `connectionKeys`, stamped from the connection the config chose (see
 * connection-keys.ts), and `keys.style`, GitHub issue references for a GitHub project.
 */
export type RepoConfig = z.output<typeof RepoConfigSchema> & {
  connectionKeys?: ConnectionKeys;
  keys: { style?: KeyStyle };
};

export type ParseRepoConfigResult = { ok: true; config: RepoConfig } | { ok: false; error: string };

/**
 * Validates an already-parsed YAML document. An empty file (`null`) means "all defaults".
 *
 * @example
 * parseRepoConfig({ statuses: { approved: 42 } })
 * // { ok: false, error: ".github/trackbridge.yml is invalid:\n✖ Invalid input: expected string, received number\n  → at statuses.approved" }
 */
export function parseRepoConfig(raw: unknown, file = DEFAULT_CONFIG_FILE): ParseRepoConfigResult {
  const result = RepoConfigSchema.safeParse(raw ?? {});
  if (result.success) return { ok: true, config: result.data };
  return { ok: false, error: `${file} is invalid:\n${z.prettifyError(result.error)}` };
}

/**
 * The JSON Schema editors use for `.github/trackbridge.yml`. Generated in "input" mode so
 * keys with defaults are optional, as they are for the person writing the file.
 *
 * @example
 * JSON.stringify(repoConfigJsonSchema(), null, 2) // what `npm run build:schema` writes
 */
export function repoConfigJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(RepoConfigSchema, { io: "input", target: "draft-2020-12" });
  const { $schema, ...rest } = schema;
  return {
    $schema,
    $comment: "generated by npm run build:schema — do not edit",
    title: "trackbridge repository config",
    ...rest,
  };
}

/** The extractor's options as the config sets them: everything but the size cap is decided. */
export type ConfigKeyOptions = Pick<KeyOptions, "projects" | "numeric" | "style"> &
  Required<Pick<KeyOptions, "ignoreCase" | "deny" | "from">>;

/**
 * Maps the config's snake_case `keys` section to the extractor's options.
 *
 * @example
 * configToKeyOptions(parsed.config) // { projects: ["PROJ"], ignoreCase: false, deny: [], from: [...] }
 */
export function configToKeyOptions(config: RepoConfig): ConfigKeyOptions {
  const { projects, ignore_case, deny, from, style } = config.keys;
  const keys = config.connectionKeys;
  if (keys?.prefix) {
    const numeric = { prefix: keys.prefix, connection: keys.connection, keywords: keys.keywords };
    return { projects: [keys.prefix], ignoreCase: ignore_case, deny, from, numeric };
  }
  return {
    ...(projects ? { projects } : {}),
    ...(style ? { style } : {}),
    ignoreCase: ignore_case,
    // Another connection's prefix names its tickets, never an issue of this one.
    deny: keys?.otherPrefixes.length ? [...deny, ...keys.otherPrefixes] : deny,
    from,
  };
}
