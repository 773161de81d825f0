/**
 * When the App misses a target, the same load runs again against an App under
 * `node --cpu-prof`, and the part's detail says where each thread spent the time: the main
 * thread (ingest, the console) and the outbox worker's thread (planning, tracker calls,
 * reports), which `--cpu-prof` writes to a file of its own.
 * Profiling slows the process a little, which is why it is a separate run.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { type BenchContext, startApp } from "./context.js";
import { type ProfileSummary, summarizeProfile } from "./profile-summary.js";
import { markdownTable } from "./table.js";

export async function profileApp(
  ctx: BenchContext,
  name: string,
  drive: (url: string) => Promise<unknown>,
): Promise<ThreadProfiles> {
  const dir = path.join(ctx.logDir, "profiles", name);
  const app = await startApp(ctx, `profile-${name}`, dir);
  try {
    await drive(app.url);
  } finally {
    await app.child.stop();
  }
  return threadProfiles(dir);
}

export interface ThreadProfiles {
  main: ProfileSummary;
  /** The outbox worker's thread; null when the App wrote no second profile. */
  worker: ProfileSummary | null;
}

/**
 * The profiles one App process wrote to `dir`: `CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile`,
 * thread 0 being the main thread and the first other thread the worker's.
 */
export function threadProfiles(dir: string): ThreadProfiles {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".cpuprofile"))
    .map((f) => ({ f, thread: Number(f.split(".").at(-3)) }))
    .sort((a, b) => a.thread - b.thread);
  const main = files.find((x) => x.thread === 0);
  if (!main) throw new Error(`no CPU profile of the main thread was written to ${dir}`);
  const worker = files.find((x) => x.thread !== 0);
  return {
    main: summarizeProfile(path.join(dir, main.f)),
    worker: worker ? summarizeProfile(path.join(dir, worker.f)) : null,
  };
}

/** Both threads' tables, main first. */
export function threadProfilesMarkdown(title: string, profiles: ThreadProfiles): string {
  const parts = [profileMarkdown(`${title}: main thread`, profiles.main, "main thread")];
  if (profiles.worker)
    parts.push(
      profileMarkdown(`${title}: processing thread`, profiles.worker, "processing thread"),
    );
  return parts.join("\n\n");
}

export function profileMarkdown(
  title: string,
  summary: ProfileSummary,
  thread = "main thread",
): string {
  const busy = summary.totalMs - summary.idleMs;
  const pct = (share: number) => `${(share * 100).toFixed(1)}%`;
  const lines = (items: ProfileSummary["selfTop"]) =>
    items.slice(0, 8).map((l) => [l.name, l.where || "—", `${l.ms.toFixed(0)} ms`, pct(l.share)]);
  return [
    `**${title}** — ${thread} busy ${((busy / summary.totalMs) * 100).toFixed(0)}% of ${(summary.totalMs / 1000).toFixed(1)} s.`,
    "",
    "Inclusive time of trackbridge functions (itself and what it called):",
    "",
    markdownTable(["function", "where", "time", "of busy"], lines(summary.inclusiveSrc)),
    "",
    "Self time, top functions:",
    "",
    markdownTable(["function", "where", "time", "of busy"], lines(summary.selfTop)),
  ].join("\n");
}
