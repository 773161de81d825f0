/**
 * Inputs built to make a backtracking matcher explode: long runs that almost match (a key's
 * project with no hyphen, hyphens with no number, numbers too long), and runs of the Markdown
 * constructs the masker tracks (backticks, unclosed comments, fences, quotes, link
 * destinations). Each is a repeated unit cut to exactly `size` characters.
 */

export const ADVERSARIAL: Readonly<Record<string, string>> = {
  "one huge word (AAAA…)": "A",
  "alnum, no hyphen (a1a1…)": "a1",
  "projects, no number (A-A-A-…)": "A-",
  "spaced near-keys ( AAA…AAA-)": ` ${"A".repeat(300)}-`,
  "number too long (A-111…)": "1",
  "keys glued to letters (AB-1x)": "AB-1x",
  "versions (AB-1.2.3.)": "AB-1.2.3.",
  "underscores (_a_a…)": "_a",
  "referencing phrases (refs refs…)": "refs ",
  "backtick runs (` `` ```…)": "` `` ``` ",
  "unclosed comments (<!--…)": "<!-- x ",
  "fences (```\\n…)": "```\n",
  "quote lines (> x\\n…)": "> PROJ-1\n",
  "link destinations ([a](…)": "[a](http://x/",
};

/** The unit repeated to exactly `size` characters; "number too long" starts with its project. */
export function adversarialInput(name: string, size: number): string {
  const unit = ADVERSARIAL[name];
  if (unit === undefined) throw new Error(`no adversarial input "${name}"`);
  const prefix = unit === "1" ? "AB-" : "";
  return (prefix + unit.repeat(Math.ceil(size / unit.length))).slice(0, size);
}
