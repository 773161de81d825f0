/**
 * A generated corpus of pull-request text as teams write it: titles, bodies from templates
 * (HTML-comment instructions, checklists, code blocks with logs and lockfile diffs, quoted
 * replies, a little non-ASCII), long commit lists, and branch names. Seeded, so every run
 * reads the same text.
 *
 * The generator plants issue keys (ground truth) only where a person means one: in the
 * title, the prose, commit subjects and the branch name. Everything else that looks like
 * a key is a distractor with a category (deny-list words, versions, look-alikes, template
 * placeholders), so a match that is not planted is a false positive and can be attributed.
 */

export interface CorpusDoc {
  branch: string;
  title: string;
  body: string;
  commits: string[];
  /** Planted keys, upper-case. */
  planted: Set<string>;
}

export type DistractorCategory =
  | "deny-list"
  | "version"
  | "look-alike"
  | "template"
  | "branch habit";

/** Every distractor the generator may write, with its category (for attributing false positives). */
export const DISTRACTORS: Record<DistractorCategory, readonly string[]> = {
  "deny-list": [
    "UTF-8",
    "UTF-16",
    "SHA-256",
    "SHA-1",
    "SHA-512",
    "ISO-8601",
    "ISO-27001",
    "CVE-2024-3094",
    "CVE-2021-44228",
    "X86-64",
    "RFC-7231",
    "RFC-9110",
    "PEP-8",
    "AES-256",
    "RSA-2048",
    "ECMA-262",
    "GPT-4",
    "COVID-19",
    "CWE-79",
    "MPEG-4",
    "HTTP-2",
    "UTC-5",
    "FY-2024",
    "WIN-32",
    "utf-8",
    "sha-256",
  ],
  version: [
    "node-20.11.1",
    "lodash-4.17.21",
    "react-18.2.0",
    "python-3.12",
    "ubuntu-22.04",
    "openssl-3.0.13",
    "go-1.22",
    "Release-2.4.1",
    "GPL-3.0",
    "Apache-2.0",
    "node-20.x",
    "webpack-5.89.0",
  ],
  "look-alike": [
    "us-east-1",
    "eu-west-2",
    "ip-10-0-0-12",
    "worker-3",
    "step-2",
    "top-10",
    "build-1234",
    "Q3-2024",
    "GPL-3",
    "2024-05-01",
    "pod-7f9c8d",
    "e2e-42",
    "k8s-1",
    "t3-2",
  ],
  template: ["ABC-123", "PROJ-0000", "XYZ-1"],
  // Branches without an issue: GitHub's web editor and revert button, bots, release habits.
  "branch habit": [
    "patch-1",
    "revert-42-fix-login",
    "dependabot/npm_and_yarn/lodash-4.17.21",
    "renovate/node-20.x",
    "release-2.4",
    "hotfix-3",
    "fix-login",
    "step-2-cleanup",
  ],
};

export const PROJECTS = [
  "PROJ",
  "OPS",
  "WEB",
  "CORE",
  "DATA",
  "MOBILE",
  "INFRA",
  "BILLING",
  "B2B",
  "SRE",
];
const WORDS = (
  "the a to of and in for on with validation login form user session token cache retry timeout " +
  "handler request response error page button query index migration schema config build deploy " +
  "test fix update remove add refactor improve support render parse export import field value"
).split(" ");
const NON_ASCII = [
  "Исправлена ошибка входа.",
  "Ĉi tio riparas la formularon.",
  "修复登录问题。",
  "Works again 🎉.",
  "Überprüft die Eingabe.",
];

