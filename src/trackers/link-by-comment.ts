/**
 * Linking a pull request where the tracker has no web links for an arbitrary URL (Yandex
 * Tracker, YouTrack): one comment carrying the PR's URL, posted once. Cost: the comment
 * list (one request per page) and, the first time, one comment.
 */
import type { PullRequestLink, TrackerComment } from "./port.js";

/**
 * Whether `text` carries `url` as a whole link: ".../pull/1" is not found in ".../pull/12".
 *
 * @example
 * mentionsUrl("see https://github.com/o/r/pull/12", "https://github.com/o/r/pull/1") // false
 */
export function mentionsUrl(text: string, url: string): boolean {
  let from = 0;
  for (;;) {
    const at = text.indexOf(url, from);
    if (at < 0) return false;
    const next = text.charAt(at + url.length);
    if (!/[\w/-]/.test(next)) return true;
    from = at + 1;
  }
}

/** What an unlinked PR's comment says instead of "Pull request:" (the comment stays). */
export const UNLINKED = "No longer refers to this issue: pull request";

/** The PR's link comment: its URL, and not edited to say the PR no longer refers to the issue. */
export function isLinkComment(text: string, url: string): boolean {
  return mentionsUrl(text, url) && !text.startsWith(UNLINKED);
}

export async function linkByComment(
  tracker: {
    listComments(key: string): Promise<TrackerComment[]>;
    addComment(key: string, text: string): Promise<void>;
  },
  key: string,
  link: PullRequestLink,
): Promise<"created" | "exists"> {
  const comments = await tracker.listComments(key);
  if (comments.some((c) => isLinkComment(c.text, link.url))) return "exists";
  await tracker.addComment(key, `Pull request: ${link.title} ${link.url}`);
  return "created";
}

/**
 * Takes a PR's link comment off: edited to say the PR no longer refers to the issue, or
 * deleted. Cost: the comment list and one edit or delete per link comment.
 */
export async function unlinkByComment(
  comments: {
    listComments(key: string): Promise<TrackerComment[]>;
    editComment(key: string, id: string, text: string): Promise<void>;
    deleteComment(key: string, id: string): Promise<void>;
  },
  key: string,
  link: PullRequestLink,
  mode: "edit" | "delete" = "edit",
): Promise<"removed" | "absent"> {
  const found = (await comments.listComments(key)).filter((c) => isLinkComment(c.text, link.url));
  if (found.length === 0) return "absent";
  for (const comment of found) {
    if (mode === "delete") await comments.deleteComment(key, comment.id);
    else await comments.editComment(key, comment.id, `${UNLINKED} ${link.title} ${link.url}`);
  }
  return "removed";
}
