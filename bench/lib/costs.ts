/**
 * What each event costs the outside world and the store, counted in a window: tracker and
 * GitHub requests by kind (the simulators' request logs) and the statements and transactions
 * each App's processing thread sent to the store (its `/metrics`, reported once a second).
 */
import type { RunningServer } from "./context.js";
import { markdownTable } from "./table.js";

export interface CallsByKind {
  github: Record<string, number>;
  tracker: Record<string, number>;
}

export interface StoreCounts {
  statements: number;
  transactions: number;
}

/** The store counters of every App, summed. */
export async function storeCounts(apps: readonly RunningServer[]): Promise<StoreCounts> {
  const total = { statements: 0, transactions: 0 };
  for (const app of apps) {
    // app.url is the webhook route; /metrics is at the server's root.
    const response = await fetch(new URL("/metrics", app.url));
    if (!response.ok) throw new Error(`${app.url}: /metrics answered ${response.status}`);
    const text = await response.text();
    const value = (name: string) =>
      Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1] ?? 0);
    total.statements += value("trackbridge_store_statements_total");
    total.transactions += value("trackbridge_store_transactions_total");
  }
  return total;
}

/** The processing thread reports its counts once a second: what a drained window ends with. */
export const STORE_REPORT_MS = 1_100;

/** Per event and per replica, from two readings. */
export function storePerEvent(
  from: StoreCounts,
  to: StoreCounts,
  events: number,
  replicas: number,
): StoreCounts {
  return {
    statements: (to.statements - from.statements) / events / replicas,
    transactions: (to.transactions - from.transactions) / events / replicas,
  };
}

/** Each kind of request per event, most frequent first, for GitHub and the tracker. */
export function callsTable(calls: CallsByKind, events: number): string {
  const rows: string[][] = [];
  for (const [side, byKind] of [
    ["GitHub", calls.github],
    ["tracker", calls.tracker],
  ] as const) {
    const sorted = Object.entries(byKind).sort((a, b) => b[1] - a[1]);
    const sum = sorted.reduce((total, [, n]) => total + n, 0);
    for (const [kind, n] of sorted) rows.push([side, kind, String(n), (n / events).toFixed(3)]);
    rows.push([side, "**all**", String(sum), (sum / events).toFixed(2)]);
  }
  return markdownTable(["to", "request", "count", "per event"], rows);
}