/** mulberry32: small, fast, seedable. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Writer {
  readonly planted = new Set<string>();
  constructor(readonly random: () => number) {}
  int(max: number): number {
    return Math.floor(this.random() * max);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  chance(p: number): boolean {
    return this.random() < p;
  }
  key(): string {
    const key = `${this.pick(PROJECTS)}-${1 + this.int(this.chance(0.2) ? 99_999 : 2_000)}`;
    this.planted.add(key);
    return key;
  }
  distractor(): string {
    const roll = this.random();
    // Template placeholders appear only where templates put them: in the HTML comment.
    const category: DistractorCategory =
      roll < 0.5 ? "deny-list" : roll < 0.75 ? "version" : "look-alike";
    return this.pick(DISTRACTORS[category]);
  }
  words(count: number): string {
    const out: string[] = [];
    for (let i = 0; i < count; i++)
      out.push(this.chance(0.04) ? this.distractor() : this.pick(WORDS));
    return out.join(" ");
  }
  sentence(): string {
    const text = this.words(6 + this.int(14));
    return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
  }
}

function branch(w: Writer, key: string | null): string {
  if (key === null) {
    return w.pick(DISTRACTORS["branch habit"]);
  }
  const slug = `${w.pick(WORDS)}-${w.pick(WORDS)}`;
  const k = w.chance(0.5) ? key.toLowerCase() : key;
  return w.pick([
    `feature/${k}-${slug}`,
    `${k}-${slug}`,
    `bugfix/${k}_${slug}`,
    k,
    `user/alice/${k}-${slug}`,
  ]);
}

function title(w: Writer, key: string | null): string {
  const text = w.sentence().slice(0, -1);
  if (key === null) return text;
  return w.pick([`${key}: ${text}`, `[${key}] ${text}`, `${text} (${key})`, `${text}`]);
}

function prose(w: Writer): string {
  const lines: string[] = [];
  for (let i = 0, n = 1 + w.int(4); i < n; i++) {
    let line = w.sentence();
    if (w.chance(0.3)) {
      const key = w.key();
      // Functions, not strings: only the chosen form may plant a second key.
      const forms = [
        () => `Fixes ${key}.`,
        () => `Refs ${key}.`,
        () => `Part of ${key}, see also ${w.key()}.`,
        () => `(see [${key}](https://tracker.example.com/browse/${key}))`,
        () => `**${key}**`,
        () => `\`${key}\``,
        () => `_${key}_`,
      ];
      line += ` ${w.pick(forms)()}`;
    }
    if (w.chance(0.1)) line += ` ${w.pick(NON_ASCII)}`;
    lines.push(line);
  }
  return lines.join(" ");
}

function codeBlock(w: Writer): string {
  const lines: string[] = [];
  for (let i = 0, n = 3 + w.int(w.chance(0.1) ? 400 : 20); i < n; i++) {
    lines.push(
      w.pick([
        `    at Object.<anonymous> (/app/src/${w.pick(WORDS)}.js:${w.int(400)}:${w.int(80)})`,
        `ERROR ${w.distractor()} ${w.words(5)} sha256:${(w.random() * 1e16).toString(16)}`,
        `-    "lodash": "^4.17.20",`,
        `+    resolved "https://registry.npmjs.org/lodash/-/${w.distractor()}.tgz"`,
        `2024-05-01T12:${10 + w.int(49)}:00Z ${w.pick(["INFO", "WARN"])} ${w.words(6)}`,
      ]),
    );
  }
  return `\`\`\`\n${lines.join("\n")}\n\`\`\``;
}

function body(w: Writer): string {
  const parts = [
    `<!-- Describe the change. Link the issue, e.g. ${w.pick(DISTRACTORS.template)}, and tick the boxes. -->`,
    "## What",
    prose(w),
  ];
  if (w.chance(0.6)) parts.push("## Why", prose(w));
  if (w.chance(0.5)) parts.push(codeBlock(w));
  if (w.chance(0.3)) parts.push(`> ${w.sentence()}\n> ${w.words(10)} ${w.distractor()}`);
  parts.push("## Checklist", "- [x] tests added", `- [${w.chance(0.5) ? "x" : " "}] docs updated`);
  if (w.chance(0.2)) for (let i = 0, n = w.int(30); i < n; i++) parts.push(prose(w));
  return parts.join("\n\n");
}

function commits(w: Writer, key: string | null): string[] {
  const count = w.chance(0.1) ? 50 + w.int(150) : 1 + w.int(12);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const subject = w.sentence().slice(0, -1);
    const lead = key !== null && w.chance(0.4) ? `${key}: ` : w.chance(0.05) ? `${w.key()}: ` : "";
    const bodyText = w.chance(0.3) ? `\n\n${prose(w)}` : "";
    out.push(`${lead}${subject}${bodyText}`);
  }
  return out;
}

/** Documents until the text adds up to about `targetBytes` (UTF-8). */
export function generateCorpus(options: { seed: number; targetBytes: number }): {
  docs: CorpusDoc[];
  bytes: number;
} {
  const random = prng(options.seed);
  const docs: CorpusDoc[] = [];
  let bytes = 0;
  while (bytes < options.targetBytes) {
    const w = new Writer(random);
    const key = w.chance(0.85) ? w.key() : null;
    const doc: CorpusDoc = {
      branch: branch(w, key),
      title: title(w, key),
      body: body(w),
      commits: commits(w, key),
      planted: w.planted,
    };
    bytes += docBytes(doc);
    docs.push(doc);
  }
  return { docs, bytes };
}

export function docBytes(doc: CorpusDoc): number {
  let n =
    Buffer.byteLength(doc.branch) + Buffer.byteLength(doc.title) + Buffer.byteLength(doc.body);
  for (const commit of doc.commits) n += Buffer.byteLength(commit);
  return n;
}
