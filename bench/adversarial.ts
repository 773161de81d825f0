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

export const SIZES = [100_000, 1_000_000, 4_000_000] as const;
/**
 * Below this time at 1 MB the 4 MB / 1 MB ratio measures the caches and the timer, not the
 * algorithm: an input read by a few native searches takes 0.05 ms at 1 MB (it fits in the
 * cache) and 0.2–0.8 ms at 4 MB (it does not), ×5–13 from run to run.
 */
const MIN_GROWTH_MS = 1;
/** A size is not run when the time at the previous size, grown at the rate seen so far, would pass this. */
const MAX_PROJECTED_MS = 5_000;

export interface AdversarialCase {
  input: string;
  /** The fastest of 5 runs, in ms, per size label ("100 KB", …); null when not run. */
  timesMs: Record<string, number | null>;
  at1MbMs: number | null;
  /** t(4 MB) / t(1 MB): 4 for linear growth; null when 1 MB took under {@link MIN_GROWTH_MS}. */
  growth: number | null;
  /** Set when larger sizes were not run because time grew too fast. */
  stopped?: string;
}

/**
 * Times `extract` on every adversarial input at each size (the fastest of 5). Probes at 10 and
 * 20 KB estimate how time grows (2 for a backtracking blow-up) at no cost, and a size whose
 * projected time passes a few seconds is not run: a backtracking regex cannot be
 * interrupted, and the growth already shows.
 */
export function timeAdversarial(
  extract: (text: string) => unknown,
  sizes: readonly number[] = SIZES,
): AdversarialCase[] {
  // The fastest of five: a garbage collection or a preemption only ever adds time, and at 4 MB
  // one landing in two of three runs doubled a median (×8 "growth" for an input that takes
  // 2.4 ms per MB at every size from 250 KB to 8 MB when timed alone).
  const time = (text: string) =>
    Math.min(
      ...[0, 1, 2, 3, 4].map(() => {
        const started = performance.now();
        extract(text);
        return performance.now() - started;
      }),
    );
  return Object.keys(ADVERSARIAL).map((input) => {
    const timesMs: Record<string, number | null> = {};
    let stopped: string | undefined;
    const probe = { size: 20_000, ms: time(adversarialInput(input, 20_000)) };
    let exponent = growthExponent(
      { size: 10_000, ms: time(adversarialInput(input, 10_000)) },
      probe,
    );
    let previous = probe;
    for (const size of sizes) {
      const projected = previous.ms * (size / previous.size) ** exponent;
      if (stopped || projected > MAX_PROJECTED_MS) {
        timesMs[sizeLabel(size)] = null;
        stopped ??= `${previous.ms.toFixed(0)} ms at ${sizeLabel(previous.size)}, time ∝ size^${exponent.toFixed(1)}: ~${(projected / 1000).toFixed(0)} s at ${sizeLabel(size)}`;
        continue;
      }
      const measured = { size, ms: time(adversarialInput(input, size)) };
      exponent = growthExponent(previous, measured);
      previous = measured;
      timesMs[sizeLabel(size)] = measured.ms;
    }
    const at1MbMs = timesMs["1 MB"] ?? null;
    const at4Mb = timesMs["4 MB"] ?? null;
    return {
      input,
      timesMs,
      at1MbMs,
      growth: at1MbMs && at4Mb && at1MbMs >= MIN_GROWTH_MS ? at4Mb / at1MbMs : null,
      ...(stopped ? { stopped } : {}),
    };
  });
}

/** The slowest case at 1 MB; one that had to be stopped is slower than any that finished. */
export function slowest(cases: readonly AdversarialCase[]): AdversarialCase {
  const weight = (c: AdversarialCase) =>
    c.stopped ? Number.POSITIVE_INFINITY : (c.at1MbMs ?? c.timesMs["100 KB"] ?? 0);
  return cases.reduce((a, b) => (weight(b) > weight(a) ? b : a));
}

/** The case whose time grew most from 1 MB to 4 MB. */
export function steepest(cases: readonly AdversarialCase[]): AdversarialCase | null {
  const grown = cases.filter((c) => c.growth !== null);
  return grown.length ? grown.reduce((a, b) => (b.growth! > a.growth! ? b : a)) : null;
}

/** k in time ∝ size^k between two measurements, at least 1 (timer noise on tiny inputs). */
function growthExponent(a: { size: number; ms: number }, b: { size: number; ms: number }): number {
  const k = Math.log(Math.max(b.ms, 0.01) / Math.max(a.ms, 0.01)) / Math.log(b.size / a.size);
  return Math.min(Math.max(k, 1), 3);
}

export function sizeLabel(size: number): string {
  return size >= 1_000_000 ? `${size / 1_000_000} MB` : `${size / 1_000} KB`;
}
