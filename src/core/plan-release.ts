/**
 * A published release: every issue whose key is in the commits since the previous release's
 * tag gets the release as a fix version and, when `statuses.released` is set, moves there.
 * The Action's `fix-version` input runs the same `versionName` and the same action kind.
 */
import { extractKeys } from "./extract-keys.js";
import { moveRules, rolesByKey } from "./plan-pull-request.js";
import { configToKeyOptions, type RepoConfig } from "./repo-config.js";
import type { Plan, PlannedAction, ReleaseEvent, SkippedKey } from "./types.js";

/**
 * The fix version's name: the template with `{tag}` replaced, after the optional v-strip.
 *
 * @example
 * versionName({ version: "web {tag}", strip_v: true, prereleases: false }, "v1.2.0") // "web 1.2.0"
 */
export function versionName(release: RepoConfig["release"], tag: string): string {
  const bare = release.strip_v ? tag.replace(/^v(?=\d)/i, "") : tag;
  return release.version.replaceAll("{tag}", bare);
}

/**
 * @example
 * planRelease({ tag: "v1.2.0", commits: ["PROJ-1: login"], ... }, config)
 * // actions: [{ kind: "fix_version", key: "PROJ-1", version: "v1.2.0" }, { kind: "move", … "released" }]
 */
export function planRelease(event: ReleaseEvent, config: RepoConfig): Plan {
  const empty: Plan = { keys: [], actions: [], skipped: [], notes: [] };
  if (event.prerelease && !config.release.prereleases) {
    return {
      ...empty,
      notes: [`${event.tag} is a prerelease; set release.prereleases: true to act on it`],
    };
  }
  const { keys, notes } = extractKeys(
    { commits: event.commits },
    { ...configToKeyOptions(config), from: ["commits"] },
  );
  const version = versionName(config.release, event.tag);
  const target = config.statuses.released;
  const actions: PlannedAction[] = [];
  const skipped: SkippedKey[] = [];
  const allNotes = [...notes];
  if (event.commitsCapped) {
    const { read, total } = event.commitsCapped;
    allNotes.push(
      `${event.tag} has ${total ?? `more than ${read}`} commits; keys were read from ${read} of them`,
    );
  }
  for (const [key, role] of rolesByKey(keys)) {
    if (role === "reference") {
      skipped.push({ key, reason: "only referenced in the release's commits" });
      continue;
    }
    actions.push({ kind: "fix_version", key, version });
    if (target !== undefined) {
      actions.push({
        kind: "move",
        key,
        target,
        trigger: "released",
        protect: config.protect,
        ...moveRules(config, target),
      });
    }
  }
  return { keys, actions, skipped, notes: allNotes };
}
