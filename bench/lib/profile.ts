/**
 * When the App misses a target, the same load runs again against an App under
 * `node --cpu-prof`, and the part's detail says where its main thread spent the time.
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
): Promise<ProfileSummary> {
  const dir = path.join(ctx.logDir, "profiles", name);
  const app = await startApp(ctx, `profile-${name}`, dir);
  try {
    await drive(app.url);
  } finally {
    await app.child.stop();
  }
  const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
  if (!file) throw new Error(`no CPU profile was written to ${dir}`);
  return summarizeProfile(path.join(dir, file));
}

export function profileMarkdown(title: string, summary: ProfileSummary): string {
  const busy = summary.totalMs - summary.idleMs;
  const pct = (share: number) => `${(share * 100).toFixed(1)}%`;
  const lines = (items: ProfileSummary["selfTop"]) =>
    items.slice(0, 8).map((l) => [l.name, l.where || "—", `${l.ms.toFixed(0)} ms`, pct(l.share)]);
  return [
    `**${title}** — main thread busy ${((busy / summary.totalMs) * 100).toFixed(0)}% of ${(summary.totalMs / 1000).toFixed(1)} s.`,
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
