/**
 * The registry of tracker kinds: the one list everything that differs per tracker is read
 * from (config schema, TRACKER_TYPE, doctor, init, the Action's inputs, the webhook endpoint,
 * the console's issue links, the README's capability table).
 *
 * ## Adding a tracker
 * A new adapter adds files and edits ONE line here; nothing in `src/core`, `src/delivery`,
 * `src/handlers`, `src/server`, `src/config`, `src/doctor`, `src/action` or `src/console`:
 * 1. `src/trackers/<name>/`: `client.ts` (HTTP through `trackers/http.ts`), `errors.ts` (if
 *    needed), `map.ts` (pure JSON → port types, naming the API fields used), `index.ts`
 *    (`create<Name>Tracker(connection, deps): Tracker`) and `kind.ts` (`<name>Kind:
 *    TrackerKind`, see `kind.ts`: the connections-file keys as a zod shape and the TRACKER_*
 *    variable of each, the capability table, the webhook reader or none, the issue URL,
 *    doctor and Action hints). Kind options land on the connection through `toConnection`
 *    (typed fields of `TrackerConnection`) or, without it, in `connection.options`.
 * 2. `src/simulators/<name>/`: the tracker's API on loopback, for the tests, e2e and bench.
 * 3. The line: its kind in `TRACKER_KINDS` below.
 * 4. Its conformance-kit fixture (`src/simulators/scenario/kit-<name>.ts` or an entry in
 *    `kit-fixtures.ts`) and one line in `KIT_FIXTURES`: the kit (`test/trackers/kit`) then
 *    holds the adapter to its capability table, and `bench/parts/tracker-kinds.ts` gets its row.
 * 5. `npm run readme:capabilities` rewrites the README's table (a test fails while stale).
 * A new Action input also goes in `action.yml` (a test compares the two). What a kind
 * declares `unavailable` is refused by `createTracker` itself (capability-guard.ts).
 */
import type { TrackerConnection } from "./connection.js";
import { githubProjectsKind } from "./github-projects/kind.js";
import { jiraKind } from "./jira/kind.js";
import type { TrackerKind, TrackerMode } from "./kind.js";
import { linearKind } from "./linear/kind.js";
import { redmineKind } from "./redmine/kind.js";
import { requestTrackerKind } from "./request-tracker/kind.js";
import { yandexKind } from "./yandex/kind.js";
import { youtrackKind } from "./youtrack/kind.js";

export const TRACKER_KINDS: readonly TrackerKind[] = [
  // One kind a line (this comment keeps the formatter from joining them): adapters that
  // land at the same time then touch different lines.
  yandexKind,
  jiraKind,
  linearKind,
  redmineKind,
  requestTrackerKind,
  githubProjectsKind,
  youtrackKind,
];

export const TRACKER_TYPES: readonly string[] = TRACKER_KINDS.map((kind) => kind.type);

const BY_TYPE = new Map(TRACKER_KINDS.map((kind) => [kind.type, kind]));

/** The kind of a type; throws for a type no kind registered (config validation prevents it). */
export function kindOf(type: string): TrackerKind {
  const kind = BY_TYPE.get(type);
  if (!kind) throw new Error(`unknown tracker type "${type}" (known: ${TRACKER_TYPES.join(", ")})`);
  return kind;
}

export function isTrackerType(type: string | undefined): type is string {
  return type !== undefined && BY_TYPE.has(type);
}

/** The mode a connection runs in: "Jira Cloud", "Yandex Tracker". */
export function modeOf(connection: TrackerConnection): TrackerMode {
  return kindOf(connection.type).modeOf(connection);
}

/**
 * The known types for messages: `"yandex" or "jira"`, `"a", "b" or "c"`.
 *
 * @example
 * typesInWords() // '"yandex" or "jira"'
 */
export function typesInWords(quote = '"'): string {
  const quoted = TRACKER_TYPES.map((type) => `${quote}${type}${quote}`);
  return quoted.length < 2
    ? quoted.join("")
    : `${quoted.slice(0, -1).join(", ")} or ${quoted[quoted.length - 1]}`;
}

/** What `--queue` names, per kind: "Yandex Tracker queue / Jira project". */
export function projectWords(): string {
  return TRACKER_KINDS.map((kind) => kind.projectHelp).join(" / ");
}

/**
 * The connections whose issues are GitHub issues (key style `github`): a repository using one
 * names them `#12`, `owner/repo#12` (core's KeyStyle), never `PROJ-12`.
 */
export function githubKeyConnections(connections: readonly TrackerConnection[]): string[] {
  return connections.filter((c) => kindOf(c.type).keys.style === "github").map((c) => c.name);
}
